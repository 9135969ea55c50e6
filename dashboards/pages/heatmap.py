"""Heatmap: organisations × components of a round, each cell the level that counts; a cell
opens the evidence behind it (the response's assessment, quotes and self-assessment)."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import plotly.graph_objects as go
from flask import abort, render_template, request, url_for

from dashboards import bp
from dashboards.charts import Chart, base_layout, empty_chart
from dashboards.context import page_context
from dashboards.paging import paginate
from survey.accounts.access import analyst_required
from survey.analysis.heatmap import Cell, HeatmapRow, heatmap_rows, response_evidence
from survey.analysis.levels import SOURCE_SELF_ASSESSMENT
from survey.analysis.maturity import organisation_indices
from survey.extensions import db
from survey.reference.models import Component, MaturityLevel
from survey.reference.palette import MISSING_COLOUR, colour_for
from survey.reference.services import components
from survey.responses.models import Response, ResponseStatus
from survey.security.headers import allow_chart_styles

SOURCE_LABELS = {"assessment": "bedömning", "self_assessment": "självskattning"}


def discrete_level_scale(levels: list[MaturityLevel]) -> list[list]:
    """Five equal bands over 0–4, one flat colour each (zmin 0, zmax 4)."""
    top = max(level.level for level in levels) + 1
    scale = []
    for level in levels:
        colour = colour_for(level.level)
        scale += [[level.level / top, colour], [(level.level + 1) / top, colour]]
    return scale


def evidence_url(row: HeatmapRow, cell: Cell) -> str | None:
    """Where a cell leads: the response's evidence for the component (levels only)."""
    if row.organisation.response_id is None or cell.level is None:
        return None
    return url_for("dashboards.evidence", response_id=row.organisation.response_id,
                   component=cell.component_code)


def cell_text(cell: Cell) -> str:
    if cell.level is None:
        return "–"
    return f"{cell.level}*" if cell.source == SOURCE_SELF_ASSESSMENT else str(cell.level)


def heatmap_chart(rows: list[HeatmapRow], components: list[Component],
                  levels: list[MaturityLevel], caption: str) -> Chart:
    title = f"Nivå per organisation och komponent ({caption}; * = självskattning)"
    if not rows:
        return empty_chart("heatmap", title)
    names = {level.level: level.name for level in levels}
    x = ["<br>".join(textwrap.wrap(c.name, 16)) for c in components]
    y = [row.organisation.name for row in rows]
    z, text, customdata = [], [], []
    for row in rows:
        z.append([cell.level for cell in row.cells])
        text.append([cell_text(cell) for cell in row.cells])
        customdata.append([
            [row.organisation.name, component.name,
             f"{cell.level} {names[cell.level]}" if cell.level is not None
             else "Uppgift saknas",
             SOURCE_LABELS.get(cell.source, "–").capitalize(), evidence_url(row, cell) or ""]
            for component, cell in zip(components, row.cells, strict=True)])
    figure = go.Figure(go.Heatmap(
        z=z, x=x, y=y, text=text, texttemplate="%{text}", textfont={"size": 13},
        customdata=customdata,
        zmin=0, zmax=4, colorscale=discrete_level_scale(levels), showscale=False,
        xgap=2, ygap=2, hoverongaps=True,
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>Nivå: %{customdata[2]}"
                      "<br>Källa: %{customdata[3]}<extra></extra>"))
    figure.update_layout(base_layout(title, height=170 + 26 * len(rows), showlegend=False,
                                     plot_bgcolor=MISSING_COLOUR,
                                     margin={"l": 20, "r": 20, "t": 110, "b": 20}))
    figure.update_xaxes(side="top", showgrid=False)
    figure.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    return Chart("heatmap", title, figure)


@bp.get("/varmekarta")
@analyst_required
@allow_chart_styles
def heatmap():
    context = page_context()
    if context.round is None:
        return render_template("dashboards/no_rounds.html", context=context)
    round_, filters = context.round, context.filters
    organisations = paginate(organisation_indices(round_, filters), filters.page)
    rows = heatmap_rows(round_, filters, organisations.items)
    components = [c for c in context.components
                  if not filters.component or c.code == filters.component]
    links = [[evidence_url(row, cell) for cell in row.cells] for row in rows]
    chart = heatmap_chart(rows, components, context.levels, organisations.caption)
    return render_template("dashboards/heatmap.html", context=context, page=organisations,
                           rows=rows, links=links, components=components,
                           heatmap_chart=chart)


@bp.get("/svar/<int:response_id>/belagg")
@analyst_required
@allow_chart_styles
def evidence(response_id: int):
    response = db.session.get(Response, response_id)
    if response is None:
        abort(404)
    shown = components()
    code = request.args.get("component")
    if code:
        shown = [c for c in shown if c.code == code]
        if not shown:
            abort(404)
    context = page_context()
    if any(r.id == response.round_id for r in context.rounds):
        context = replace(context, round=response.round)
    return render_template(
        "dashboards/evidence.html", context=context, response=response, component_code=code,
        items=response_evidence(response, shown),
        level_names={level.level: level.name for level in context.levels},
        counts=response.status == ResponseStatus.SUBMITTED)
