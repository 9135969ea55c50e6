"""A round's maturity figures: response status, levels per component, index per organisation,
nämnder against bolag. Each is one GROUP BY query over the round's levels."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Float, case, cast, func, select

from survey.analysis.filters import DashboardFilter
from survey.analysis.population import narrow, organisations_of_round, population_size
from survey.analysis.stats import mean_from_counts, median_from_counts
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.questionnaires.models import Round
from survey.reference.models import MAX_LEVEL, MIN_LEVEL, Component
from survey.responses.models import ResponseStatus
from survey.scoring.levels import SOURCE_ASSESSMENT, levels_cte
from survey.status.services import STATUS_KEYS, STATUS_LABELS, StatusCount, days_to_deadline

LEVELS = tuple(range(MIN_LEVEL, MAX_LEVEL + 1))


@dataclass(frozen=True)
class StatusSummary:
    counts: list[StatusCount]
    total: int
    days_left: int


@dataclass(frozen=True)
class ComponentSummary:
    """The city's levels on one component: how many organisations at each level."""

    code: str
    name: str
    counts: dict[int, int]  # level -> organisations
    missing: int  # organisations of the population without a level
    assessed: int  # of the counted, how many levels come from an assessment

    @property
    def present(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        return mean_from_counts(self.counts)

    @property
    def median(self) -> float | None:
        return median_from_counts(self.counts)


@dataclass(frozen=True)
class OrganisationIndex:
    """One organisation's maturity index in a round (None when it has no level at all)."""

    organisation_id: int
    name: str
    short_name: str
    kind: OrganisationKind
    response_id: int | None
    status: ResponseStatus | None
    index: float | None
    present: int  # components with a level
    assessed: int  # of those, levels from an assessment

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status.value if self.status else "not_started"]


@dataclass(frozen=True)
class KindComparison:
    kind: OrganisationKind
    means: dict[str, float | None]  # component code -> mean level
    organisations: int  # organisations of this kind with at least one level
    index_mean: float | None  # mean of their maturity indices


def components_in_order() -> list[Component]:
    return list(db.session.scalars(select(Component).order_by(Component.position)))


def status_summary(round_: Round, filters: DashboardFilter) -> StatusSummary:
    """How many organisations have not started, have a draft, submitted or were returned."""
    population = organisations_of_round(round_, filters).subquery("population")
    status = population.c.status
    query = select(status, func.count()).group_by(status)
    counts = dict.fromkeys(STATUS_KEYS, 0)
    for value, count in db.session.execute(query):
        counts[value.value if value else "not_started"] += count
    return StatusSummary(
        counts=[StatusCount(key, STATUS_LABELS[key], counts[key]) for key in STATUS_KEYS],
        total=sum(counts.values()), days_left=days_to_deadline(round_))


def component_summaries(round_: Round, filters: DashboardFilter) -> list[ComponentSummary]:
    """Per component (all, or the filter's one): organisations per level and missing."""
    levels = levels_cte([round_.id], filters.source, filters.kind, filters.organisation_ids,
                          filters.component_codes, name="levels")
    query = (
        select(levels.c.component_code, levels.c.level, func.count().label("n"),
               func.sum(case((levels.c.source == SOURCE_ASSESSMENT, 1), else_=0))
               .label("assessed"))
        .group_by(levels.c.component_code, levels.c.level)
    )
    counts: dict[str, dict[int, int]] = {}
    assessed: dict[str, int] = {}
    for row in db.session.execute(query):
        counts.setdefault(row.component_code, {})[row.level] = row.n
        assessed[row.component_code] = assessed.get(row.component_code, 0) + int(row.assessed)
    size = population_size(round_, filters)
    summaries = []
    for component in components_in_order():
        if filters.component and component.code != filters.component:
            continue
        by_level = {level: counts.get(component.code, {}).get(level, 0) for level in LEVELS}
        summaries.append(ComponentSummary(
            code=component.code, name=component.name, counts=by_level,
            missing=size - sum(by_level.values()), assessed=assessed.get(component.code, 0)))
    return summaries


def organisation_indices(round_: Round, filters: DashboardFilter) -> list[OrganisationIndex]:
    """Every organisation of the population with its index; sorted by the filter's order.

    The index is the mean of all its present component levels (the component filter does not
    narrow it: an index is always over the seven components).
    """
    levels = levels_cte([round_.id], filters.source, filters.kind,
                          filters.organisation_ids, name="levels")
    per_org = (
        select(levels.c.organisation_id,
               func.avg(cast(levels.c.level, Float)).label("mean"),
               func.count().label("present"),
               func.sum(case((levels.c.source == SOURCE_ASSESSMENT, 1), else_=0))
               .label("assessed"))
        .group_by(levels.c.organisation_id)
        .subquery("per_org")
    )
    population = organisations_of_round(round_, filters).subquery("population")
    query = (
        select(population, per_org.c.mean, per_org.c.present, per_org.c.assessed)
        .outerjoin(per_org, per_org.c.organisation_id == population.c.id)
    )
    rows = [
        OrganisationIndex(
            organisation_id=row.id, name=row.name, short_name=row.short_name, kind=row.kind,
            response_id=row.response_id, status=row.status,
            index=float(row.mean) if row.mean is not None else None,
            present=row.present or 0, assessed=int(row.assessed or 0))
        for row in db.session.execute(query)
    ]
    return sort_indices(rows, filters.sort)


def sort_indices(rows: list[OrganisationIndex], sort: str) -> list[OrganisationIndex]:
    """By name, or by index from the lowest (those needing support first); missing last."""
    rows = sorted(rows, key=lambda o: o.name.casefold())
    if sort == "name":
        return rows
    return sorted(rows, key=lambda o: (o.index is None, o.index if o.index is not None else 0))


def kind_comparison(round_: Round, filters: DashboardFilter) -> list[KindComparison]:
    """Nämnder against bolag: the mean level per component and the mean index per kind."""
    levels = levels_cte([round_.id], filters.source, filters.kind,
                          filters.organisation_ids, name="levels")
    means_query = narrow(
        select(Organisation.kind, levels.c.component_code,
               func.avg(cast(levels.c.level, Float)).label("mean"))
        .join(Organisation, Organisation.id == levels.c.organisation_id)
        .group_by(Organisation.kind, levels.c.component_code), filters)
    per_org = (
        select(levels.c.organisation_id, func.avg(cast(levels.c.level, Float)).label("index"))
        .group_by(levels.c.organisation_id).subquery("per_org")
    )
    index_query = (
        select(Organisation.kind, func.avg(per_org.c.index).label("mean"),
               func.count().label("n"))
        .join(Organisation, Organisation.id == per_org.c.organisation_id)
        .group_by(Organisation.kind)
    )
    means: dict[OrganisationKind, dict[str, float]] = {}
    for row in db.session.execute(means_query):
        means.setdefault(row.kind, {})[row.component_code] = float(row.mean)
    indices = {row.kind: row for row in db.session.execute(index_query)}
    codes = [component.code for component in components_in_order()]
    kinds = [filters.kind] if filters.kind else list(OrganisationKind)
    return [
        KindComparison(
            kind=kind, means={code: means.get(kind, {}).get(code) for code in codes},
            organisations=indices[kind].n if kind in indices else 0,
            index_mean=float(indices[kind].mean) if kind in indices else None)
        for kind in kinds
    ]
