"""The respondent's answering pages: start, answer form with autosave, history, submit,
read-only view and print view. Every route that takes a response id loads it through
`get_scoped_or_404`, so another organisation's responses are 404."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from survey.accounts.access import get_scoped_or_404
from survey.errors import rescued_fields
from survey.extensions import db
from survey.inputs import CLEANED_MESSAGE, input_was_cleaned, parse_int
from survey.moved_urls import keep_old_urls
from survey.questionnaires.grants import overspent_notice
from survey.questionnaires.models import Round, RoundStatus
from survey.questionnaires.wording import name_questions, wording_for
from survey.reference.services import components, maturity_levels, rights_areas
from survey.responses.forms import (
    ButtonForm,
    ResponseFormDataError,
    RestoreForm,
    SubmitForm,
    SubmitReportsForm,
    parse_answer_form,
)
from survey.responses.models import AnswerRevision, Response, ResponseStatus
from survey.responses.presenters import (
    BadPayload,
    autosave_field,
    conflict_json,
    question_rows,
    save_form,
    self_assessment_rows,
    tags_state,
)
from survey.responses.services import (
    ResponseConflict,
    ResponseError,
    ResponseNotEditable,
    add_report,
    case_number_warning,
    find_response,
    missing_answers,
    report_label,
    reports_of,
    restore_revision,
    start_response,
    submit,
    submit_reports,
)
from survey.responses.summary import submit_summary

bp = Blueprint("responses", __name__)


@bp.context_processor
def _questionnaire_texts() -> dict:
    return {"overspent_notice": overspent_notice, "wording_for": wording_for,
            "name_questions_of": name_questions}


def _load(response_id: int, edit: bool = False) -> Response:
    response = get_scoped_or_404(Response, response_id)
    if edit and current_user.is_analyst:
        abort(403)  # stadskontoret reads; only the organisation's respondents write
    return response


def _page_context(response: Response, outcome=None) -> dict:
    return {
        "response": response, "questions": question_rows(response, outcome),
        "components": self_assessment_rows(response, outcome), "levels": maturity_levels(),
        "areas": rights_areas() if response.round.rights_areas else [],
        "tags": tags_state(response, outcome), "outcome": outcome,
        "report_label": report_label(response) if response.round.several_reports else None,
    }


def _not_editable_message(response: Response) -> str:
    wording = wording_for(response.round)
    if response.status == ResponseStatus.SUBMITTED:
        return f"{wording.Noun} är {wording.submitted} och kan inte ändras."
    return f"Omgången är stängd och {wording.noun} kan inte längre ändras."


def _unsaved(message: str):
    return render_template("rescue.html", fields=rescued_fields(), message=message,
                           can_retry=False), 409


def _flash_case_number_warning(organisation, case_number: str, round_: Round) -> None:
    """After a submission: warn (not refuse) when the case number's registry code is not
    one of the organisation's known codes."""
    warning = case_number_warning(organisation, case_number)
    if warning:
        wording = wording_for(round_)
        flash(f"{warning} Är det fel, be stadskontoret skicka tillbaka {wording.noun} så att "
              f"{wording.pronoun} kan skickas in med rätt nummer.", "warning")


def _respondent_round(round_id: int, several_reports: bool = False):
    """The round and the respondent's organisation, if the organisation answers it:
    404 for a draft (or, where several reports are asked for, a one-response round),
    403 for staff and for an organisation that did not exist in the round's year."""
    round_ = db.session.get(Round, round_id)
    if round_ is None or round_.status == RoundStatus.DRAFT:
        abort(404)
    if current_user.is_analyst:
        abort(403)
    if several_reports and not round_.several_reports:
        abort(404)
    organisation = current_user.organisation
    if organisation is None or not organisation.is_valid_in(round_.year):
        abort(403)
    return round_, organisation


@bp.route("/omgangar/<int:round_id>/borja", methods=["GET", "POST"])
@login_required
def start(round_id: int):
    round_, organisation = _respondent_round(round_id)
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            # In a round of several reports this is the first one (later ones: add_report).
            response = start_response(round_, organisation, current_user)
        except ResponseNotEditable as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("pages.start"))
        db.session.commit()
        return redirect(url_for("responses.edit", response_id=response.id))
    existing = find_response(round_, organisation)
    if existing is not None:
        if round_.several_reports:
            return redirect(url_for("pages.start"))  # it lists every report
        return redirect(url_for("responses.edit", response_id=existing.id))
    if not round_.is_open:
        flash("Omgången är stängd.", "error")
        return redirect(url_for("pages.start"))
    return render_template("responses/start.html", round=round_, organisation=organisation,
                           form=form)


