"""Writing audit events."""

from __future__ import annotations

from flask_login import current_user

from survey.audit.models import AuditEvent
from survey.extensions import db

MAX_DETAIL = 500


def _clean(detail: str) -> str:
    # One event per line wherever the log is read or shipped.
    escaped = detail.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
    return escaped[:MAX_DETAIL]


def record(action: str, *, obj=None, organisation_id: int | None = None, user=None,
           detail: str = "") -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    if user is None and current_user and getattr(current_user, "is_authenticated", False):
        user = current_user
    if organisation_id is None and obj is not None:
        organisation_id = getattr(obj, "organisation_id", None)
    if organisation_id is None and user is not None:
        organisation_id = getattr(user, "organisation_id", None)
    event = AuditEvent(
        user_id=user.id if user is not None else None,
        organisation_id=organisation_id,
        action=action,
        object_type=type(obj).__tablename__ if obj is not None else "",
        object_id=getattr(obj, "id", None) if obj is not None else None,
        detail=_clean(detail),
    )
    db.session.add(event)
    return event
