"""Every e-mail the platform sends or would send."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.accounts.models import User
from survey.database import UTCDateTime, utcnow
from survey.extensions import db
from survey.questionnaires.models import Round


class MailState(enum.StrEnum):
    """Where a message is, as the outbox shows it."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "I kö", "sent": "Skickat", "failed": "Misslyckades"}[self.value]


class Reminder(db.Model):
    """A "Skicka påminnelse" action: which round, who sent it, to whom."""

    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id"), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[Round] = relationship()
    sent_by: Mapped[User | None] = relationship()
    messages: Mapped[list[OutgoingMail]] = relationship(
        back_populates="reminder", order_by="OutgoingMail.id"
    )


class OutgoingMail(db.Model):
    """One message to one recipient. Unsent (sent_at NULL) messages form the outbox."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminder.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When SMTP accepted it; NULL while it waits in the outbox.
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: The SMTP error of the last attempt, if it failed.
    error: Mapped[str] = mapped_column(String(500), default="")
    #: When the last attempt failed; NULL while queued and once sent.
    failed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    reminder: Mapped[Reminder | None] = relationship(back_populates="messages")

    @property
    def state(self) -> MailState:
        if self.sent_at is not None:
            return MailState.SENT
        if self.failed_at is not None or self.error:
            return MailState.FAILED
        return MailState.QUEUED
