"""Rights areas: how many organisations address each rights area, per round (the rule of
what counts is in survey.analysis.rights)."""

from __future__ import annotations

import plotly.graph_objects as go
from flask import render_template

from dashboards import bp
from dashboards.charts import (
    NEUTRAL,
    OUTLINE,
    Chart,
    base_layout,
    empty_chart,
    sv_count,
    sv_number,
)
from dashboards.context import page_context
from survey.accounts.access import analyst_required
from survey.analysis.rights import RightsAreaFigures, rights_area_figures
from survey.security.headers import allow_chart_styles

#: Okabe–Ito colours with a marker symbol each, so the lines are told apart without colour.
AREA_STYLES = (("#0072b2", "circle"), ("#d55e00", "square"), ("#009e73", "diamond"),
               ("#cc79a7", "triangle-up"), ("#e69f00", "triangle-down"), ("#56b4e9", "x"),
               ("#000000", "star"), ("#999933", "cross"))


def share_text(figures: RightsAreaFigures, round_id: int, area_id: int) -> str:
    found = figures.round(round_id)
    share = found.share(area_id) if found else None
    return "saknas" if share is None else f"{sv_number(100 * share, 0)} %"


def rounds_chart(figures: RightsAreaFigures) -> Chart:
    title = ("Andel av organisationerna med inskickat svar som tar upp varje "
             "rättighetsområde, per omgång")
    answered = [r for r in figures.rounds if r.submitted]
    if not answered:
        return empty_chart("areas-rounds", title)
    years = [str(r.year) for r in answered]
    figure = go.Figure()
    for number, area in enumerate(figures.areas):
        colour, symbol = AREA_STYLES[number % len(AREA_STYLES)]
        figure.add_trace(go.Scatter(
            x=years, y=[100 * r.share(area.id) for r in answered], name=area.name,
            mode="lines+markers", line={"color": colour, "width": 2},
            marker={"symbol": symbol, "size": 10, "color": colour},
            customdata=[[share_text(figures, r.round_id, area.id), r.counts.get(area.id, 0),
                         sv_count(r.submitted)] for r in answered],
            hovertemplate=(f"{area.name} %{{x}}: %{{customdata[0]}}"
                           "<br>%{customdata[1]} av %{customdata[2]}"
                           "<extra></extra>")))
    figure.update_layout(base_layout(title, height=500,
                                     legend={"orientation": "h", "y": -0.3}))
    figure.update_xaxes(type="category")
    figure.update_yaxes(title="Andel av organisationerna (%)", range=[0, 105],
                        gridcolor="#dddddd")
    return Chart("areas-rounds", title, figure)


def ranked_chart(figures: RightsAreaFigures, round_id: int, year: int) -> Chart:
    title = f"Rättighetsområden {year}: antal organisationer, flest först"
    ranked = figures.ranked(round_id)
    found = figures.round(round_id)
    if found is None or not found.submitted:
        return empty_chart("areas-ranked", title, "Inga inskickade svar i omgången.")
    figure = go.Figure(go.Bar(
        y=[area.name for area, _ in ranked], x=[count for _, count in ranked], orientation="h",
        marker={"color": NEUTRAL, "line": OUTLINE},
        text=[f"{count} ({share_text(figures, round_id, area.id)})" for area, count in ranked],
        textposition="outside", hovertemplate="%{y}: %{text}<extra></extra>"))
    figure.update_layout(base_layout(title, height=120 + 40 * len(ranked), showlegend=False,
                                     margin={"l": 260, "r": 90, "t": 60, "b": 50}))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title=f"Organisationer (av {found.submitted} med inskickat svar)",
                        range=[0, found.submitted * 1.15], gridcolor="#dddddd")
    return Chart("areas-ranked", title, figure)


@bp.get("/rattighetsomraden")
@analyst_required
@allow_chart_styles
def rights_areas():
    context = page_context()
    if context.round is None:
        return render_template("dashboards/no_rounds.html", context=context)
    figures = rights_area_figures(context.rounds, context.filters)
    charts = {
        "rounds": rounds_chart(figures),
        "ranked": ranked_chart(figures, context.round.id, context.round.year),
    }
    return render_template("dashboards/rights_areas.html", context=context, figures=figures,
                           chosen=figures.round(context.round.id),
                           ranked=figures.ranked(context.round.id), charts=charts)
