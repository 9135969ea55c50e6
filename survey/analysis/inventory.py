"""What the installation holds, for the administration's start page: organisations, users,
rounds and mail waiting to be sent, each counted in the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from survey.accounts.models import User
from survey.extensions import db
from survey.mail.models import OutgoingMail
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round


@dataclass(frozen=True)
class Inventory:
    organisations: int
    users: int
    active_users: int
    rounds: int
    unsent_mail: int


def inventory() -> Inventory:
    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    return Inventory(
        organisations=count(select(func.count(Organisation.id))),
        users=count(select(func.count(User.id))),
        active_users=count(select(func.count(User.id)).where(User.active.is_(True))),
        rounds=count(select(func.count(Round.id))),
        unsent_mail=count(select(func.count(OutgoingMail.id)).where(OutgoingMail.sent_at.is_(None))),
    )
