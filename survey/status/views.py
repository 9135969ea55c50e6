"""Stadskontoret's status pages: overview per round, returning responses, reminders."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.accounts.access import analyst_required
from survey.extensions import db
from survey.moved_urls import keep_old_urls
from survey.navigation import NavItem, add_nav_item
from survey.questionnaires.models import Round
from survey.questionnaires.services import all_rounds
from survey.responses.models import Response
from survey.responses.services import ResponseError, return_for_completion
from survey.status.forms import ReturnForm
from survey.status.reminders import (
    ReminderError,
    plan_reminders,
    reminders_for,
    send_reminders,
)
from survey.status.services import (
    newest_open_round,
    organisation_names,
    parse_kind,
    round_overview,
)

bp = Blueprint("status", __name__, url_prefix="/status")


@bp.record_once
def _add_to_main_menu(state) -> None:
    add_nav_item(state.app, NavItem("status.index", "Svarsstatus", "status",
                                    lambda user: user.is_analyst, order=10))



@bp.get("/")
@analyst_required
def index():
    newest = None if request.args.get("alla") else newest_open_round()
    if newest is not None:
        return redirect(url_for("status.round_status", round_id=newest.id))
    return render_template("status/index.html", rounds=all_rounds())


@bp.get("/omgangar/<int:round_id>")
@analyst_required
def round_status(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    kind = parse_kind(request.args.get("kind"))
    reminders = reminders_for(round_)
    return render_template("status/round.html", overview=round_overview(round_, kind),
                           latest_reminder=reminders[0] if reminders else None,
                           reminder_count=len(reminders))


@bp.route("/svar/<int:response_id>/aterlamna", methods=["GET", "POST"])
@analyst_required
def return_response(response_id: int):
    response = db.get_or_404(Response, response_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            return_for_completion(response, current_user, form.reason.data)
        except ResponseError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Svaret från {response.organisation.name} är återsänt för komplettering.",
                  "success")
            return redirect(url_for("status.round_status", round_id=response.round_id))
    return render_template("status/return.html", form=form, response=response)


@bp.route("/omgangar/<int:round_id>/paminn", methods=["GET", "POST"])
@analyst_required
def remind(round_id: int):
    """GET: who would get a reminder and the exact text, and a form to confirm; POST: send."""
    round_ = db.get_or_404(Round, round_id)
    if request.method == "GET":
        try:
            plan, refusal = plan_reminders(round_), None
        except ReminderError as exc:
            plan, refusal = None, str(exc)
        return render_template("status/remind.html", round=round_, plan=plan, refusal=refusal)
    try:
        result = send_reminders(round_, current_user)
    except ReminderError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("status.round_status", round_id=round_.id))
    db.session.commit()
    _flash_reminder_result(result)
    return redirect(url_for("status.round_status", round_id=round_.id))


def _flash_reminder_result(result) -> None:
    if result.reminder is None:
        flash("Ingen påminnelse skickades: ingen av organisationerna som inte har svarat "
              "har någon aktiv användare.", "warning")
    else:
        flash(f"Påminnelse skickad till {len(result.reminded)} organisationer "
              f"({len(result.recipients)} mottagare).", "success")
        if result.failed:
            flash(f"{result.failed} meddelanden kunde inte skickas och ligger kvar i utkorgen.",
                  "warning")
    if result.without_user:
        flash("Organisationer utan aktiv användare fick ingen påminnelse: "
              + ", ".join(result.without_user) + ".", "warning")


@bp.get("/omgangar/<int:round_id>/paminnelser")
@analyst_required
def reminders(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    return render_template("status/reminders.html", round=round_, reminders=reminders_for(round_),
                           organisations=organisation_names())

# The English addresses these pages had until December 2026.
keep_old_urls(bp, {
    "/status/responses/<int:response_id>/return": ".return_response",
    "/status/rounds/<int:round_id>": ".round_status",
    "/status/rounds/<int:round_id>/remind": ".remind",
    "/status/rounds/<int:round_id>/reminders": ".reminders",
})
