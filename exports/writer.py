"""The one writer of every exported sheet, after pretix's ListExporter: the sheet modules
describe what to write as plain data (exports.sheets), and only this writer turns it into
cells (through exports.cells) in an xlsx workbook, or into fields of a CSV file. So every
text of a sheet passes the formula guard of exports.cells.safe_text, in both formats, by
construction.
"""

from __future__ import annotations

import csv
from typing import IO

from openpyxl.cell import WriteOnlyCell
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.cells import (
    CHANGE_FORMAT,
    INDEX_FORMAT,
    KRONOR_FORMAT,
    PERCENT_FORMAT,
    LevelCells,
    date_cell,
    header_cells,
    number_cell,
    safe_text,
    text_cell,
)
from exports.sheets import Kind, Sheet
from exports.styles import filter_range, new_sheet, set_widths

#: Excel reads a CSV as UTF-8 only with a byte-order mark.
BOM = "\ufeff"


class _Cells:
    """Makes the cells of one xlsx sheet: one per value, as its column's kind says."""

    def __init__(self, ws: WriteOnlyWorksheet):
        self.ws = ws
        self.level = LevelCells(ws)

    def __call__(self, kind: Kind, value, bold: bool = False) -> WriteOnlyCell:
        if kind == Kind.LEVEL:
            return self.level(value)
        if kind == Kind.NUMBER:
            return number_cell(self.ws, value)
        if kind == Kind.INDEX:
            return number_cell(self.ws, value, INDEX_FORMAT)
        if kind == Kind.CHANGE:
            return number_cell(self.ws, value, CHANGE_FORMAT)
        if kind == Kind.KRONOR:
            return number_cell(self.ws, value, KRONOR_FORMAT)
        if kind == Kind.PERCENT:
            return number_cell(self.ws, value, PERCENT_FORMAT)
        if kind == Kind.DATE:
            return date_cell(self.ws, value)
        return text_cell(self.ws, value, wrap=kind == Kind.WRAPPED, bold=bold)


def write_sheet(wb: Workbook, sheet: Sheet) -> None:
    """`sheet` as a landscape sheet of `wb`: widths, frozen panes, a header row, the rows,
    an autofilter over them and the total row."""
    ws = new_sheet(wb, sheet.title)
    set_widths(ws, [column.width for column in sheet.columns])
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    ws.append(header_cells(ws, [column.header for column in sheet.columns]))
    cell = _Cells(ws)
    kinds = [column.kind for column in sheet.columns]
    written = 1
    for row in sheet.rows:
        ws.append([cell(kind, value) for kind, value in zip(kinds, row, strict=True)])
        written += 1
    if sheet.total is not None:
        ws.append([cell(kind, value, bold=True)
                   for kind, value in zip(kinds, sheet.total, strict=True)])
    if sheet.autofilter:
        ws.auto_filter.ref = filter_range(len(sheet.columns), written)


def csv_text(text: str | None) -> str:
    """User text made safe for a spreadsheet: cleaned as in a cell and, where a spreadsheet
    would read a formula, led by an apostrophe (CSV has no cell types: the usual defence,
    Excel and LibreOffice then show the text instead of evaluating it)."""
    value, formula = safe_text(text)
    return "'" + value if formula else value


def csv_value(kind: Kind, value) -> str:
    if value is None:
        return ""
    if kind in (Kind.LEVEL, Kind.NUMBER, Kind.KRONOR):
        return str(value)
    if kind in (Kind.INDEX, Kind.CHANGE):
        return f"{value:.2f}".replace(".", ",")
    if kind == Kind.PERCENT:
        return f"{value:.0%}"
    if kind == Kind.DATE:
        return value.isoformat()
    return csv_text(str(value))


def write_csv(sheet: Sheet, out: IO[str]) -> None:
    """`sheet` as CSV for Swedish Excel: UTF-8 with a byte-order mark, ';' between fields, a
    decimal comma. `out` is a text stream opened with newline="" (and UTF-8 for a file)."""
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_text(column.header) for column in sheet.columns])
    kinds = [column.kind for column in sheet.columns]
    for row in sheet.rows:
        writer.writerow([csv_value(kind, value) for kind, value in zip(kinds, row, strict=True)])
    if sheet.total is not None:
        writer.writerow([csv_value(kind, value) for kind, value in zip(kinds, sheet.total,
                                                                        strict=True)])
