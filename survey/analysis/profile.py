"""One organisation's figures: its levels this round against last round and the city median,
its maturity index over all rounds, and the gap between its self-assessment and the
assessment. Each is one query over `levels_query`; missing is None, never 0."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Float, and_, cast, func, select

from survey.analysis.filters import DashboardFilter
from survey.analysis.maturity import component_summaries, components_in_order
from survey.extensions import db
from survey.questionnaires.models import Round
from survey.scoring.levels import LevelSource, levels_cte


@dataclass(frozen=True)
class RoundIndex:
    """The organisation's maturity index in one round; None when it has no level there."""

    round: Round
    index: float | None
    present: int  # components with a level


@dataclass(frozen=True)
class ComponentProfile:
    """One component: the organisation's level this round and last, and the city median."""

    code: str
    name: str
    level: int | None
    source: str | None
    previous_level: int | None
    previous_source: str | None
    city_median: float | None


@dataclass(frozen=True)
class SelfAssessmentGap:
    """A component with both a self-assessed and an assessed level."""

    code: str
    name: str
    self_level: int
    assessed_level: int

    @property
    def difference(self) -> int:
        """Positive when the organisation rated itself higher than the analysts did."""
        return self.self_level - self.assessed_level


def index_series(organisation_id: int, rounds: Sequence[Round],
                 source: LevelSource = LevelSource.EFFECTIVE) -> list[RoundIndex]:
    """The index in every round, oldest first (one GROUP BY over all the rounds)."""
    if not rounds:
        return []
    levels = levels_cte([r.id for r in rounds], source,
                          organisation_ids=[organisation_id], name="levels")
    query = (
        select(levels.c.round_id, func.avg(cast(levels.c.level, Float)).label("mean"),
               func.count().label("present"))
        .group_by(levels.c.round_id)
    )
    found = {row.round_id: row for row in db.session.execute(query)}
    return [
        RoundIndex(round=r,
                   index=float(found[r.id].mean) if r.id in found else None,
                   present=found[r.id].present if r.id in found else 0)
        for r in sorted(rounds, key=lambda r: (r.year, r.id))
    ]


def component_profile(organisation_id: int, round_: Round, previous: Round | None,
                      source: LevelSource = LevelSource.EFFECTIVE) -> list[ComponentProfile]:
    """Per component: this round's and the previous round's level (one query) and the city
    median of this round (the same distribution the overview shows)."""
    round_ids = [round_.id] + ([previous.id] if previous else [])
    levels = levels_cte(round_ids, source,
                          organisation_ids=[organisation_id], name="levels")
    found = {(row.round_id, row.component_code): (row.level, row.source)
             for row in db.session.execute(select(levels.c.round_id, levels.c.component_code,
                                                  levels.c.level, levels.c.source))}
    medians = {s.code: s.median
               for s in component_summaries(round_, DashboardFilter(source=source))}
    profile = []
    for component in components_in_order():
        level, level_source = found.get((round_.id, component.code), (None, None))
        before, before_source = (found.get((previous.id, component.code), (None, None))
                                 if previous else (None, None))
        profile.append(ComponentProfile(
            code=component.code, name=component.name, level=level, source=level_source,
            previous_level=before, previous_source=before_source,
            city_median=medians.get(component.code)))
    return profile


def self_assessment_gaps(organisation_id: int, round_: Round) -> list[SelfAssessmentGap]:
    """Self-assessed against assessed level, for the components that have both (one query)."""
    assessed = levels_cte([round_.id], LevelSource.ASSESSMENT,
                            organisation_ids=[organisation_id], name="assessed")
    own = levels_cte([round_.id], LevelSource.SELF_ASSESSMENT,
                       organisation_ids=[organisation_id], name="own")
    query = (
        select(assessed.c.component_code, assessed.c.level.label("assessed_level"),
               own.c.level.label("self_level"))
        .join(own, and_(own.c.response_id == assessed.c.response_id,
                        own.c.component_id == assessed.c.component_id))
    )
    both = {row.component_code: row for row in db.session.execute(query)}
    return [
        SelfAssessmentGap(code=c.code, name=c.name, self_level=both[c.code].self_level,
                          assessed_level=both[c.code].assessed_level)
        for c in components_in_order() if c.code in both
    ]
