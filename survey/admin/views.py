"""Admin pages: organisations, users, rounds, the outbox and the audit log."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.accounts.access import admin_required
from survey.accounts.models import Role, User
from survey.accounts.services import AccountError, create_user, set_password
from survey.admin import services
from survey.admin.forms import (
    OrganisationForm,
    PasswordForm,
    QuestionForm,
    RoundDetailsForm,
    RoundForm,
    UserForm,
)
from survey.analysis.inventory import inventory
from survey.audit import log as audit_log
from survey.audit.labels import action_label, event_choices
from survey.audit.objects import object_names
from survey.extensions import db
from survey.inputs import parse_id
from survey.mail.models import MailState, OutgoingMail
from survey.mail.services import MailError, resend
from survey.moved_urls import keep_old_urls
from survey.navigation import ADMIN_MENU, NavItem, add_nav_item
from survey.organisations.models import Organisation, OrganisationKind
from survey.organisations.services import (
    OrganisationError,
    create_organisation,
    update_organisation,
)
from survey.questionnaires.models import Round, RoundQuestion
from survey.questionnaires.services import (
    RoundError,
    close_round,
    copy_round,
    create_round,
    deadline_passed,
    next_round_proposal,
    open_round,
    update_question_texts,
    update_round,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: The administration's tabs (admin/_nav.html), in order.
ADMIN_TABS = (
    ("admin.index", "Översikt"),
    ("admin.organisations", "Organisationer"),
    ("admin.users", "Användare"),
    ("admin.rounds", "Omgångar"),
    ("admin.outbox", "Utkorg"),
    ("admin.audit", "Händelselogg"),
)


@bp.record_once
def _add_to_menus(state) -> None:
    add_nav_item(state.app, NavItem("admin.index", "Administration", "admin",
                                    lambda user: user.is_admin, order=100))
    for endpoint, label in ADMIN_TABS:
        add_nav_item(state.app, NavItem(endpoint, label, None, lambda user: user.is_admin,
                                        menu=ADMIN_MENU))



def _apply(action, error_types, form=None) -> bool:
    """Run a service call; commit on success, else roll back and report in Swedish."""
    try:
        action()
    except error_types as exc:
        db.session.rollback()
        if form is not None:
            form.form_errors.append(str(exc))
        else:
            flash(str(exc), "error")
        return False
    db.session.commit()
    return True


@bp.get("/")
@admin_required
def index():
    return render_template("admin/index.html", summary=inventory())


# --- organisations ---------------------------------------------------------------

@bp.get("/organisationer")
@admin_required
def organisations():
    return render_template("admin/organisations.html", organisations=services.all_organisations())


@bp.route("/organisationer/ny", methods=["GET", "POST"])
@admin_required
def organisation_new():
    form = OrganisationForm()
    if form.validate_on_submit() and _apply(lambda: create_organisation(
            form.name.data, form.short_name.data, OrganisationKind(form.kind.data),
            form.valid_from.data, form.valid_to.data, form.registry_codes.data or ""),
            OrganisationError, form):
        flash(f"Organisationen {form.name.data.strip()} är skapad.", "success")
        return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=None)


@bp.route("/organisationer/<int:organisation_id>/andra", methods=["GET", "POST"])
@admin_required
def organisation_edit(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.kind.data = organisation.kind.value
    if form.validate_on_submit() and _apply(lambda: update_organisation(
            organisation, form.name.data, form.short_name.data, OrganisationKind(form.kind.data),
            form.valid_from.data, form.valid_to.data, form.registry_codes.data or ""),
            OrganisationError, form):
        flash(f"Organisationen {organisation.name} är sparad.", "success")
        return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=organisation)


# --- users -------------------------------------------------------------------------

@bp.get("/anvandare")
@admin_required
def users():
    return render_template("admin/users.html", users=services.all_users())


@bp.route("/anvandare/ny", methods=["GET", "POST"])
@admin_required
def user_new():
    form = UserForm()
    form.organisation_id.choices = services.organisation_choices()
    if form.validate_on_submit() and _apply(lambda: create_user(
            form.email.data, form.name.data, form.password.data, Role(form.role.data),
            form.organisation_id.data), AccountError, form):
        flash(f"Användaren {form.email.data.strip().lower()} är skapad.", "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form)


@bp.post("/anvandare/<int:user_id>/aktivera")
@admin_required
def user_activate(user_id: int):
    user = db.get_or_404(User, user_id)
    if _apply(lambda: services.change_active(user, True, current_user), AccountError):
        flash(f"{user.email} är aktiverad.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/anvandare/<int:user_id>/inaktivera")
@admin_required
def user_deactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    if _apply(lambda: services.change_active(user, False, current_user), AccountError):
        flash(f"{user.email} är inaktiverad och kan inte längre logga in.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/anvandare/<int:user_id>/losenord", methods=["GET", "POST"])
@admin_required
def user_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit() and _apply(lambda: set_password(user, form.password.data),
                                            AccountError, form):
        flash(f"Lösenordet för {user.email} är bytt.", "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_password.html", form=form, user=user)


# --- rounds --------------------------------------------------------------------------

@bp.get("/omgangar")
@admin_required
def rounds():
    rounds_, copyable = services.rounds_with_copy_source()
    return render_template("admin/rounds.html", rounds=rounds_, copyable=copyable)


@bp.route("/omgangar/ny", methods=["GET", "POST"])
@admin_required
def round_new():
    form = RoundForm()
    form.questionnaire.choices = services.questionnaire_choices()
    created = []
    if form.validate_on_submit() and _apply(lambda: created.append(create_round(
            form.questionnaire.data, form.year.data, form.opens_at.data, form.deadline.data)),
            RoundError, form):
        flash(f"Omgången {created[0].title} är skapad som utkast.", "success")
        return redirect(url_for("admin.round_detail", round_id=created[0].id))
    return render_template("admin/round_form.html", form=form)


@bp.route("/omgangar/<int:round_id>/kopiera", methods=["GET", "POST"])
@admin_required
def round_copy(round_id: int):
    """Next year's round: the proposed title and dates, editable, before anything is made."""
    previous = db.get_or_404(Round, round_id)
    proposal = next_round_proposal(previous)
    form = RoundDetailsForm(data={"title": proposal.title, "opens_at": proposal.opens_at,
                                  "deadline": proposal.deadline})
    created = []
    if form.validate_on_submit() and _apply(lambda: created.append(copy_round(
            previous, title=form.title.data, opens_at=form.opens_at.data,
            deadline=form.deadline.data)), RoundError, form):
        flash(f"Omgången {created[0].title} är skapad som kopia av {previous.title}.", "success")
        return redirect(url_for("admin.round_detail", round_id=created[0].id))
    return render_template("admin/round_copy.html", form=form, previous=previous,
                           proposal=proposal)


