"""Dashboards (Plotly pages). Registered by the factory under /dashboards.

Each page module in dashboards/pages gathers its figures from survey.analysis, builds the
charts (dashboards/charts.py) and renders a table under each from the same data.
"""

from flask import Blueprint, current_app

from survey.navigation import NavItem, add_nav_item

bp = Blueprint("dashboards", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

#: The analysts' pages, in the order of the page menu (pages not registered are left out).
ANALYST_PAGES = (
    ("dashboards.overview", "Översikt"),
    ("dashboards.heatmap", "Värmekarta"),
    ("dashboards.trends", "Trender"),
    ("dashboards.rights_areas", "Rättighetsområden"),
    ("dashboards.answer_scope", "Svarens omfång"),
    ("dashboards.benchmark", "Jämförelse som organisation"),
    ("dashboards.grants", "Utvecklingsmedel"),
)


@bp.record_once
def _add_to_main_menu(state) -> None:
    add_nav_item(state.app, NavItem("dashboards.overview", "Analys", "dashboards",
                                    lambda user: user.is_analyst))
    add_nav_item(state.app, NavItem("dashboards.benchmark", "Jämförelse", "dashboards",
                                    lambda user: not user.is_analyst))


@bp.context_processor
def _page_menu() -> dict:
    from dashboards.assets import plotly_version

    pages = [(endpoint, label) for endpoint, label in ANALYST_PAGES
             if endpoint in current_app.view_functions]
    return {"dashboard_pages": pages, "plotly_version": plotly_version(),
            "dashboard_endpoints": current_app.view_functions}


from dashboards import assets  # noqa: E402,F401  (routes register on import)
from dashboards.pages import (  # noqa: E402,F401
    answer_scope,
    benchmark,
    grants,
    heatmap,
    overview,
    profile,
    rights_areas,
    trends,
)
