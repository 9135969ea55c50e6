"""Answer scope: words per answer per organisation (the great variation in scope), and how
scope goes with the assessed maturity index."""

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
    index_colours,
    level_axis,
    level_colourscale,
    sv_count,
    sv_number,
)
from dashboards.context import page_context
from dashboards.paging import Page, paginate
from survey.accounts.access import analyst_required
from survey.analysis.answer_scope import AnswerScope, OrganisationScope, answer_scope
from survey.security.headers import allow_chart_styles

#: Okabe–Ito colours for the questions' parts of a bar.
QUESTION_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
                    "#f0e442", "#000000")
#: Above this many organisations the spread chart shows only the outliers as points.
MAX_POINTS = 1000
#: Below this many organisations r is stated with a warning.
FEW = 10


def correlation_text(r: float | None, pairs: int) -> str:
    """Pearson's r said in Swedish, with the caveat that it says nothing about cause."""
    if r is None:
        return ("Sambandet kan inte beräknas: det behövs minst tre organisationer med både "
                "inskickat svar och mognadsindex, och spridning i båda.")
    size = abs(r)
    strength = ("inget tydligt samband" if size < 0.1 else "ett svagt samband" if size < 0.3
                else "ett måttligt samband" if size < 0.5 else "ett starkt samband")
    direction = "högre" if r > 0 else "lägre"
    start = f"r = {sv_number(r, 2)} ({sv_count(pairs)}): {strength}"
    if size < 0.1:
        text = f"{start} mellan svarens längd och mognaden."
    else:
        text = (f"{start}; längre svar hänger ihop med {direction} mognad, "
                "men det säger inget om orsak.")
    if pairs < FEW:
        text += " Med så få organisationer är sambandet mycket osäkert."
    return text


def spread_chart(scope: AnswerScope, year: int) -> Chart:
    title = f"Antal ord per organisation {year}: spridningen mellan organisationerna"
    rows = scope.with_words
    if not rows:
        return empty_chart("spread", title, "Inga inskickade svar i omgången.")
    few = len(rows) <= MAX_POINTS  # else only the outliers as points, without names
    figure = go.Figure(go.Box(
        x=[o.words for o in rows], name="", orientation="h",
        boxpoints="all" if few else "outliers", jitter=0.5, pointpos=0,
        text=[o.name for o in rows] if few else None,
        marker={"color": NEUTRAL, "size": 8, "opacity": 0.8},
        line={"color": "#1a1a1a"}, fillcolor="rgba(59, 82, 139, 0.15)",
        hovertemplate=("%{text}: " if few else "") + "%{x} ord<extra></extra>"))
    figure.update_layout(base_layout(title, height=260, showlegend=False,
                                     margin={"l": 30, "r": 20, "t": 60, "b": 50}))
    figure.update_xaxes(title="Antal ord i alla svar", rangemode="tozero", gridcolor="#dddddd")
    figure.update_yaxes(visible=False)
    return Chart("spread", title, figure)


def words_chart(scope: AnswerScope, page: Page[OrganisationScope]) -> Chart:
    title = f"Antal ord per organisation och fråga ({page.caption})"
    rows = [o for o in page.items if o.words is not None]
    if not rows:
        return empty_chart("words", title)
    figure = go.Figure()
    for number, question in enumerate(scope.questions):
        figure.add_trace(go.Bar(
            name=question.label, y=[o.name for o in rows],
            x=[o.per_question[question.id] for o in rows], orientation="h",
            marker={"color": QUESTION_COLOURS[number % len(QUESTION_COLOURS)],
                    "line": OUTLINE},
            hovertemplate=f"%{{y}}<br>{question.label}: %{{x}} ord<extra></extra>"))
    figure.update_layout(base_layout(title, height=140 + 24 * len(rows), barmode="stack",
                                     legend={"orientation": "h", "y": 1.0, "x": 0,
                                             "yanchor": "bottom", "traceorder": "normal"},
                                     margin={"l": 330, "r": 30, "t": 90, "b": 50}))
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title="Antal ord", gridcolor="#dddddd")
    return Chart("words", title, figure)


def correlation_chart(scope: AnswerScope, year: int) -> Chart:
    title = f"Svarens omfång och mognadsindex {year}"
    pairs = scope.pairs
    if not pairs:
        return empty_chart("correlation", title)
    if len(pairs) > MAX_POINTS:  # thousands of points: no names, numeric colours (small JSON)
        trace = go.Scatter(
            x=[o.words for o in pairs], y=[round(o.index, 3) for o in pairs], mode="markers",
            marker={"color": [round(o.index, 2) for o in pairs], "cmin": 0, "cmax": 4,
                    "colorscale": level_colourscale(), "size": 6, "opacity": 0.7},
            hovertemplate="%{x} ord, mognadsindex %{y:.2f}<extra></extra>")
    else:
        trace = go.Scatter(
            x=[o.words for o in pairs], y=[o.index for o in pairs], mode="markers",
            text=[o.name for o in pairs],
            marker={"color": index_colours([o.index for o in pairs]), "size": 11,
                    "line": OUTLINE},
            customdata=[[sv_number(o.index, 2)] for o in pairs],
            hovertemplate="%{text}<br>%{x} ord, mognadsindex %{customdata[0]}<extra></extra>")
    figure = go.Figure(trace)
    figure.update_layout(base_layout(title, height=420, showlegend=False))
    figure.update_xaxes(title="Antal ord i alla svar", rangemode="tozero", gridcolor="#dddddd")
    figure.update_yaxes(level_axis(title="Mognadsindex (medelnivå)"))
    return Chart("correlation", title, figure)


@bp.get("/omfang", endpoint="answer_scope")
@analyst_required
@allow_chart_styles
def answer_scope_page():
    context = page_context()
    if context.round is None:
        return render_template("dashboards/no_rounds.html", context=context)
    round_, filters = context.round, context.filters
    scope = answer_scope(round_, filters)
    page = paginate(scope.organisations, filters.page)
    charts = {
        "spread": spread_chart(scope, round_.year),
        "words": words_chart(scope, page),
        "correlation": correlation_chart(scope, round_.year),
    }
    return render_template("dashboards/answer_scope.html", context=context, scope=scope,
                           page=page, charts=charts,
                           correlation=correlation_text(scope.correlation, len(scope.pairs)))
