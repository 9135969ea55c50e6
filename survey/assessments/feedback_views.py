"""Respondents: stadskontoret's published assessment of their own organisation's response.

Visible only when the round's assessments are published and the response has an effective
assessment (levels.py); otherwise 404, so nothing about an unpublished assessment leaks.
Another organisation's response is 404 too (get_scoped_or_404).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_login import login_required

from survey.accounts.access import get_scoped_or_404
from survey.analysis.feedback import feedback_rows
from survey.analysis.levels import effective_assessment, maturity_index
from survey.assessments.models import Assessment
from survey.moved_urls import keep_old_urls
from survey.responses.models import Response

bp = Blueprint("feedback", __name__, url_prefix="/aterkoppling")


def published_assessment(response: Response) -> Assessment | None:
    """The effective assessment, if the round's assessments are published; else None."""
    if response.round.assessments_published_at is None:
        return None
    return effective_assessment(response)


@bp.get("/svar/<int:response_id>")
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

# The English addresses these pages had until December 2026.
keep_old_urls(bp, {
    "/aterkoppling/responses/<int:response_id>": ".response_feedback",
})
