"""Start page and the tillgänglighetsredogörelse."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from survey.navigation import NavItem, add_nav_item
from survey.pages.services import published_feedback, rounds_for_organisation
from survey.questionnaires.services import all_rounds

bp = Blueprint("pages", __name__)


@bp.record_once
def _add_to_main_menu(state) -> None:
    # Current on the start page only: the accessibility statement is no menu entry.
    add_nav_item(state.app, NavItem("pages.start", "Start", None, lambda user: True, order=0))


@bp.get("/")
@login_required
def start():
    today = dt.date.today()
    if current_user.is_analyst:
        return render_template("pages/start_analyst.html", rounds=all_rounds(), today=today)
    organisation = current_user.organisation
    return render_template("pages/start_respondent.html",
                           entries=rounds_for_organisation(organisation),
                           feedback=published_feedback(organisation), today=today)


@bp.get("/tillganglighet")
def accessibility():
    return render_template("pages/accessibility.html")
