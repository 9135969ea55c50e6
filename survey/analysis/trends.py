"""The maturity index across rounds: the city's per round, chosen organisations' per round,
which components moved between two rounds, and which organisations fell back.

An organisation's index in a round is the mean of its present levels (as everywhere); the
city's index in a round is the mean of its organisations' indices (nested GROUP BY: per
organisation and round, then per round). Each function is one query; missing is None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Float, cast, func, select

from survey.analysis.filters import DashboardFilter
from survey.analysis.maturity import components_in_order
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.questionnaires.models import Round
from survey.scoring.levels import levels_cte


@dataclass(frozen=True)
class RoundIndex:
    """The city's index in one round: the mean of `organisations` organisations' indices."""

    round_id: int
    title: str
    year: int
    value: float | None
    organisations: int


@dataclass(frozen=True)
class OrganisationSeries:
    """One organisation's index per round (round id -> index; None where it has none)."""

    organisation_id: int
    name: str
    values: dict[int, float | None]


@dataclass(frozen=True)
class ComponentChange:
    """The city's mean level of one component in the previous and the chosen round."""

    code: str
    name: str
    previous: float | None
    current: float | None

    @property
    def change(self) -> float | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class FallBack:
    """An organisation whose index is lower in the chosen round than in the previous one."""

    organisation_id: int
    name: str
    kind: OrganisationKind
    previous: float
    current: float

    @property
    def change(self) -> float:
        return self.current - self.previous


def _per_organisation(round_ids: Sequence[int], filters: DashboardFilter,
                      organisation_ids: Sequence[int] = (), name: str = "levels"):
    """(round_id, organisation_id, index) of every organisation with a level in the rounds."""
    levels = levels_cte(round_ids, filters.source, filters.kind, organisation_ids, name=name)
    return (
        select(levels.c.round_id, levels.c.organisation_id,
               func.avg(cast(levels.c.level, Float)).label("index"))
        .group_by(levels.c.round_id, levels.c.organisation_id)
    )


def city_indices(rounds: Sequence[Round], filters: DashboardFilter) -> list[RoundIndex]:
    """The city's index per round, oldest round first (kind and source filters apply)."""
    if not rounds:
        return []
    per_org = _per_organisation([r.id for r in rounds], filters).subquery("per_org")
    query = (
        select(per_org.c.round_id, func.avg(per_org.c.index).label("mean"),
               func.count().label("n"))
        .group_by(per_org.c.round_id)
    )
    found = {row.round_id: row for row in db.session.execute(query)}
    return [
        RoundIndex(round_id=r.id, title=r.title, year=r.year,
                   value=float(found[r.id].mean) if r.id in found else None,
                   organisations=found[r.id].n if r.id in found else 0)
        for r in sorted(rounds, key=lambda r: (r.year, r.id))
    ]


def organisation_series(rounds: Sequence[Round], filters: DashboardFilter,
                        limit: int = 8) -> list[OrganisationSeries]:
    """The index per round of the filter's organisations (at most `limit` of them)."""
    wanted = list(filters.organisation_ids)[:limit]
    if not rounds or not wanted:
        return []
    per_org = _per_organisation([r.id for r in rounds], filters, wanted).subquery("per_org")
    query = (
        select(Organisation.id, Organisation.name, per_org.c.round_id, per_org.c.index)
        .outerjoin(per_org, per_org.c.organisation_id == Organisation.id)
        .where(Organisation.id.in_(wanted))
    )
    if filters.kind is not None:
        query = query.where(Organisation.kind == filters.kind)
    names: dict[int, str] = {}
    values: dict[int, dict[int, float]] = {}
    for row in db.session.execute(query):
        names[row.id] = row.name
        if row.round_id is not None:
            values.setdefault(row.id, {})[row.round_id] = float(row.index)
    return [
        OrganisationSeries(org_id, names[org_id],
                           {r.id: values.get(org_id, {}).get(r.id) for r in rounds})
        for org_id in sorted(names, key=lambda i: names[i].casefold())
    ]


def component_changes(round_: Round, previous: Round | None,
                      filters: DashboardFilter) -> list[ComponentChange]:
    """Mean level per component in both rounds; sorted by change, largest rise first,
    components without a change (missing in a round) last."""
    round_ids = [round_.id] + ([previous.id] if previous is not None else [])
    levels = levels_cte(round_ids, filters.source, filters.kind, name="levels")
    query = (
        select(levels.c.round_id, levels.c.component_code,
               func.avg(cast(levels.c.level, Float)).label("mean"))
        .group_by(levels.c.round_id, levels.c.component_code)
    )
    means = {(row.round_id, row.component_code): float(row.mean)
             for row in db.session.execute(query)}
    changes = [
        ComponentChange(
            code=c.code, name=c.name, current=means.get((round_.id, c.code)),
            previous=means.get((previous.id, c.code)) if previous is not None else None)
        for c in components_in_order()
    ]
    return sorted(changes, key=lambda c: (c.change is None, -(c.change or 0)))


def fallen_back(round_: Round, previous: Round | None,
                filters: DashboardFilter) -> list[FallBack]:
    """Organisations with a lower index in `round_` than in `previous`, largest fall first.

    One query joins the per-organisation indices of the two rounds; an organisation without
    an index in either round cannot have fallen back and is not listed.
    """
    if previous is None:
        return []
    now = _per_organisation([round_.id], filters, name="levels_now").subquery("now")
    before = _per_organisation([previous.id], filters, name="levels_before").subquery("before")
    fall = now.c.index - before.c.index
    query = (
        select(Organisation.id, Organisation.name, Organisation.kind,
               before.c.index.label("previous"), now.c.index.label("current"))
        .select_from(now)
        .join(before, before.c.organisation_id == now.c.organisation_id)
        .join(Organisation, Organisation.id == now.c.organisation_id)
        .where(now.c.index < before.c.index)
        .order_by(fall, Organisation.name)
    )
    return [FallBack(row.id, row.name, row.kind, float(row.previous), float(row.current))
            for row in db.session.execute(query)]
