"""Admin queries and the few admin actions not already in the domain services."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from survey.accounts.models import User
from survey.accounts.services import AccountError, set_active
from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.mail.models import OutgoingMail
from survey.organisations.models import Organisation
from survey.questionnaires.definitions import SPECIAL_QUESTION, all_definitions
from survey.questionnaires.models import Round

AUDIT_PAGE_SIZE = 100
OUTBOX_LIMIT = 200


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


def mail_messages(limit: int = OUTBOX_LIMIT) -> tuple[list[OutgoingMail], list[OutgoingMail]]:
    """(unsent, sent) messages, newest first."""
    unsent = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.sent_at.is_(None))
        .order_by(OutgoingMail.created_at.desc(), OutgoingMail.id.desc()).limit(limit)
    )
    sent = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.sent_at.is_not(None))
        .order_by(OutgoingMail.sent_at.desc(), OutgoingMail.id.desc()).limit(limit)
    )
    return list(unsent), list(sent)


def audit_page(page: int, action_prefix: str = ""):
    """A Flask-SQLAlchemy pagination of audit events, newest first."""
    stmt = select(AuditEvent).options(selectinload(AuditEvent.user),
                                      selectinload(AuditEvent.organisation))
    action_prefix = action_prefix.strip()
    if action_prefix:
        escaped = action_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(AuditEvent.action.like(escaped + "%", escape="\\"))
    stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return db.paginate(stmt, page=max(page, 1), per_page=AUDIT_PAGE_SIZE, error_out=False)


def audit_action_prefixes() -> list[str]:
    """The first part of every recorded action ("user", "round", …), for the filter."""
    actions = db.session.scalars(select(AuditEvent.action).distinct())
    return sorted({action.split(".")[0] for action in actions})
