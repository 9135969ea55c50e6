"""Reading the audit log: the page's filters (from the query string) and its pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.accounts.models import User
from survey.audit.labels import ACTION_LABELS, GROUP_LABELS, is_known_filter
from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.formatting import STOCKHOLM
from survey.inputs import parse_id
from survey.organisations.models import Organisation

PAGE_SIZE = 100
#: Dates the filter accepts: yyyy-mm-dd, years the log can hold (and UTC can express).
_DATE = re.compile(r"(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}")


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _date(value: str, what: str, problems: list[str]) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        if _DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    problems.append(f"{what} ska vara ett datum som åååå-mm-dd, till exempel 2024-06-01. "
                    f"Filtret på {what.lower()} används inte.")
    return None


def _known_id(value: str, model, what: str, problems: list[str]) -> int | None:
    if not value.strip():
        return None
    found = parse_id(value)
    if found is None or db.session.get(model, found) is None:
        problems.append(f"{what} finns inte. Filtret på {what.lower()} används inte.")
        return None
    return found


@dataclass(frozen=True)
class AuditFilter:
    """What the log shows; a value that is not one the page offers is left out, with a
    Swedish message in `problems`."""

    user_id: int | None = None
    organisation_id: int | None = None
    action: str = ""  # an action ("round.open") or a group of them ("round")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args: Mapping) -> AuditFilter:
        problems: list[str] = []
        action = (args.get("action") or "").strip()
        if action and not is_known_filter(action):
            problems.append(f"Händelsetypen ”{_shorten(action)}” finns inte i listan. "
                            "Alla händelser visas.")
            action = ""
        date_from = _date(args.get("from") or "", "Från-datum", problems)
        date_to = _date(args.get("to") or "", "Till-datum", problems)
        if date_from and date_to and date_from > date_to:
            problems.append("Från-datumet ligger efter till-datumet. Datumfiltret används inte.")
            date_from = date_to = None
        return cls(
            user_id=_known_id(args.get("user") or "", User, "Användaren", problems),
            organisation_id=_known_id(args.get("org") or "", Organisation, "Organisationen",
                                      problems),
            action=action, date_from=date_from, date_to=date_to,
            page=parse_id(args.get("page") or "") or 1, problems=tuple(problems),
        )

    def args(self, **changes) -> dict:
        """Query arguments for url_for(): the filters in use (and the page, unless 1)."""
        current = replace(self, **changes)
        found: dict = {}
        if current.user_id:
            found["user"] = current.user_id
        if current.organisation_id:
            found["org"] = current.organisation_id
        if current.action:
            found["action"] = current.action
        if current.date_from:
            found["from"] = current.date_from.isoformat()
        if current.date_to:
            found["to"] = current.date_to.isoformat()
        if current.page != 1:
            found["page"] = current.page
        return found

    @property
    def active(self) -> bool:
        return bool(self.args(page=1))


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), STOCKHOLM).astimezone(dt.UTC)


def events_page(chosen: AuditFilter):
    """A Flask-SQLAlchemy pagination of the chosen events, newest first."""
    stmt = select(AuditEvent).options(selectinload(AuditEvent.user),
                                      selectinload(AuditEvent.organisation))
    if chosen.user_id:
        stmt = stmt.where(AuditEvent.user_id == chosen.user_id)
    if chosen.organisation_id:
        stmt = stmt.where(AuditEvent.organisation_id == chosen.organisation_id)
    if chosen.action in ACTION_LABELS:
        stmt = stmt.where(AuditEvent.action == chosen.action)
    elif chosen.action in GROUP_LABELS:
        stmt = stmt.where((AuditEvent.action == chosen.action)
                          | AuditEvent.action.startswith(chosen.action + ".", autoescape=True))
    if chosen.date_from:  # days in Swedish time, as the log shows them
        stmt = stmt.where(AuditEvent.at >= _local_midnight(chosen.date_from))
    if chosen.date_to:
        stmt = stmt.where(AuditEvent.at < _local_midnight(chosen.date_to + dt.timedelta(days=1)))
    stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return db.paginate(stmt, page=chosen.page, per_page=PAGE_SIZE, error_out=False)


def user_choices() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


def organisation_choices() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.short_name)))
