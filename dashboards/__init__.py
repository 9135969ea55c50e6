"""Dashboards (Plotly pages). Registered by the factory under /analys.

Each page module in dashboards/pages gathers its figures from survey.analysis, builds the
charts (dashboards/charts.py) and renders a table under each from the same data.
"""

from flask import Blueprint, current_app

from survey.moved_urls import keep_old_urls
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

# The English addresses these pages had until December 2026.
keep_old_urls(bp, {
    "/dashboards/": ".overview",
    "/dashboards/heatmap": ".heatmap",
    "/dashboards/jamforelse": ".benchmark",
    "/dashboards/levels.css": ".levels_css",
    "/dashboards/omfang": ".answer_scope",
    "/dashboards/organisationer/<int:organisation_id>": ".profile",
    "/dashboards/plotly.min.js": ".plotly_js",
    "/dashboards/rattighetsomraden": ".rights_areas",
    "/dashboards/svar/<int:response_id>/belagg": ".evidence",
    "/dashboards/trender": ".trends",
    "/dashboards/utvecklingsmedel": ".grants",
})