@bp.post("/omgangar/<int:round_id>/redovisningar", endpoint="add_report")
@login_required
def add_report_view(round_id: int):
    round_, organisation = _respondent_round(round_id, several_reports=True)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        response = add_report(round_, organisation, current_user)
    except ResponseError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("pages.start"))
    db.session.commit()
    flash(f"Utvecklingsarbete {response.number} är tillagt.", "success")
    return redirect(url_for("responses.edit", response_id=response.id))


@bp.route("/omgangar/<int:round_id>/skicka-in-redovisningar", methods=["GET", "POST"],
          endpoint="submit_reports")
@login_required
def submit_reports_view(round_id: int):
    round_, organisation = _respondent_round(round_id, several_reports=True)
    if not round_.is_open:
        flash("Omgången är stängd och redovisningarna kan inte längre skickas in.", "info")
        return redirect(url_for("pages.start"))
    reports = [r for r in reports_of(round_, organisation) if r.is_editable]
    form = SubmitReportsForm(round_year=round_.year, organisation=organisation,
                             noun="redovisningarna")
    form.reports.choices = [(r.id, report_label(r)) for r in reports]
    if form.validate_on_submit():
        chosen = [r for r in reports if r.id in form.reports.data]
        try:
            submit_reports(chosen, current_user, form.body, form.decision_date.data,
                           form.case_number.data)
        except ResponseError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{len(chosen)} redovisningar är inskickade med samma beslut."
                  if len(chosen) > 1 else "Redovisningen är inskickad.", "success")
            _flash_case_number_warning(organisation, form.case_number.data, round_)
            return redirect(url_for("pages.start"))
    rows = [(r, report_label(r), missing_answers(r), submit_summary(r)) for r in reports]
    return render_template("responses/submit_reports.html", round=round_,
                           organisation=organisation, rows=rows, form=form)


@bp.route("/svar/<int:response_id>", methods=["GET", "POST"])
@login_required
def edit(response_id: int):
    response = _load(response_id, edit=request.method == "POST")
    if request.method == "GET" and (current_user.is_analyst or not response.is_editable):
        if not current_user.is_analyst:
            flash(_not_editable_message(response), "info")
        return redirect(url_for("responses.view", response_id=response.id))
    if request.method == "GET":
        return render_template("responses/edit.html", **_page_context(response))
    if not response.is_editable:
        return _unsaved(_not_editable_message(response) + " Här är texten du skickade.")
    try:
        posted = parse_answer_form(request.form, [q.id for q in response.round.questions],
                                   [c.code for c in components()], response.round.rights_areas)
        outcome = save_form(response, posted, current_user)
    except ResponseFormDataError:
        abort(400)
    except ResponseNotEditable as error:
        db.session.rollback()
        return _unsaved(f"{error} Här är texten du skickade.")
    db.session.commit()
    if input_was_cleaned():
        flash(CLEANED_MESSAGE, "warning")
    if outcome.ok:
        wording = wording_for(response.round)
        flash(f"{wording.Noun} är {wording.agree('sparad', 'sparat')}.", "success")
        return redirect(url_for("responses.edit", response_id=response.id))
    status = 409 if outcome.conflicts else 422
    return render_template("responses/edit.html", **_page_context(response, outcome)), status


@bp.post("/svar/<int:response_id>/autospara")
@login_required
def autosave(response_id: int):
    response = _load(response_id, edit=True)
    payload = request.get_json(silent=True)
    try:
        result = autosave_field(response, payload, current_user)
    except ResponseConflict as conflict:
        db.session.rollback()
        return jsonify(conflict_json(conflict, payload.get("value"))), 409
    except BadPayload:
        db.session.rollback()
        return jsonify(error="bad_request", message="Fältet kunde inte sparas."), 400
    except ResponseNotEditable as error:
        db.session.rollback()
        return jsonify(error="not_editable", message=str(error)), 409
    except ResponseError as error:
        db.session.rollback()
        return jsonify(error="invalid", field=payload.get("field"), message=str(error)), 422
    db.session.commit()
    result = result.json()  # the personal-data check, after the commit (see Autosaved)
    if input_was_cleaned():
        # The page shows the warnings under the field; `cleaned` for other callers.
        result = {**result, "cleaned": True,
                  "warnings": [CLEANED_MESSAGE, *result.get("warnings", [])]}
    return jsonify(result)


