"""The city-wide figures: "Per komponent" (organisations per level, with a native stacked bar
chart in the scale's colours) and "Rättighetsområden" (how many address each area)."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.workbook import Workbook

from exports.cells import INDEX_FORMAT, PERCENT_FORMAT, header_cells, number_cell, text_cell
from exports.styles import new_sheet, set_widths
from survey.analysis.filters import DashboardFilter
from survey.analysis.maturity import LEVELS, component_summaries
from survey.analysis.rights import rights_area_figures
from survey.questionnaires.models import Round
from survey.reference.palette import colour_for

COMPONENTS_SHEET = "Per komponent"
RIGHTS_SHEET = "Rättighetsområden"


def write_components(wb: Workbook, round_: Round, filters: DashboardFilter) -> None:
    ws = new_sheet(wb, COMPONENTS_SHEET)
    headers = ["Komponent", *(f"Nivå {level}" for level in LEVELS), "Saknas", "Medel", "Median"]
    set_widths(ws, [34, *([9] * len(LEVELS)), 9, 9, 9])
    ws.freeze_panes = "B2"
    ws.append(header_cells(ws, headers))
    summaries = component_summaries(round_, filters)
    for summary in summaries:
        ws.append([text_cell(ws, f"{summary.code} – {summary.name}"),
                   *(number_cell(ws, summary.counts[level]) for level in LEVELS),
                   number_cell(ws, summary.missing),
                   number_cell(ws, summary.mean, INDEX_FORMAT),
                   number_cell(ws, summary.median, INDEX_FORMAT)])
    if summaries:
        ws.add_chart(_level_chart(ws, len(summaries)), f"A{len(summaries) + 4}")


def _level_chart(ws, rows: int) -> BarChart:
    """Organisations per level, one stacked bar per component, one series per level."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Organisationer per mognadsnivå och komponent"
    chart.x_axis.title = "Komponent"
    chart.y_axis.title = "Antal organisationer"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 24, 12
    data = Reference(ws, min_col=2, max_col=1 + len(LEVELS), min_row=1, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows + 1))
    for level, series in zip(LEVELS, chart.series, strict=True):
        colour = colour_for(level).lstrip("#").upper()
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    return chart


def write_rights_areas(wb: Workbook, round_: Round, filters: DashboardFilter) -> None:
    ws = new_sheet(wb, RIGHTS_SHEET)
    set_widths(ws, [40, 22, 30])
    figures = rights_area_figures([round_], filters)
    found = figures.round(round_.id)
    submitted = found.submitted if found else 0
    ws.append(header_cells(ws, ["Rättighetsområde", "Antal organisationer",
                                "Andel av organisationer med inskickat svar"]))
    for area, count in figures.ranked(round_.id):
        share = found.share(area.id) if found else None
        ws.append([text_cell(ws, area.name), number_cell(ws, count),
                   number_cell(ws, share, PERCENT_FORMAT)])
    ws.append([])
    ws.append([text_cell(ws, "Organisationer med inskickat svar", bold=True),
               number_cell(ws, submitted)])
