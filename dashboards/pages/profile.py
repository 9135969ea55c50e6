"""Organisation profile: its levels this round against last round and the city median, its
maturity index over all rounds, the evidence quotes per component, and the gap between its
self-assessment and the assessment."""

from __future__ import annotations

import plotly.graph_objects as go
from flask import abort, render_template
from sqlalchemy import select

from dashboards import bp
from dashboards.charts import (
    KIND_COLOURS,
    NEUTRAL,
    OUTLINE,
    Chart,
    base_layout,
    empty_chart,
    index_colours,
    level_axis,
    sv_number,
)
from dashboards.context import page_context
from survey.accounts.access import analyst_required
from survey.analysis.filters import previous_round
from survey.analysis.heatmap import quotes_of_effective_assessments
from survey.analysis.profile import (
    ComponentProfile,
    RoundIndex,
    SelfAssessmentGap,
    component_profile,
    index_series,
    self_assessment_gaps,
)
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round
from survey.responses.models import Response
from survey.security.headers import allow_chart_styles

#: This round, the previous round and the city median: told apart by colour, dash and marker.
SERIES_STYLES = {
    "current": {"color": KIND_COLOURS["namnd"], "dash": "solid", "symbol": "circle"},
    "previous": {"color": KIND_COLOURS["bolag"], "dash": "dash", "symbol": "square"},
    "median": {"color": "#555555", "dash": "dot", "symbol": "diamond"},
}


def _closed(values: list) -> list:
    """A radar's line goes back to its first point."""
    return values + values[:1]


def radar_chart(profile: list[ComponentProfile], round_: Round, previous: Round | None) -> Chart:
    title = f"Nivå per komponent {round_.year}, jämfört med {previous.year} och stadens median" \
        if previous else f"Nivå per komponent {round_.year}, jämfört med stadens median"
    series = [("current", str(round_.year), [c.level for c in profile])]
    if previous is not None:
        series.append(("previous", str(previous.year), [c.previous_level for c in profile]))
    series.append(("median", f"Stadens median {round_.year}",
                   [c.city_median for c in profile]))
    if not any(v is not None for _, _, values in series for v in values):
        return empty_chart("radar", title)
    theta = _closed([c.name for c in profile])
    figure = go.Figure()
    for key, name, values in series:
        style = SERIES_STYLES[key]
        figure.add_trace(go.Scatterpolar(
            r=_closed(values), theta=theta, name=name, mode="lines+markers", connectgaps=False,
            line={"color": style["color"], "dash": style["dash"], "width": 2},
            marker={"symbol": style["symbol"], "size": 8, "color": style["color"]},
            text=_closed([sv_number(v) for v in values]),
            hovertemplate=f"{name}<br>%{{theta}}: %{{text}}<extra></extra>"))
    figure.update_layout(base_layout(
        title, height=520, legend={"orientation": "h", "y": -0.08},
        polar={"radialaxis": {"range": [0, 4], "tickvals": [0, 1, 2, 3, 4],
                              "gridcolor": "#cccccc"},
               "angularaxis": {"gridcolor": "#cccccc"}},
        margin={"l": 140, "r": 140, "t": 80, "b": 60}))
    return Chart("radar", title, figure)


def index_chart(series: list[RoundIndex]) -> Chart:
    title = "Mognadsindex per omgång (omgångar utan nivåer lämnas tomma)"
    if not any(point.index is not None for point in series):
        return empty_chart("index", title)
    values = [point.index for point in series]
    figure = go.Figure(go.Scatter(
        x=[str(point.round.year) for point in series], y=values, mode="lines+markers",
        connectgaps=False, line={"color": NEUTRAL, "width": 2},
        marker={"size": 11, "color": [index_colours([v])[0] if v is not None else NEUTRAL
                                      for v in values], "line": OUTLINE},
        text=[sv_number(v) for v in values],
        hovertemplate="%{x}: %{text}<extra></extra>"))
    figure.update_layout(base_layout(title, height=320, showlegend=False))
    figure.update_xaxes(type="category", title="Omgång")
    figure.update_yaxes(level_axis(title="Mognadsindex"))
    return Chart("index", title, figure)


def gap_chart(gaps: list[SelfAssessmentGap]) -> Chart:
    title = "Självskattning minus bedömning per komponent (nivåsteg)"
    if not gaps:
        return empty_chart("gaps", title, "Ingen komponent har både självskattning och "
                                          "bedömning.")
    differences = [gap.difference for gap in gaps]
    figure = go.Figure(go.Bar(
        y=[gap.name for gap in gaps], x=differences, orientation="h",
        marker={"color": [KIND_COLOURS["bolag"] if d > 0 else KIND_COLOURS["namnd"]
                          for d in differences], "line": OUTLINE},
        text=[f"{d:+d}" if d else "0" for d in differences], textposition="outside",
        customdata=[[gap.self_level, gap.assessed_level] for gap in gaps],
        hovertemplate="%{y}<br>Självskattning %{customdata[0]}, bedömning %{customdata[1]}"
                      "<br>Skillnad %{text}<extra></extra>"))
    figure.update_layout(base_layout(title, height=140 + 40 * len(gaps), showlegend=False,
                                     margin={"l": 230, "r": 40, "t": 60, "b": 50}))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(range=[-4.5, 4.5], tickvals=list(range(-4, 5)), zeroline=True,
                        zerolinecolor="#333333", gridcolor="#dddddd",
                        title="Positivt: självskattningen högre än bedömningen")
    return Chart("gaps", title, figure)


@bp.get("/organisationer/<int:organisation_id>")
@analyst_required
@allow_chart_styles
def profile(organisation_id: int):
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    context = page_context()
    if context.round is None:
        return render_template("dashboards/no_rounds.html", context=context)
    round_, source = context.round, context.filters.source
    previous = previous_round(round_, context.rounds)
    components = component_profile(organisation.id, round_, previous, source)
    series = index_series(organisation.id, context.rounds, source)
    gaps = self_assessment_gaps(organisation.id, round_)
    response = db.session.scalar(select(Response).filter_by(round_id=round_.id,
                                                            organisation_id=organisation.id))
    charts = {"radar": radar_chart(components, round_, previous),
              "index": index_chart(series), "gaps": gap_chart(gaps)}
    return render_template(
        "dashboards/profile.html", context=context, organisation=organisation,
        response=response, previous=previous, components=components, series=series,
        gaps=gaps, quotes=quotes_of_effective_assessments(round_.id, organisation.id),
        charts=charts)
