"""Respondents: stadskontoret's published assessment of their own organisation's response.

Visible only when the round's assessments are published and the response has an effective
assessment (levels.py); otherwise 404, so nothing about an unpublished assessment leaks.
Another organisation's response is 404 too (get_scoped_or_404).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, url_for
from flask_login import login_required
from sqlalchemy import select

from survey.accounts.access import get_scoped_or_404
from survey.analysis.levels import effective_assessment, maturity_index
from survey.assessments.models import Assessment, AssessmentScore, EvidenceQuote
from survey.extensions import db
from survey.reference.models import Component, MaturityLevel
from survey.responses.models import Response

bp = Blueprint("feedback", __name__, url_prefix="/aterkoppling")


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


def published_assessment(response: Response) -> Assessment | None:
    """The effective assessment, if the round's assessments are published; else None."""
    if response.round.assessments_published_at is None:
        return None
    return effective_assessment(response)


def feedback_rows(response: Response, assessment: Assessment) -> list[FeedbackRow]:
    levels = {lv.level: lv for lv in db.session.scalars(select(MaturityLevel))}
    self_levels = {sa.component_id: sa.level for sa in response.self_assessments}
    rows = []
    for component in db.session.scalars(select(Component).order_by(Component.position)):
        score = assessment.score_for(component)
        level = score.level if score is not None else None
        rows.append(FeedbackRow(
            component=component, score=score, level=levels.get(level),
            self_level=levels.get(self_levels.get(component.id)),
            quotes=[q for q in assessment.quotes if q.component_id == component.id],
        ))
    return rows


@bp.get("/responses/<int:response_id>")
@login_required
def response_feedback(response_id: int):
    response = get_scoped_or_404(Response, response_id)
    assessment = published_assessment(response)
    if assessment is None:
        abort(404)
    rows = feedback_rows(response, assessment)
    index = maturity_index([row.level.level for row in rows if row.level is not None],
                           total=len(rows))
    return render_template("assessments/feedback_response.html", response=response,
                           assessment=assessment, rows=rows, index=index)


@bp.app_context_processor
def feedback_link():
    """`feedback_url(response)` in every template: the feedback page's URL, or None."""

    def feedback_url(response: Response) -> str | None:
        if response is None or response.round.assessments_published_at is None:
            return None
        if effective_assessment(response) is None:
            return None
        return url_for("feedback.response_feedback", response_id=response.id)

    return {"feedback_url": feedback_url}
