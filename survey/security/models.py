"""Recent failed logins, for throttling (the database backend of survey/security/throttling.py).

One row per login attempt and counter: the key is an HMAC of "account:<e-mail>",
"account-ip:<e-mail and address>" or "ip:<address>", so neither typed addresses nor client
addresses are stored. A row is written (and committed) before the password is checked; it
stays as the failure, or is deleted when the attempt is refused or succeeds. Rows older than
the window are deleted at every attempt.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.database import UTCDateTime, utcnow
from survey.extensions import db


class LoginFailure(db.Model):
    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
