"""The heatmap's figures: organisations × components of a round, and the evidence behind one
response's levels (what a click on a cell opens).

The organisations come sorted and counted from `organisation_indices` (one GROUP BY); the
levels are fetched only for the page of organisations shown (one query), so a page costs the
same at 60 as at 6 000 organisations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from survey.analysis.filters import DashboardFilter
from survey.analysis.maturity import OrganisationIndex, components_in_order
from survey.extensions import db
from survey.questionnaires.models import Round, RoundQuestion
from survey.reference.models import Component
from survey.responses.models import Answer, Response, SelfAssessment
from survey.scoring.levels import (
    LevelSource,
    effective_assessment,
    effective_assessments_query,
    levels_cte,
)
from survey.scoring.models import AssessmentScore, EvidenceQuote


@dataclass(frozen=True)
class Cell:
    """One organisation's level on one component; `level` None when missing."""

    component_code: str
    level: int | None = None
    source: str | None = None  # "assessment" | "self_assessment"


@dataclass(frozen=True)
class HeatmapRow:
    organisation: OrganisationIndex
    cells: list[Cell]  # in component order (the filter's component only, if one is chosen)


@dataclass(frozen=True)
class Quote:
    component_code: str
    text: str
    question_position: int


@dataclass(frozen=True)
class ComponentEvidence:
    """What lies behind one response's level on one component."""

    component: Component
    effective: Cell  # the level that counts (missing unless the response is submitted)
    assessed_level: int | None
    justification: str
    quotes: list[Quote]
    self_level: int | None
    self_evidence: str


def heatmap_rows(round_: Round, filters: DashboardFilter,
                 organisations: Sequence[OrganisationIndex]) -> list[HeatmapRow]:
    """The cells of the given organisations (one page of them), with one query."""
    codes = [c.code for c in components_in_order()
             if not filters.component or c.code == filters.component]
    ids = [o.organisation_id for o in organisations]
    found: dict[tuple[int, str], Cell] = {}
    if ids:
        levels = levels_cte([round_.id], filters.source, organisation_ids=ids,
                              component_codes=filters.component_codes, name="levels")
        query = select(levels.c.organisation_id, levels.c.component_code, levels.c.level,
                       levels.c.source)
        for row in db.session.execute(query):
            found[(row.organisation_id, row.component_code)] = Cell(
                row.component_code, row.level, row.source)
    return [
        HeatmapRow(organisation=o, cells=[found.get((o.organisation_id, code), Cell(code))
                                          for code in codes])
        for o in organisations
    ]


def quotes_of_effective_assessments(round_id: int, organisation_id: int,
                                    component_codes: Sequence[str] = ()) -> dict[str, list[Quote]]:
    """The component quotes of the organisation's effective assessment in the round, by code
    (one query; none when no assessment counts)."""
    effective = effective_assessments_query(round_id=round_id).subquery("effective")
    query = (
        select(Component.code, EvidenceQuote.text, RoundQuestion.position)
        .join(effective, effective.c.assessment_id == EvidenceQuote.assessment_id)
        .join(Response, Response.id == effective.c.response_id)
        .join(Component, Component.id == EvidenceQuote.component_id)
        .join(Answer, Answer.id == EvidenceQuote.answer_id)
        .join(RoundQuestion, RoundQuestion.id == Answer.question_id)
        .where(Response.organisation_id == organisation_id)
        .order_by(Component.position, RoundQuestion.position, EvidenceQuote.start)
    )
    if component_codes:
        query = query.where(Component.code.in_(list(component_codes)))
    quotes: dict[str, list[Quote]] = {}
    for row in db.session.execute(query):
        quotes.setdefault(row.code, []).append(Quote(row.code, row.text, row.position))
    return quotes


def response_evidence(response: Response,
                      components: Sequence[Component]) -> list[ComponentEvidence]:
    """Per component: the effective level, the assessment's level, justification and quotes,
    and the self-assessment. Draft and returned responses have no effective level."""
    codes = [c.code for c in components]
    levels = levels_cte([response.round_id], LevelSource.EFFECTIVE,
                          organisation_ids=[response.organisation_id],
                          component_codes=codes, name="levels")
    effective = {row.component_code: Cell(row.component_code, row.level, row.source)
                 for row in db.session.execute(select(levels.c.component_code, levels.c.level,
                                                      levels.c.source))}
    assessment = effective_assessment(response)
    scores: dict[int, AssessmentScore] = {}
    quotes: dict[str, list[Quote]] = {}
    if assessment is not None:
        scores = {s.component_id: s for s in assessment.scores}
        quotes = quotes_of_effective_assessments(response.round_id, response.organisation_id,
                                                 codes)
    own = {s.component_id: s for s in db.session.scalars(
        select(SelfAssessment).where(SelfAssessment.response_id == response.id))}
    result = []
    for component in components:
        score, self_assessment = scores.get(component.id), own.get(component.id)
        result.append(ComponentEvidence(
            component=component,
            effective=effective.get(component.code, Cell(component.code)),
            assessed_level=score.level if score else None,
            justification=score.justification if score else "",
            quotes=quotes.get(component.code, []),
            self_level=self_assessment.level if self_assessment else None,
            self_evidence=self_assessment.evidence if self_assessment else ""))
    return result
