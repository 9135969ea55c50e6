"""Overview of a round: response status, levels per component, the maturity index per
organisation, nämnder against bolag."""

from __future__ import annotations

import plotly.graph_objects as go
from flask import render_template

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
    sv_count,
    sv_number,
)
from dashboards.context import page_context
from dashboards.paging import Page, paginate
from survey.accounts.access import analyst_required
from survey.analysis.maturity import (
    ComponentSummary,
    KindComparison,
    OrganisationIndex,
    StatusSummary,
    component_summaries,
    kind_comparison,
    organisation_indices,
    status_summary,
)
from survey.reference.models import MaturityLevel
from survey.reference.palette import MISSING_COLOUR, colour_for
from survey.security.headers import allow_chart_styles


def status_chart(summary: StatusSummary) -> Chart:
    title = "Svarsstatus: antal organisationer per status"
    figure = go.Figure(go.Bar(
        x=[count.label for count in summary.counts], y=[count.count for count in summary.counts],
        marker={"color": NEUTRAL, "line": OUTLINE}, hovertemplate="%{x}: %{y}<extra></extra>"))
    figure.update_layout(base_layout(title, height=300, showlegend=False))
    figure.update_yaxes(title="Organisationer", rangemode="tozero", gridcolor="#dddddd")
    return Chart("status", title, figure)


def mean_chart(summaries: list[ComponentSummary]) -> Chart:
    title = "Stadens medelnivå per komponent (0–4)"
    present = [s for s in summaries if s.mean is not None]
    if not present:
        return empty_chart("means", title)
    figure = go.Figure(go.Bar(
        y=[s.name for s in present], x=[s.mean for s in present], orientation="h",
        marker={"color": index_colours([s.mean for s in present]), "line": OUTLINE},
        text=[sv_number(s.mean) for s in present], textposition="outside",
        customdata=[[sv_count(s.present)] for s in present],
        hovertemplate="%{y}<br>Medelnivå %{text} (%{customdata[0]})"
                      "<extra></extra>"))
    figure.update_layout(base_layout(title, height=120 + 40 * len(present), showlegend=False,
                                     margin={"l": 230, "r": 40, "t": 60, "b": 50}))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(level_axis(title="Medelnivå"))
    return Chart("means", title, figure)


def distribution_chart(summaries: list[ComponentSummary], levels: list[MaturityLevel]) -> Chart:
    title = "Fördelning av nivåer per komponent (antal organisationer)"
    if not any(s.present for s in summaries):
        return empty_chart("distribution", title)
    names = [s.name for s in summaries]
    figure = go.Figure()
    for level in levels:
        figure.add_trace(go.Bar(
            name=f"{level.level} {level.name}", y=names,
            x=[s.counts[level.level] for s in summaries],
            orientation="h", marker={"color": colour_for(level.level), "line": OUTLINE},
            hovertemplate=f"%{{y}}<br>Nivå {level.level} {level.name}: %{{x}}<extra></extra>"))
    figure.add_trace(go.Bar(
        name="Uppgift saknas", y=names, x=[s.missing for s in summaries], orientation="h",
        marker={"color": MISSING_COLOUR, "line": OUTLINE},
        hovertemplate="%{y}<br>Uppgift saknas: %{x}<extra></extra>"))
    figure.update_layout(base_layout(title, height=140 + 45 * len(summaries), barmode="stack",
                                     legend={"orientation": "h", "y": -0.2,
                                             "traceorder": "normal"},
                                     margin={"l": 230, "r": 20, "t": 60, "b": 40}))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title="Organisationer", gridcolor="#dddddd")
    return Chart("distribution", title, figure)


def index_chart(page: Page[OrganisationIndex]) -> Chart:
    title = f"Mognadsindex per organisation ({page.caption})"
    rows = [row for row in page.items if row.index is not None]
    if not rows:
        return empty_chart("index", title)
    figure = go.Figure(go.Bar(
        y=[row.name for row in rows], x=[row.index for row in rows], orientation="h",
        marker={"color": index_colours([row.index for row in rows]), "line": OUTLINE},
        text=[sv_number(row.index) for row in rows], textposition="outside",
        hovertemplate="%{y}: %{text}<extra></extra>"))
    figure.update_layout(base_layout(title, height=120 + 24 * len(rows), showlegend=False,
                                     margin={"l": 330, "r": 40, "t": 60, "b": 40}))
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(level_axis(title="Mognadsindex (medelnivå)"))
    return Chart("index", title, figure)


def kind_chart(comparisons: list[KindComparison], summaries: list[ComponentSummary]) -> Chart:
    title = "Nämnder och bolag: medelnivå per komponent"
    if not any(c.organisations for c in comparisons):
        return empty_chart("kinds", title)
    figure = go.Figure()
    for comparison in comparisons:
        means = [comparison.means.get(s.code) for s in summaries]
        figure.add_trace(go.Bar(
            name=f"{comparison.kind.plural_label} ({comparison.organisations})",
            y=[s.name for s in summaries], x=means, orientation="h",
            marker={"color": KIND_COLOURS[comparison.kind.value], "line": OUTLINE},
            text=[sv_number(m) for m in means], textposition="outside",
            hovertemplate=f"{comparison.kind.plural_label}<br>%{{y}}: %{{text}}<extra></extra>"))
    figure.update_layout(base_layout(title, height=160 + 60 * len(summaries), barmode="group",
                                     legend={"orientation": "h", "y": -0.12,
                                             "traceorder": "normal"},
                                     margin={"l": 230, "r": 40, "t": 60, "b": 50}))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(level_axis(title="Medelnivå"))
    return Chart("kinds", title, figure)


@bp.get("/")
@analyst_required
@allow_chart_styles
def overview():
    context = page_context()
    if context.round is None:
        return render_template("dashboards/no_rounds.html", context=context)
    round_, filters = context.round, context.filters
    status = status_summary(round_, filters)
    summaries = component_summaries(round_, filters)
    indices = paginate(organisation_indices(round_, filters), filters.page)
    comparisons = kind_comparison(round_, filters)
    charts = {
        "status": status_chart(status),
        "means": mean_chart(summaries),
        "distribution": distribution_chart(summaries, context.levels),
        "index": index_chart(indices),
        "kinds": kind_chart(comparisons, summaries),
    }
    return render_template("dashboards/overview.html", context=context, status=status,
                           summaries=summaries, indices=indices, comparisons=comparisons,
                           charts=charts)
