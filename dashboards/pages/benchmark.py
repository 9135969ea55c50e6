"""The benchmarking view: one organisation against the city's anonymous quartiles.

Respondents see their own organisation; analysts and admins choose one with ?org=<id> to see
what its respondents see. Other organisations' names appear only when the round's results
are public (survey.analysis.benchmark decides what is handed out).
"""

from __future__ import annotations

import plotly.graph_objects as go
from flask import abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from dashboards import bp
from dashboards.charts import Chart, base_layout, empty_chart, level_axis, sv_number
from dashboards.context import PageContext, page_context
from dashboards.paging import paginate
from survey.analysis.benchmark import POSITIONS, Benchmark, Quartiles, benchmark
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.security.headers import allow_chart_styles

#: Okabe–Ito colours (told apart with any colour vision) and distinct marker shapes.
BAND_COLOUR = "rgba(86, 180, 233, 0.55)"  # sky blue: the middle half of the organisations
BAND_LINE = {"color": "#0072b2", "width": 1}
MEDIAN_COLOUR = "#000000"
OWN_COLOUR = "#d55e00"  # vermilion diamond
INDEX_ROW = "Mognadsindex"


def benchmark_chart(result: Benchmark) -> Chart:
    title = "Er organisation jämfört med staden: nivå per komponent och mognadsindex"
    rows = [(c.name, c.city, c.own) for c in result.components]
    rows.append((INDEX_ROW, result.index.city, result.index.own))
    if not any(city is not None or own is not None for _, city, own in rows):
        return empty_chart("benchmark", title)
    names = [name for name, _, _ in rows]
    banded = [(name, city) for name, city, _ in rows if city is not None]
    figure = go.Figure()
    figure.add_trace(go.Bar(
        name="Mittersta hälften av organisationerna (nedre–övre kvartil)",
        y=[name for name, _ in banded], x=[_width(city) for _, city in banded],
        base=[city.q1 for _, city in banded], orientation="h", width=0.5,
        marker={"color": BAND_COLOUR, "line": BAND_LINE},
        customdata=[[sv_number(city.q1, 2), sv_number(city.q3, 2)] for _, city in banded],
        hovertemplate="%{y}<br>Nedre kvartil %{customdata[0]}, övre kvartil "
                      "%{customdata[1]}<extra></extra>"))
    medians = [city.median if city else None for _, city, _ in rows]
    figure.add_trace(go.Scatter(
        name="Stadens median", y=names, x=medians, mode="markers",
        marker={"symbol": "line-ns", "size": 26, "color": MEDIAN_COLOUR,
                "line": {"color": MEDIAN_COLOUR, "width": 4}},
        text=[sv_number(m, 2) for m in medians],
        hovertemplate="%{y}<br>Stadens median %{text}<extra></extra>"))
    owns = [own for _, _, own in rows]
    figure.add_trace(go.Scatter(
        name="Er organisation", y=names, x=owns, mode="markers",
        marker={"symbol": "diamond", "size": 15, "color": OWN_COLOUR,
                "line": {"color": "#1a1a1a", "width": 1.5}},
        text=[sv_number(own, 2) for own in owns],
        hovertemplate="%{y}<br>Er organisation %{text}<extra></extra>"))
    figure.update_layout(base_layout(title, height=200 + 42 * len(rows), barmode="overlay",
                                     legend={"orientation": "h", "x": 0, "y": -0.2,
                                             "yanchor": "top", "traceorder": "normal"},
                                     margin={"l": 230, "r": 30, "t": 60, "b": 100}))
    figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=names)
    figure.update_xaxes(level_axis(title="Nivå (0–4); mognadsindex = medelnivå"))
    return Chart("benchmark", title, figure)


def _width(city: Quartiles) -> float:
    # A band of no width would vanish; a sliver keeps it visible on the median.
    return max(city.q3 - city.q1, 0.02)


def chosen_organisation(context: PageContext) -> Organisation:
    """The respondent's own organisation; for analysts ?org=<id>, else the first by name."""
    if not current_user.is_analyst:
        if current_user.organisation_id is None:
            abort(403)
        return db.get_or_404(Organisation, current_user.organisation_id)
    known = {org_id for org_id, _ in context.organisations}
    wanted = next((org_id for org_id in context.filters.organisation_ids if org_id in known),
                  None)
    if wanted is None and context.organisations:
        wanted = context.organisations[0][0]
    if wanted is None:
        abort(404)
    return db.session.scalar(select(Organisation).where(Organisation.id == wanted))


@bp.get("/jamforelse", endpoint="benchmark")
@login_required
@allow_chart_styles
def benchmark_page():
    context = page_context()
    organisation = chosen_organisation(context)
    if context.round is None:
        return render_template("dashboards/benchmark.html", context=context, result=None,
                               organisation=organisation)
    result = benchmark(context.round, organisation)
    public = paginate(result.public, context.filters.page) if result.public is not None \
        else None
    return render_template("dashboards/benchmark.html", context=context, result=result,
                           organisation=organisation, chart=benchmark_chart(result),
                           public=public, positions=POSITIONS)
