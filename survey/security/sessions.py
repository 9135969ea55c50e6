"""Session timeouts: idle and absolute, stored as timestamps in the (signed) session.

Checked before every request. An expired session is logged out, so the request then
continues as anonymous: pages redirect to the login, and autosave calls get the
unauthorized handler's 401 JSON (survey/errors.py), which keeps the typed text in the page.
Ending every session of a user (logout, deactivation, password change) is done elsewhere,
by bumping user.session_generation (survey/accounts/services.py).
"""

from __future__ import annotations

import datetime as dt
import time

from flask import Flask, current_app, session
from flask_login import logout_user

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
#: The idle timestamp is refreshed at most this often, so not every request rewrites the cookie.
SEEN_RESOLUTION = 60


def now() -> int:
    """Seconds since the epoch (a function, so tests can move the clock)."""
    return int(time.time())


def seconds(value) -> int:
    """A config value given as a timedelta or as seconds."""
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds())
    return int(value)


def mark_login() -> None:
    """Start the clocks of a freshly logged-in session."""
    session[LOGIN_AT] = session[SEEN_AT] = now()


def is_expired(login_at, seen_at, moment: int) -> bool:
    config = current_app.config
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return True  # a session from before timeouts existed, or tampered: log in again
    return (moment - seen_at > seconds(config["SESSION_IDLE_TIMEOUT"])
            or moment - login_at > seconds(config["SESSION_ABSOLUTE_TIMEOUT"]))


def check_session_age() -> None:
    if "_user_id" not in session:
        return
    moment = now()
    if is_expired(session.get(LOGIN_AT), session.get(SEEN_AT), moment):
        logout_user()
        session.pop(LOGIN_AT, None)
        session.pop(SEEN_AT, None)
    elif moment - session[SEEN_AT] >= SEEN_RESOLUTION:
        session[SEEN_AT] = moment


def init_app(app: Flask) -> None:
    app.before_request(check_session_age)
