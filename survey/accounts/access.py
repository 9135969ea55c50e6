"""Who may see what: role decorators and organisation-scoped lookups.

Every view that takes the id of a response goes through `response_for_current_user`,
so the rule "a respondent sees only their own organisation" lives in one place.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from survey.extensions import db


def analyst_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_analyst:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def can_access_organisation(organisation_id: int) -> bool:
    if current_user.is_analyst:
        return True
    return current_user.organisation_id == organisation_id


def get_scoped_or_404(model, object_id: int):
    """The object by id, if the current user may see its organisation; 404 otherwise.

    404 rather than 403 for another organisation's objects, so ids reveal nothing.
    """
    obj = db.session.get(model, object_id)
    if obj is None or not can_access_organisation(obj.organisation_id):
        abort(404)
    return obj
