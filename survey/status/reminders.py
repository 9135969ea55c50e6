""""Skicka påminnelse": e-mail the organisations that have not submitted."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.accounts.models import Role, User
from survey.analysis.status import StatusRow, days_to_deadline, status_rows
from survey.audit.services import record
from survey.extensions import db
from survey.mail.models import Reminder
from survey.mail.services import queue_and_send
from survey.questionnaires.models import Round
from survey.responses.models import ResponseStatus


class ReminderError(ValueError):
    """A reminder that cannot be sent; the message is Swedish, for the user."""


@dataclass(frozen=True)
class ReminderResult:
    reminder: Reminder | None
    reminded: list[str]          # organisation names that got at least one message
    recipients: list[str]        # e-mail addresses
    without_user: list[str]      # organisation names with no active respondent
    failed: int = 0              # messages SMTP did not accept (they stay in the outbox)


def _days_text(days: int) -> str:
    if days > 1:
        return f"Det är {days} dagar kvar."
    if days == 1:
        return "Det är en dag kvar."
    if days == 0:
        return "Sista svarsdag är i dag."
    return "Sista svarsdagen har passerat; skicka in svaret så snart som möjligt."


def reminder_message(round_: Round, row: StatusRow, link: str) -> tuple[str, str]:
    """The Swedish subject and body for one organisation."""
    deadline = round_.deadline.isoformat()
    subject = f"Påminnelse: {round_.title} – sista svarsdag {deadline}"
    if row.status == ResponseStatus.RETURNED:
        state = ("Ert svar har skickats tillbaka för komplettering och behöver "
                 "skickas in igen.")
    elif row.status == ResponseStatus.DRAFT:
        state = "Ert svar är påbörjat men ännu inte inskickat."
    else:
        state = "Ert svar är ännu inte påbörjat."
    body = (
        "Hej!\n\n"
        f"Det här är en påminnelse om att {row.organisation_name} ännu inte har skickat in "
        f"sitt svar på {round_.title}.\n{state}\n\n"
        f"Sista svarsdag: {deadline}. {_days_text(days_to_deadline(round_))}\n\n"
        f"Logga in och svara här:\n{link}\n\n"
        "Svaret beslutas av nämnden eller bolagsstyrelsen och skickas in med beslutsdatum "
        "och diarienummer.\n\n"
        "Med vänliga hälsningar\nStadskontoret, Malmö stad\n"
    )
    return subject, body


def _respondents_by_organisation(organisation_ids: list[int]) -> dict[int, list[User]]:
    users = db.session.scalars(
        select(User)
        .where(User.organisation_id.in_(organisation_ids), User.role == Role.RESPONDENT,
               User.active.is_(True))
        .order_by(User.email)
    )
    result: dict[int, list[User]] = {}
    for user in users:
        result.setdefault(user.organisation_id, []).append(user)
    return result


@dataclass(frozen=True)
class PlannedMessage:
    """The reminder one organisation would get: its recipients and the exact text."""

    organisation_id: int
    organisation_name: str
    recipients: list[str]
    subject: str
    body: str


@dataclass(frozen=True)
class ReminderPlan:
    """Who a reminder would reach now, and what they would read (the confirmation page
    shows it; send_reminders sends it)."""

    messages: list[PlannedMessage]
    without_user: list[str]      # organisation names with no active respondent

    @property
    def recipient_count(self) -> int:
        return sum(len(message.recipients) for message in self.messages)


def plan_reminders(round_: Round) -> ReminderPlan:
    """The messages a reminder would send to every organisation that has not submitted.
    ReminderError when none may be sent (round not open, everyone has submitted)."""
    if not round_.is_open:
        raise ReminderError("Påminnelser kan bara skickas för en öppen omgång.")
    # One row per organisation: in a round of several reports it has a row per report.
    pending = list({row.organisation_id: row for row in status_rows(round_)
                    if not row.has_submitted}.values())
    if round_.several_reports:
        # Only organisations with a report under way: one without any was granted nothing.
        pending = [row for row in pending if row.status is not None]
    if not pending:
        raise ReminderError("Alla organisationer har skickat in sina svar; ingen behöver påminnas.")
    users = _respondents_by_organisation([row.organisation_id for row in pending])
    without_user = [row.organisation_name for row in pending if not users.get(row.organisation_id)]
    link = url_for("pages.start", _external=True)
    messages = []
    for row in pending:
        if users.get(row.organisation_id):
            subject, body = reminder_message(round_, row, link)
            messages.append(PlannedMessage(row.organisation_id, row.organisation_name,
                                           [user.email for user in users[row.organisation_id]],
                                           subject, body))
    return ReminderPlan(messages, without_user)


def send_reminders(round_: Round, sender: User) -> ReminderResult:
    """Queue (and, with SMTP configured, send) one message per active respondent of
    every organisation that has not submitted; all linked to one Reminder row."""
    plan = plan_reminders(round_)
    if not plan.messages:
        return ReminderResult(None, [], [], plan.without_user)

    reminder = Reminder(round_id=round_.id, sent_by_id=sender.id)
    db.session.add(reminder)
    db.session.flush()
    recipients, failed = [], 0
    for planned in plan.messages:
        for email in planned.recipients:
            message = queue_and_send(email, planned.subject, planned.body,
                                     reminder_id=reminder.id,
                                     organisation_id=planned.organisation_id)
            recipients.append(email)
            failed += bool(message.error)
    record("reminder.send", obj=reminder, user=sender,
           detail=f"omgång {round_.id}: {len(plan.messages)} organisationer, "
                  f"{len(recipients)} mottagare, {len(plan.without_user)} utan användare")
    db.session.flush()
    return ReminderResult(reminder, [planned.organisation_name for planned in plan.messages],
                          recipients, plan.without_user, failed)


def reminders_for(round_: Round) -> list[Reminder]:
    """Earlier reminders for the round, newest first, with their messages."""
    return list(db.session.scalars(
        select(Reminder)
        .where(Reminder.round_id == round_.id)
        .options(selectinload(Reminder.messages), selectinload(Reminder.sent_by))
        .order_by(Reminder.created_at.desc(), Reminder.id.desc())
    ))

