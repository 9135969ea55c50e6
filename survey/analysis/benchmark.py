"""One organisation against the city in a round: the respondents' benchmarking view.

The city's figures are anonymous: per component the quartiles of the organisations' levels
(from the per-level counts the database aggregates, maturity.component_summaries) and the
quartiles of all organisations' maturity indices (maturity.organisation_indices). Names of
other organisations are only handed out when the round's results are public.

Which levels count: until the round's assessments are published to the organisations, only
self-assessments (for the organisation itself AND for the city), so that no unpublished
assessment can be read off the page; once published, the effective levels.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import LevelSource, levels_cte
from survey.analysis.maturity import (
    ComponentSummary,
    OrganisationIndex,
    component_summaries,
    organisation_indices,
)
from survey.analysis.stats import quartiles, quartiles_from_counts
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round
from survey.responses.models import ResponseStatus

#: Where a value lies against the city's quartiles (for the table, in words).
POSITIONS = {
    "below": "Under nedre kvartilen",
    "lower": "Mellan nedre kvartilen och medianen",
    "median": "På medianen",
    "upper": "Mellan medianen och övre kvartilen",
    "above": "Över övre kvartilen",
}


@dataclass(frozen=True)
class Quartiles:
    q1: float
    median: float
    q3: float

    @classmethod
    def of(cls, values: tuple[float, float, float] | None) -> Quartiles | None:
        return None if values is None else cls(*values)

    def position(self, value: float | None) -> str | None:
        """Where `value` lies: a key of POSITIONS (None when there is no value)."""
        if value is None:
            return None
        if value < self.q1:
            return "below"
        if value > self.q3:
            return "above"
        if value == self.median:
            return "median"
        return "lower" if value < self.median else "upper"


@dataclass(frozen=True)
class ComponentBenchmark:
    """One component: the organisation's own level and the city's anonymous quartiles."""

    code: str
    name: str
    own: int | None
    own_source: str | None  # "assessment" | "self_assessment"
    city: Quartiles | None  # None with fewer than two organisations with a level
    organisations: int  # organisations with a level on the component

    @property
    def position(self) -> str | None:
        return self.city.position(self.own) if self.city and self.own is not None else None


@dataclass(frozen=True)
class IndexBenchmark:
    """The organisation's maturity index against the quartiles of all organisations' indices."""

    own: float | None
    own_present: int  # components with a level behind the own index
    city: Quartiles | None
    organisations: int  # organisations with an index

    @property
    def position(self) -> str | None:
        return self.city.position(self.own) if self.city and self.own is not None else None


@dataclass(frozen=True)
class PublicIndex:
    """A row of the public results table (only built when the round's results are public)."""

    organisation_id: int
    name: str
    kind_label: str
    index: float | None


@dataclass(frozen=True)
class Benchmark:
    round: Round
    organisation_id: int
    organisation_name: str
    source: LevelSource
    submitted: bool  # the organisation has a submitted response in the round
    components: list[ComponentBenchmark]
    index: IndexBenchmark
    public: list[PublicIndex] | None  # all organisations, by name; None unless public

    @property
    def assessments_published(self) -> bool:
        return self.source == LevelSource.EFFECTIVE


def benchmark_source(round_: Round) -> LevelSource:
    """Self-assessments only until the round's assessments are published."""
    if round_.assessments_published_at is None:
        return LevelSource.SELF_ASSESSMENT
    return LevelSource.EFFECTIVE


def own_levels(round_: Round, organisation_id: int,
               source: LevelSource) -> dict[str, tuple[int, str]]:
    """The organisation's present levels in the round: code -> (level, source); one query."""
    rows = levels_cte([round_.id], source, organisation_ids=[organisation_id], name="levels")
    query = select(rows.c.component_code, rows.c.level, rows.c.source)
    return {row.component_code: (row.level, row.source) for row in db.session.execute(query)}


def benchmark(round_: Round, organisation: Organisation) -> Benchmark:
    """The organisation against the city in the round (a handful of GROUP BY queries)."""
    source = benchmark_source(round_)
    city = DashboardFilter(source=source, sort="name")
    summaries = component_summaries(round_, city)
    indices = organisation_indices(round_, city)
    own_index = next((o for o in indices if o.organisation_id == organisation.id), None)
    levels = own_levels(round_, organisation.id, source)
    components = [_component(s, *levels.get(s.code, (None, None))) for s in summaries]
    values = [o.index for o in indices if o.index is not None]
    index = IndexBenchmark(
        own=own_index.index if own_index else None,
        own_present=own_index.present if own_index else 0,
        city=Quartiles.of(quartiles(values)), organisations=len(values))
    return Benchmark(
        round=round_, organisation_id=organisation.id, organisation_name=organisation.name,
        source=source, submitted=_submitted(own_index), components=components, index=index,
        public=_public_rows(indices) if round_.results_public else None)


def _component(summary: ComponentSummary, own: int | None,
               own_source: str | None) -> ComponentBenchmark:
    return ComponentBenchmark(
        code=summary.code, name=summary.name, own=own, own_source=own_source,
        city=Quartiles.of(quartiles_from_counts(summary.counts)),
        organisations=summary.present)


def _submitted(own: OrganisationIndex | None) -> bool:
    return own is not None and own.status == ResponseStatus.SUBMITTED


def _public_rows(indices: list[OrganisationIndex]) -> list[PublicIndex]:
    return [PublicIndex(o.organisation_id, o.name, o.kind.label, o.index) for o in indices]
