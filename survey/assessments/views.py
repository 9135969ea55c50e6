"""The analyst's assessment page: answers on the left, the seven components on the right.

One form posts everything (save, done, reopen, move to the new version, add or remove a
quote, accept a suggestion), so adding a quote never loses unsaved levels. Analysts and
admins only; respondents get 403.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from survey.accounts.access import analyst_required, get_scoped_or_404
from survey.assessments import presenters
from survey.assessments.forms import (
    AssessmentFormDataError,
    PostedAssessment,
    parse_assessment_form,
)
from survey.assessments.models import AssessmentStatus, EvidenceQuote, Tag
from survey.assessments.rights_areas import compare as compare_rights_areas
from survey.assessments.services import (
    AssessmentConflict,
    ScoringError,
    add_quote,
    can_move,
    find_assessment,
    mark_done,
    move_to_latest_submission,
    remove_quote,
    reopen_assessment,
    save_assessment,
    start_assessment,
)
from survey.assessments.work_components import (
    components_of,
    set_work_components,
    takes_component_tags,
)
from survey.extensions import db
from survey.inputs import parse_id
from survey.moved_urls import keep_old_urls
from survey.reference.services import components, maturity_levels, rights_areas
from survey.responses.models import Answer, Response

bp = Blueprint("scoring", __name__)

MESSAGES = {"save": "Bedömningen är sparad.", "done": "Bedömningen är markerad som klar.",
            "reopen": "Bedömningen är öppnad för ändringar.",
            "move": "Bedömningen gäller nu den nya versionen av svaret.",
            "quote": "Belägget är sparat.", "suggestion": "Förslaget är sparat som belägg.",
            "remove_quote": "Belägget är borttaget."}


def _render(response: Response, posted: PostedAssessment | None = None, conflict=None,
            error: str | None = None, status: int = 200):
    assessment = find_assessment(response, current_user)
    all_components, areas = components(), rights_areas()
    answers = presenters.answer_rows(response, assessment)
    editable = assessment is None or not (assessment.is_out_of_date
                                          or assessment.status == AssessmentStatus.DONE)
    context = {
        "response": response, "assessment": assessment, "answers": answers,
        "components": presenters.assessment_component_rows(response, assessment,
                                                           all_components, posted, conflict),
        "levels": maturity_levels(), "areas": areas, "error": error, "conflict": conflict,
        "tag_groups": presenters.tag_groups(list(db.session.scalars(select(Tag)))),
        "suggestions": presenters.suggestions(answers, assessment, areas) if editable else None,
        "section_id": presenters.section_id,
        "editable": editable, "can_move": assessment is not None and can_move(assessment),
        "version": conflict.current_version if conflict else (
            assessment.version if assessment else 0),
        "rights": compare_rights_areas(response, assessment, areas,
                                       posted.rights_area_ids if posted else None),
        "selected_tags": set(posted.tag_ids) if posted else {
            t.id for t in (assessment.tags if assessment else [])},
    }
    return render_template("assessments/assess.html", **context), status


def _apply(response: Response, posted: PostedAssessment) -> str | None:
    """Save the form, commit, then carry out the button's action (each step commits).

    Returns the id of the page's section that a quote added or removed belongs to, so the
    redirect brings the analyst back there; None for the other actions."""
    assessment = start_assessment(response, current_user)
    if posted.action == "move":
        move_to_latest_submission(assessment, current_user)
    elif posted.action == "reopen":
        reopen_assessment(assessment, current_user)
    else:
        save_assessment(assessment, posted.seen_version, current_user, posted.levels,
                        posted.justifications, posted.rights_area_ids, posted.tag_ids)
    db.session.commit()
    section = None
    if posted.action == "done":
        mark_done(assessment, current_user)
    elif posted.quote is not None:
        answer = db.session.get(Answer, posted.quote.answer_id)
        if answer is None or answer.response_id != response.id:
            raise ScoringError("Svaret hör inte till denna bedömning.")
        q = posted.quote
        added = add_quote(assessment, answer, q.start, q.end, q.target, current_user,
                          q.from_suggestion)
        db.session.flush()  # so that the new quote's target loads
        section = presenters.quote_section_id(added)
    elif posted.remove_quote_id is not None:
        quote = db.session.get(EvidenceQuote, posted.remove_quote_id)
        if quote is None or quote.assessment_id != assessment.id:
            raise ScoringError("Belägget finns inte längre.")
        section = presenters.quote_section_id(quote)
        remove_quote(quote, current_user)
    db.session.commit()
    return section


@bp.route("/svar/<int:response_id>", methods=["GET", "POST"])
@analyst_required
def assess(response_id: int):
    response = get_scoped_or_404(Response, response_id)
    if response.round.several_reports:
        # Development-work reports are not scored on the maturity scale; the analyst tags
        # the components they strengthen on the response page instead (work_components below).
        return redirect(url_for("responses.view", response_id=response.id))
    if response.latest_submission is None:
        flash("Svaret har inte skickats in och kan inte bedömas ännu.", "info")
        return redirect(url_for("responses.view", response_id=response.id))
    if request.method == "GET":
        return _render(response)
    try:
        posted = parse_assessment_form(request.form, [c.code for c in components()])
    except AssessmentFormDataError:
        abort(400)
    try:
        section = _apply(response, posted)
    except AssessmentConflict as conflict:
        db.session.rollback()
        return _render(response, posted, conflict=conflict, status=409)
    except ScoringError as error:
        db.session.rollback()
        return _render(response, posted, error=str(error), status=422)
    flash(MESSAGES[posted.action], "success")
    # After a quote or suggestion, back to the section it concerns rather than the top of
    # a long page: the fragment scrolls there, the section takes focus (tabindex="-1").
    return redirect(url_for("scoring.assess", response_id=response.id, _anchor=section))


# Development works: not scored, but tagged with the components they strengthen; the
# form sits on the response's page (responses.view).
@bp.post("/svar/<int:response_id>/komponenter")
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

# The English addresses these pages had until December 2026.
keep_old_urls(bp, {
    "/bedomning/responses/<int:response_id>": ".assess",
    "/bedomning/responses/<int:response_id>/komponenter": ".work_components",
})
