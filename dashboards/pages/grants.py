"""Development funds (utvecklingsmedel): granted vs used per organisation and area, the
utilisation, the works by component and the list of works, from the rounds of the
development-funds questionnaire (not the special question's rounds)."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go
from flask import render_template

from dashboards import bp
from dashboards.charts import KRONOR_AXIS, OUTLINE, Chart, base_layout, empty_chart
from dashboards.context import PageContext, page_context
from survey.accounts.access import analyst_required
from survey.analysis.filters import chosen_round, dashboard_rounds
from survey.analysis.grants import GrantFigures, grant_figures, newest_with_reports
from survey.formatting import amount_sv
from survey.questionnaires.grants import GRANTS_QUESTIONNAIRE
from survey.security.headers import allow_chart_styles

#: Okabe–Ito blue for granted, orange with hatching for used: told apart without colour.
GRANTED_COLOUR = "#0072b2"
USED_COLOUR = "#e69f00"


def grants_context() -> PageContext:
    """The page context, with the round chosen among the development-funds rounds."""
    context = page_context()
    rounds = dashboard_rounds(GRANTS_QUESTIONNAIRE)
    chosen = chosen_round(context.filters, rounds)
    if context.filters.round_id is None:
        chosen = newest_with_reports(rounds) or chosen
    return replace(context, rounds=rounds, round=chosen)


def percent(value: float | None) -> str:
    """"42 %" (whole per cent, as the tables show it)."""
    return "–" if value is None else f"{round(100 * value):d}\u00a0%"


def amounts_chart(figures: GrantFigures, year: int) -> Chart:
    title = f"Beviljat och använt belopp per organisation {year}"
    rows = figures.organisations
    if not rows:
        return empty_chart("grants-amounts", title, "Inga inskickade redovisningar i omgången.")
    names = [row.label for row in rows]
    figure = go.Figure()
    for label, values, colour, pattern in (
            ("Beviljat", [row.granted for row in rows], GRANTED_COLOUR, ""),
            ("Använt", [row.used for row in rows], USED_COLOUR, "/")):
        figure.add_trace(go.Bar(
            name=label, y=names, x=values, orientation="h",
            marker={"color": colour, "line": OUTLINE, "pattern": {"shape": pattern}},
            customdata=[[amount_sv(v)] for v in values],
            hovertemplate=f"%{{y}}<br>{label}: %{{customdata[0]}}<extra></extra>"))
    figure.update_layout(base_layout(title, height=160 + 60 * len(rows), barmode="group",
                                     legend={"orientation": "h", "y": 1.0, "x": 0,
                                             "yanchor": "bottom", "traceorder": "normal"},
                                     margin={"l": 330, "r": 30, "t": 90, "b": 50}))
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title="Kronor", rangemode="tozero", gridcolor="#dddddd", **KRONOR_AXIS)
    return Chart("grants-amounts", title, figure)


@bp.get("/utvecklingsmedel", endpoint="grants")
@analyst_required
@allow_chart_styles
def grants_page():
    context = grants_context()
    if context.round is None:
        return render_template("dashboards/grants.html", context=context, figures=None)
    figures = grant_figures(context.round, context.filters)
    return render_template("dashboards/grants.html", context=context, figures=figures,
                           amounts_chart=amounts_chart(figures, context.round.year),
                           percent=percent)