@bp.route("/omgangar/<int:round_id>/andra", methods=["GET", "POST"])
@admin_required
def round_edit(round_id: int):
    """A draft's (or a closed round's) title and dates."""
    round_ = db.get_or_404(Round, round_id)
    form = RoundDetailsForm(obj=round_)
    if form.validate_on_submit() and _apply(lambda: update_round(
            round_, form.title.data, form.opens_at.data, form.deadline.data), RoundError, form):
        flash(f"Omgången {round_.title} är sparad.", "success")
        return redirect(url_for("admin.round_detail", round_id=round_id))
    return render_template("admin/round_edit.html", form=form, round=round_)


@bp.get("/omgangar/<int:round_id>")
@admin_required
def round_detail(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    return render_template("admin/round_detail.html", round=round_,
                           copyable=services.is_newest_of_its_questionnaire(round_))


@bp.route("/omgangar/<int:round_id>/fragor/<int:question_id>", methods=["GET", "POST"])
@admin_required
def question_edit(round_id: int, question_id: int):
    question = db.get_or_404(RoundQuestion, question_id)
    if question.round_id != round_id:
        abort(404)
    form = QuestionForm(obj=question)
    if form.validate_on_submit() and _apply(lambda: update_question_texts(
            question, form.text.data, form.guidance.data or ""), RoundError, form):
        flash(f"Fråga {question.position} är sparad.", "success")
        return redirect(url_for("admin.round_detail", round_id=round_id))
    return render_template("admin/question_form.html", form=form, question=question)


@bp.route("/omgangar/<int:round_id>/oppna", methods=["GET", "POST"])
@admin_required
def round_open(round_id: int):
    """GET: what opening the round does, and a form to confirm; POST: open it."""
    round_ = db.get_or_404(Round, round_id)
    if request.method == "GET":
        return render_template("admin/round_open.html", round=round_,
                               reach=services.round_reach(round_), today=dt.date.today(),
                               deadline_passed=deadline_passed(round_))
    if _apply(lambda: open_round(round_), RoundError):
        flash(f"Omgången {round_.title} är öppnad för svar.", "success")
    return redirect(url_for("admin.round_detail", round_id=round_id))


@bp.route("/omgangar/<int:round_id>/stang", methods=["GET", "POST"])
@admin_required
def round_close(round_id: int):
    """GET: what closing the round does, and a form to confirm; POST: close it."""
    round_ = db.get_or_404(Round, round_id)
    if request.method == "GET":
        return render_template("admin/round_close.html", round=round_,
                               reach=services.round_reach(round_))
    if _apply(lambda: close_round(round_), RoundError):
        flash(f"Omgången {round_.title} är stängd.", "success")
    return redirect(url_for("admin.round_detail", round_id=round_id))


# --- outbox and audit log ----------------------------------------------------------------

@bp.get("/utkorg")
@admin_required
def outbox():
    pages = {"unsent_page": parse_id(request.args.get("unsent_page") or "") or 1,
             "sent_page": parse_id(request.args.get("sent_page") or "") or 1}
    return render_template("admin/outbox.html", pages=pages,
                           unsent=services.outbox_page(False, pages["unsent_page"]),
                           sent=services.outbox_page(True, pages["sent_page"]))


@bp.post("/utkorg/<int:message_id>/skicka-igen")
@admin_required
def outbox_resend(message_id: int):
    message = db.get_or_404(OutgoingMail, message_id)
    if _apply(lambda: resend(message, current_user), MailError):
        if message.state == MailState.SENT:
            flash(f"Meddelandet till {message.recipient} är skickat igen.", "success")
        elif message.state == MailState.FAILED:
            flash(f"Meddelandet till {message.recipient} kunde inte skickas: {message.error}",
                  "error")
        else:
            flash(f"Meddelandet till {message.recipient} ligger i kö igen; ingen e-postserver "
                  "är inställd.", "success")
    return redirect(url_for("admin.outbox"))


@bp.get("/logg")
@admin_required
def audit():
    chosen = audit_log.AuditFilter.from_args(request.args)
    events = audit_log.events_page(chosen)
    return render_template("admin/audit.html", events=events, chosen=chosen,
                           names=object_names(events.items), label=action_label,
                           event_choices=event_choices(), users=audit_log.user_choices(),
                           organisations=audit_log.organisation_choices())


# The English addresses these pages had until December 2026.
keep_old_urls(bp, {
    "/admin/audit": ".audit",
    "/admin/organisations": ".organisations",
    "/admin/organisations/<int:organisation_id>/edit": ".organisation_edit",
    "/admin/organisations/new": ".organisation_new",
    "/admin/outbox": ".outbox",
    "/admin/rounds": ".rounds",
    "/admin/rounds/<int:round_id>": ".round_detail",
    "/admin/rounds/<int:round_id>/close": ".round_close",
    "/admin/rounds/<int:round_id>/copy": ".round_copy",
    "/admin/rounds/<int:round_id>/open": ".round_open",
    "/admin/rounds/<int:round_id>/questions/<int:question_id>": ".question_edit",
    "/admin/rounds/new": ".round_new",
    "/admin/users": ".users",
    "/admin/users/<int:user_id>/activate": ".user_activate",
    "/admin/users/<int:user_id>/deactivate": ".user_deactivate",
    "/admin/users/<int:user_id>/password": ".user_password",
    "/admin/users/new": ".user_new",
})
