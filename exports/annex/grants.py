"""The development-funds sheets of a round of several reports: "Utvecklingsmedel" (one row
per submitted work) and "Per organisation" (the sums), from survey.analysis.grants."""

from __future__ import annotations

from openpyxl.workbook import Workbook

from exports.annex.styles import filter_range, header_cells, new_sheet, set_widths
from exports.cells import KRONOR_FORMAT, PERCENT_FORMAT, number_cell, text_cell
from survey.analysis.filters import DashboardFilter
from survey.analysis.grants import Sums, grant_figures
from survey.questionnaires.models import Round

WORKS_SHEET = "Utvecklingsmedel"
ORGANISATIONS_SHEET = "Per organisation"
WORKS_HEADERS = ["Organisation", "Nr", "Utvecklingsarbete", "Områden", "Beviljat år",
                 "Beviljat belopp", "Använt belopp", "Nyttjandegrad", "Mer använt än beviljat",
                 "Komponenter"]
SUMS_HEADERS = ["Organisation", "Utvecklingsarbeten", "Beviljat belopp", "Använt belopp",
                "Nyttjandegrad"]


def write_grants(wb: Workbook, round_: Round, filters: DashboardFilter) -> None:
    figures = grant_figures(round_, filters)

    ws = new_sheet(wb, WORKS_SHEET)
    set_widths(ws, [40, 6, 44, 36, 12, 16, 16, 14, 14, 24])
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = filter_range(len(WORKS_HEADERS), len(figures.works) + 1)
    ws.append(header_cells(ws, WORKS_HEADERS))
    for work in figures.works:
        ws.append([text_cell(ws, work.organisation), number_cell(ws, work.number),
                   text_cell(ws, work.name, wrap=True), text_cell(ws, ", ".join(work.areas)),
                   number_cell(ws, work.year),
                   number_cell(ws, work.granted, KRONOR_FORMAT),
                   number_cell(ws, work.used, KRONOR_FORMAT),
                   number_cell(ws, work.utilisation, PERCENT_FORMAT),
                   text_cell(ws, "Ja" if work.overspent else "–"),
                   text_cell(ws, ", ".join(work.components))])

    ws = new_sheet(wb, ORGANISATIONS_SHEET)
    set_widths(ws, [40, 18, 16, 16, 14])
    ws.append(header_cells(ws, SUMS_HEADERS))
    for row in figures.organisations:
        ws.append(_sums_row(ws, row))
    ws.append(_sums_row(ws, figures.total, bold=True))


def _sums_row(ws, row: Sums, bold: bool = False) -> list:
    return [text_cell(ws, row.label, bold=bold), number_cell(ws, row.works),
            number_cell(ws, row.granted, KRONOR_FORMAT), number_cell(ws, row.used, KRONOR_FORMAT),
            number_cell(ws, row.utilisation, PERCENT_FORMAT)]
