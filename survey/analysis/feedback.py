"""The figures of one published assessment as its organisation sees them: per component the
assessed and the self-assessed level, the difference and the evidence quotes."""

from __future__ import annotations

from dataclasses import dataclass

from survey.assessments.models import Assessment, AssessmentScore, EvidenceQuote
from survey.reference.models import Component, MaturityLevel
from survey.reference.services import components, maturity_levels
from survey.responses.models import Response


@dataclass
class FeedbackRow:
    component: Component
    score: AssessmentScore | None
    level: MaturityLevel | None
    self_level: MaturityLevel | None
    quotes: list[EvidenceQuote]

    @property
    def difference(self) -> int | None:
        """Assessed level minus self-assessed level, when both exist."""
        if self.level is None or self.self_level is None:
            return None
        return self.level.level - self.self_level.level


def feedback_rows(response: Response, assessment: Assessment) -> list[FeedbackRow]:
    levels = {lv.level: lv for lv in maturity_levels()}
    self_levels = {sa.component_id: sa.level for sa in response.self_assessments}
    rows = []
    for component in components():
        score = assessment.score_for(component)
        level = score.level if score is not None else None
        rows.append(FeedbackRow(
            component=component, score=score, level=levels.get(level),
            self_level=levels.get(self_levels.get(component.id)),
            quotes=[q for q in assessment.quotes if q.component_id == component.id],
        ))
    return rows
