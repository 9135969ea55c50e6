"""User accounts and roles."""

from __future__ import annotations

import datetime as dt
import enum

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.database import UTCDateTime, enum_column_type, utcnow
from survey.extensions import db
from survey.organisations.models import Organisation


class Role(enum.StrEnum):
    RESPONDENT = "respondent"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "respondent": "Svarande",
            "analyst": "Analytiker",
            "admin": "Administratör",
        }[self.value]


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role <> 'respondent' OR organisation_id IS NOT NULL",
            name="respondent_has_organisation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored in lower case; the login name.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        enum_column_type(Role)
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Bumped on logout, password change and deactivation; a session cookie
    #: carrying an older generation is no longer accepted.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        # The generation travels in the session: a cookie from before a
        # logout or password change then no longer loads the user.
        return f"{self.id}:{self.session_generation}"

    @property
    def is_analyst(self) -> bool:
        return self.role in (Role.ANALYST, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __str__(self) -> str:
        return self.name
