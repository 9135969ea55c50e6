"""The "Sammanställning" sheet: one row per organisation, levels coloured by the scale."""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.annex.columns import Column, Kind, summary_columns
from exports.annex.styles import LevelCells, filter_range, header_cells, new_sheet, set_widths
from exports.cells import CHANGE_FORMAT, INDEX_FORMAT, number_cell, text_cell
from survey.analysis.filters import DashboardFilter
from survey.analysis.maturity import components_in_order
from survey.analysis.summary import SummaryRow, summary_rows
from survey.questionnaires.models import Round

SHEET = "Sammanställning"


def columns_for(previous: Round | None) -> list[Column]:
    codes = [component.code for component in components_in_order()]
    return summary_columns(codes, previous.year if previous else None)


def _cell(ws: WriteOnlyWorksheet, column: Column, row: SummaryRow,
          level_cell: LevelCells) -> WriteOnlyCell:
    value = column.value(row)
    if column.kind == Kind.LEVEL:
        return level_cell(value)
    if column.kind == Kind.INDEX:
        return number_cell(ws, value, INDEX_FORMAT)
    if column.kind == Kind.CHANGE:
        return number_cell(ws, value, CHANGE_FORMAT)
    return text_cell(ws, value)


def write_summary(wb: Workbook, round_: Round, filters: DashboardFilter,
                  previous: Round | None) -> None:
    ws = new_sheet(wb, SHEET)
    columns = columns_for(previous)
    set_widths(ws, [column.width for column in columns])
    ws.freeze_panes = "B2"  # the header row and the organisation's name stay in view
    ws.append(header_cells(ws, [column.header for column in columns]))
    level_cell = LevelCells(ws)
    written = 1
    for row in summary_rows(round_, filters, previous):
        ws.append([_cell(ws, column, row, level_cell) for column in columns])
        written += 1
    ws.auto_filter.ref = filter_range(len(columns), written)
