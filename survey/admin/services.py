"""Admin queries and the few admin actions not already in the domain services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from survey.accounts.models import User
from survey.accounts.services import AccountError, set_active
from survey.analysis.status import StatusCount, count_statuses, status_rows
from survey.extensions import db
from survey.mail.models import OutgoingMail
from survey.organisations.models import Organisation
from survey.questionnaires.definitions import SPECIAL_QUESTION, all_definitions
from survey.questionnaires.models import Round

#: Messages per page, in each of the outbox's two lists.
OUTBOX_PAGE_SIZE = 50


def all_organisations() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).order_by(Organisation.kind.desc(), Organisation.name)
    ))


def organisation_choices() -> list[SelectChoice]:
    return [SelectChoice("", "Ingen organisation")] + [
        SelectChoice(str(org.id), f"{org.name} ({org.short_name})")
        for org in all_organisations()
    ]


def questionnaire_choices() -> list[SelectChoice]:
    """The questionnaires for a new round, the annual special question first (the default)."""
    definitions = sorted(all_definitions().items(), key=lambda item: item[0] != SPECIAL_QUESTION)
    return [SelectChoice(key, definition.title) for key, definition in definitions]


def all_users() -> list[User]:
    return list(db.session.scalars(
        select(User).options(selectinload(User.organisation))
        .order_by(User.active.desc(), User.role, User.email)
    ))


def change_active(user: User, active: bool, by: User) -> None:
    """Activate or deactivate; an admin cannot lock themselves out."""
    if not active and user.id == by.id:
        raise AccountError("Du kan inte inaktivera ditt eget konto.")
    if user.active == active:
        raise AccountError("Användaren är redan aktiv." if active
                           else "Användaren är redan inaktiverad.")
    set_active(user, active)


def rounds_with_copy_source() -> tuple[list[Round], set[int]]:
    """All rounds, newest first, and the ids of the newest round per questionnaire
    (the ones "Skapa nästa års omgång" copies)."""
    rounds = list(db.session.scalars(
        select(Round).order_by(Round.year.desc(), Round.questionnaire_key, Round.id.desc())
    ))
    newest: dict[str, int] = {}
    for round_ in rounds:
        newest.setdefault(round_.questionnaire_key, round_.id)
    return rounds, set(newest.values())


def is_newest_of_its_questionnaire(round_: Round) -> bool:
    newest = db.session.scalar(
        select(Round.id).where(Round.questionnaire_key == round_.questionnaire_key)
        .order_by(Round.year.desc(), Round.id.desc())
    )
    return newest == round_.id


@dataclass(frozen=True)
class RoundReach:
    """Whom opening or closing a round concerns: the organisations of its population
    (survey.analysis.status, as on the status page) and their responses by status."""

    organisations: int
    not_submitted: int  # organisations with a report (or a response) not submitted
    counts: list[StatusCount]


def round_reach(round_: Round) -> RoundReach:
    rows = status_rows(round_)
    return RoundReach(
        organisations=len({row.organisation_id for row in rows}),
        not_submitted=len({row.organisation_id for row in rows if not row.has_submitted}),
        counts=count_statuses(rows),
    )


def outbox_page(sent: bool, page: int):
    """A Flask-SQLAlchemy pagination of the unsent (queued or failed) or the sent
    messages, newest first."""
    stmt = select(OutgoingMail)
    if sent:
        stmt = stmt.where(OutgoingMail.sent_at.is_not(None)).order_by(
            OutgoingMail.sent_at.desc(), OutgoingMail.id.desc())
    else:
        stmt = stmt.where(OutgoingMail.sent_at.is_(None)).order_by(
            OutgoingMail.created_at.desc(), OutgoingMail.id.desc())
    return db.paginate(stmt, page=page, per_page=OUTBOX_PAGE_SIZE, error_out=False)
