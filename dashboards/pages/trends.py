"""Trends: the city's maturity index across rounds (and the chosen organisations'), which
components moved most since the previous round, and the organisations that fell back."""

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
    level_axis,
    sv_change,
    sv_count,
    sv_number,
)
from dashboards.context import page_context
from dashboards.paging import paginate
from survey.accounts.access import analyst_required
from survey.analysis.filters import Population, previous_round
from survey.analysis.trends import (
    ComponentChange,
    FallBack,
    OrganisationSeries,
    RoundIndex,
    city_indices,
    component_changes,
    fallen_back,
    organisation_series,
)
from survey.security.headers import allow_chart_styles

#: Okabe–Ito colours for the organisations' lines (the city's line is NEUTRAL and thicker).
SERIES_COLOURS = ("#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#0072b2",
                  "#f0e442", "#000000")
#: Rise and fall (blue and vermilion: told apart with any colour vision).
RISE, FALL = "#0072b2", "#d55e00"
#: The fall-back chart shows at most this many organisations (the worst).
WORST = 25


def index_trend_chart(city: list[RoundIndex], series: list[OrganisationSeries]) -> Chart:
    title = "Mognadsindex per omgång: staden" + (" och valda organisationer" if series else "")
    if not any(point.value is not None for point in city):
        return empty_chart("trend", title)
    years = [point.label for point in city]
    figure = go.Figure(go.Scatter(
        x=years, y=[point.value for point in city], name="Staden (medel av organisationerna)",
        mode="lines+markers", line={"color": NEUTRAL, "width": 4}, marker={"size": 10},
        text=[sv_number(point.value, 2) for point in city],
        customdata=[[sv_count(point.organisations)] for point in city],
        hovertemplate="Staden %{x}: %{text} (%{customdata[0]})<extra></extra>"))
    symbols = ("circle-open", "square", "diamond", "triangle-up", "x", "star", "cross",
               "hexagon")
    for number, org in enumerate(series):
        values = [org.values.get(point.round_id) for point in city]
        figure.add_trace(go.Scatter(
            x=years, y=values, name=org.name, mode="lines+markers", connectgaps=False,
            line={"color": SERIES_COLOURS[number % len(SERIES_COLOURS)], "width": 2,
                  "dash": "dash"},
            marker={"size": 9, "symbol": symbols[number % len(symbols)]},
            text=[sv_number(value, 2) for value in values],
            hovertemplate=f"{org.name} %{{x}}: %{{text}}<extra></extra>"))
    figure.update_layout(base_layout(title, height=400,
                                     legend={"orientation": "h", "y": -0.2}))
    figure.update_xaxes(type="category")
    figure.update_yaxes(level_axis(title="Mognadsindex (medelnivå)"))
    return Chart("trend", title, figure)


def change_chart(changes: list[ComponentChange], year: int, previous_year: int | None,
                 population: Population = Population.MATCHED) -> Chart:
    title = (f"Förändring av medelnivån per komponent från {previous_year} till {year}"
             if previous_year else "Förändring per komponent")
    if previous_year and population == Population.MATCHED:
        title += " (samma organisationer)"
    present = [c for c in changes if c.change is not None]
    if not present:
        return empty_chart("changes", title, "Ingen tidigare omgång att jämföra med."
                           if previous_year is None else "Inga uppgifter att visa.")
    figure = go.Figure(go.Bar(
        y=[c.name for c in present], x=[c.change for c in present], orientation="h",
        marker={"color": [RISE if c.change >= 0 else FALL for c in present], "line": OUTLINE,
                "pattern": {"shape": ["" if c.change >= 0 else "/" for c in present]}},
        text=[sv_change(c.change) for c in present],
        textposition="outside",
        customdata=[[sv_number(c.previous, 2), sv_number(c.current, 2),
                     sv_count(c.previous_n), sv_count(c.current_n)] for c in present],
        hovertemplate="%{y}: %{text}<br>%{customdata[0]} (%{customdata[2]}) → "
                      "%{customdata[1]} (%{customdata[3]})<extra></extra>"))
    biggest = max(abs(c.change) for c in present) or 0.5
    figure.update_layout(base_layout(title, height=120 + 42 * len(present), showlegend=False,
                                     margin={"l": 230, "r": 60, "t": 60, "b": 50}))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(range=[-biggest * 1.35, biggest * 1.35], zeroline=True,
                        zerolinecolor="#333333", zerolinewidth=2, gridcolor="#dddddd",
                        title="Förändring i medelnivå (nivåsteg)")
    return Chart("changes", title, figure)


def fall_chart(falls: list[FallBack], year: int, previous_year: int | None) -> Chart:
    title = "Organisationer som föll tillbaka"
    if previous_year:
        title += f" från {previous_year} till {year}"
    if len(falls) > WORST:
        title += f" (de {WORST} största fallen av {len(falls)})"
    worst = falls[:WORST]
    if not worst:
        return empty_chart("falls", title, "Ingen organisation föll tillbaka."
                           if previous_year else "Ingen tidigare omgång att jämföra med.")
    figure = go.Figure(go.Bar(
        y=[f.name for f in worst], x=[f.change for f in worst], orientation="h",
        marker={"color": FALL, "line": OUTLINE},
        text=[sv_change(f.change) for f in worst], textposition="outside",
        customdata=[[sv_number(f.previous, 2), sv_number(f.current, 2)] for f in worst],
        hovertemplate="%{y}: %{text}<br>%{customdata[0]} → %{customdata[1]}<extra></extra>"))
    figure.update_layout(base_layout(title, height=120 + 26 * len(worst), showlegend=False,
                                     margin={"l": 330, "r": 40, "t": 60, "b": 50}))
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title="Förändring av mognadsindex", gridcolor="#dddddd",
                        range=[min(f.change for f in worst) * 1.4, 0])
    return Chart("falls", title, figure)


@bp.get("/trender")
@analyst_required
@allow_chart_styles
def trends():
    context = page_context()
    if context.round is None:
        return render_template("dashboards/no_rounds.html", context=context)
    round_, filters = context.round, context.filters
    previous = previous_round(round_, context.rounds)
    city = city_indices(context.rounds, filters)
    series = organisation_series(context.rounds, filters)
    changes = component_changes(round_, previous, filters)
    falls = fallen_back(round_, previous, filters)
    previous_year = previous.year if previous else None
    charts = {
        "trend": index_trend_chart(city, series),
        "changes": change_chart(changes, round_.year, previous_year, filters.population),
        "falls": fall_chart(falls, round_.year, previous_year),
    }
    return render_template("dashboards/trends.html", context=context, previous=previous,
                           city=city, series=series, changes=changes,
                           falls=paginate(falls, filters.page), charts=charts)
