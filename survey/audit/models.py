"""Audit events. Never passwords, never answer text."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.accounts.models import User
from survey.database import UTCDateTime, utcnow
from survey.extensions import db
from survey.organisations.models import Organisation


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: A dotted verb, e.g. "login.success", "answer.save", "response.submit".
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    #: Short metadata (never answer text or passwords), newlines escaped.
    detail: Mapped[str] = mapped_column(String(500), default="")

    user: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