@bp.get("/svar/csrf-token")
@login_required
def csrf_token():
    """A fresh token for a page whose token no longer matches the session (after re-login)."""
    return jsonify(token=generate_csrf())


@bp.get("/svar/<int:response_id>/visa")
@login_required
def view(response_id: int):
    response = _load(response_id)
    can_return = ("status.return_response" in current_app.view_functions
                  and current_user.is_analyst and response.can_be_returned)
    can_edit = not current_user.is_analyst and response.is_editable
    return render_template("responses/view.html", can_return=can_return, can_edit=can_edit,
                           **_page_context(response))


@bp.get("/svar/<int:response_id>/fragor/<int:question_id>/historik")
@login_required
def history(response_id: int, question_id: int):
    response = _load(response_id)
    question = next((q for q in response.round.questions if q.id == question_id), None)
    answer = response.answer_for(question) if question else None
    if answer is None:
        abort(404)
    can_restore = not current_user.is_analyst and response.is_editable
    return render_template("responses/history.html", response=response, question=question,
                           answer=answer, can_restore=can_restore, form=RestoreForm())


@bp.post("/svar/<int:response_id>/versioner/<int:revision_id>/aterstall")
@login_required
def restore(response_id: int, revision_id: int):
    response = _load(response_id, edit=True)
    revision = db.session.get(AnswerRevision, revision_id)
    if revision is None or revision.answer.response_id != response.id:
        abort(404)
    form = RestoreForm()
    question_id = revision.answer.question_id
    back = url_for("responses.history", response_id=response.id, question_id=question_id)
    seen_version = parse_int(form.seen_version.data or "")
    if not form.validate_on_submit() or seen_version is None:
        abort(400)
    try:
        answer = restore_revision(response, revision, seen_version, current_user)
    except ResponseConflict as conflict:
        db.session.rollback()
        flash(f"{conflict.updated_by} har sparat en nyare version (version "
              f"{conflict.current_version}) medan du tittade. Inget återställdes; "
              "titta på listan igen och välj version.", "error")
        return redirect(back)
    except ResponseError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(f"Version {revision.version} är återställd och sparad som version {answer.version}.",
          "success")
    return redirect(url_for("responses.edit", response_id=response.id,
                            _anchor=f"question-{question_id}"))


@bp.route("/svar/<int:response_id>/skicka-in", methods=["GET", "POST"], endpoint="submit")
@login_required
def submit_view(response_id: int):
    response = _load(response_id, edit=True)
    if not response.is_editable:
        flash(_not_editable_message(response), "info")
        return redirect(url_for("responses.view", response_id=response.id))
    missing = missing_answers(response)
    form = SubmitForm(round_year=response.round.year, organisation=response.organisation,
                      noun=wording_for(response.round).noun)
    if not missing and form.validate_on_submit():
        try:
            submit(response, current_user, form.body, form.decision_date.data,
                   form.case_number.data)
        except ResponseError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(wording_for(response.round).submitted_banner, "success")
            _flash_case_number_warning(response.organisation, form.case_number.data,
                                       response.round)
            return redirect(url_for("responses.view", response_id=response.id))
    return render_template("responses/submit.html", response=response, missing=missing,
                           form=form, summary=submit_summary(response), levels=maturity_levels(),
                           report_label=report_label(response)
                           if response.round.several_reports else None)


@bp.get("/svar/<int:response_id>/utskrift")
@login_required
def print_view(response_id: int):
    response = _load(response_id)
    return render_template("responses/print.html", **_page_context(response))

# The English addresses these pages had until December 2026.
keep_old_urls(bp, {
    "/responses/<int:response_id>": ".edit",
    "/responses/<int:response_id>/autosave": ".autosave",
    "/responses/<int:response_id>/print": ".print_view",
    "/responses/<int:response_id>/questions/<int:question_id>/history": ".history",
    "/responses/<int:response_id>/revisions/<int:revision_id>/restore": ".restore",
    "/responses/<int:response_id>/submit": ".submit",
    "/responses/<int:response_id>/view": ".view",
    "/responses/csrf-token": ".csrf_token",
    "/rounds/<int:round_id>/reports": ".add_report",
    "/rounds/<int:round_id>/start": ".start",
    "/rounds/<int:round_id>/submit-reports": ".submit_reports",
})
