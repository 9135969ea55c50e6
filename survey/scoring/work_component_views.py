"""Analysts tag a development work (a report of a round of several reports) with the
components it strengthens; the form sits on the response's page (responses.view).

Registered on the scoring blueprint (imported at the end of scoring/views.py).
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from survey.accounts.access import analyst_required, get_scoped_or_404
from survey.extensions import db
from survey.inputs import parse_id
from survey.reference.services import components
from survey.responses.models import Response
from survey.scoring.services import ScoringError
from survey.scoring.views import bp
from survey.scoring.work_components import (
    components_of,
    set_work_components,
    takes_component_tags,
)


@bp.post("/responses/<int:response_id>/komponenter")
@analyst_required
def work_components(response_id: int):
    response = get_scoped_or_404(Response, response_id)
    if not takes_component_tags(response):
        abort(404)
    ids = [parse_id(value) for value in request.form.getlist("component")]
    if None in ids:
        abort(400)  # no page of ours sends that
    try:
        set_work_components(response, ids, current_user)
    except ScoringError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Komponenterna är sparade.", "success")
    return redirect(url_for("responses.view", response_id=response.id))


@bp.app_context_processor
def work_components_context():
    """`work_components_panel(response)` in every template: what the response page shows
    about the work's components, or None when there is nothing to show."""

    def work_components_panel(response: Response | None) -> dict | None:
        if response is None or not takes_component_tags(response):
            return None
        tagged = components_of(response)
        if current_user.is_analyst:
            return {"editable": True, "components": components(), "tagged": tagged,
                    "selected": {c.id for c in tagged}}
        # Respondents see the tags only once the round's assessments are published, like
        # the rest of stadskontoret's assessment (feedback_views.py).
        if response.round.assessments_published_at is None or not tagged:
            return None
        return {"editable": False, "components": tagged, "tagged": tagged,
                "selected": {c.id for c in tagged}}

    return {"work_components_panel": work_components_panel}
