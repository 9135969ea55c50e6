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

from survey.analysis.filters import DashboardFilter, Population
from survey.analysis.levels import levels_cte
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.questionnaires.models import Round, RoundStatus
from survey.reference.services import components


@dataclass(frozen=True)
class RoundIndex:
    """The city's index in one round: the mean of `organisations` organisations' indices.
    An open round's figure is preliminary: answers still come in."""

    round_id: int
    title: str
    year: int
    value: float | None
    organisations: int
    preliminary: bool = False

    @property
    def label(self) -> str:
        return f"{self.year} (preliminär)" if self.preliminary else str(self.year)


@dataclass(frozen=True)
class OrganisationSeries:
    """One organisation's index per round (round id -> index; None where it has none)."""

    organisation_id: int
    name: str
    values: dict[int, float | None]


@dataclass(frozen=True)
class ComponentChange:
    """The city's mean level of one component in the previous and the chosen round, over
    `previous_n` and `current_n` organisations (the same ones, when matched)."""

    code: str
    name: str
    previous: float | None
    current: float | None
    previous_n: int = 0
    current_n: int = 0

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
                   organisations=found[r.id].n if r.id in found else 0,
                   preliminary=r.status == RoundStatus.OPEN)
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
    """Mean level per component in both rounds, with the number of organisations behind each
    mean; sorted by change, largest rise first, components without a change last.

    By default (Population.MATCHED) both means are over the organisations with a level of
    that component in both rounds, so a change is a change of the same organisations, not of
    who answered; Population.ALL takes every organisation of each round."""
    if previous is None or filters.population == Population.ALL:
        means = _means_per_round(round_, previous, filters)
    else:
        means = _matched_means(round_, previous, filters)
    changes = []
    for c in components():
        current = means.get((round_.id, c.code))
        before = means.get((previous.id, c.code)) if previous is not None else None
        changes.append(ComponentChange(
            code=c.code, name=c.name, current=current[0] if current else None,
            previous=before[0] if before else None, current_n=current[1] if current else 0,
            previous_n=before[1] if before else 0))
    return sorted(changes, key=lambda c: (c.change is None, -(c.change or 0)))


def _means_per_round(round_: Round, previous: Round | None,
                     filters: DashboardFilter) -> dict[tuple[int, str], tuple[float, int]]:
    """(round id, component code) -> (mean level, organisations) over each round's own."""
    round_ids = [round_.id] + ([previous.id] if previous is not None else [])
    levels = levels_cte(round_ids, filters.source, filters.kind, name="levels")
    query = (
        select(levels.c.round_id, levels.c.component_code,
               func.avg(cast(levels.c.level, Float)).label("mean"), func.count().label("n"))
        .group_by(levels.c.round_id, levels.c.component_code)
    )
    return {(row.round_id, row.component_code): (float(row.mean), row.n)
            for row in db.session.execute(query)}


def _matched_means(round_: Round, previous: Round,
                   filters: DashboardFilter) -> dict[tuple[int, str], tuple[float, int]]:
    """As _means_per_round, over the organisations with a level in both rounds only."""
    levels = levels_cte([round_.id, previous.id], filters.source, filters.kind, name="levels")
    now, before = levels.alias("now"), levels.alias("before")
    query = (
        select(now.c.component_code,
               func.avg(cast(now.c.level, Float)).label("current"),
               func.avg(cast(before.c.level, Float)).label("previous"),
               func.count().label("n"))
        .select_from(now)
        .join(before, (before.c.organisation_id == now.c.organisation_id)
              & (before.c.component_code == now.c.component_code))
        .where(now.c.round_id == round_.id, before.c.round_id == previous.id)
        .group_by(now.c.component_code)
    )
    means = {}
    for row in db.session.execute(query):
        means[(round_.id, row.component_code)] = (float(row.current), row.n)
        means[(previous.id, row.component_code)] = (float(row.previous), row.n)
    return means


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
