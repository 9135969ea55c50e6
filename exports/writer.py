"""The one writer of every exported sheet, after pretix's ListExporter: the sheet modules
describe what to write as plain data (exports.sheets), and only this writer turns it into
cells (through exports.cells) in an xlsx workbook, or into fields of a CSV file. So every
text of a sheet passes the formula guard of exports.cells.safe_text, in both formats, by
construction.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Sequence
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
    datetime_cell,
    header_cells,
    number_cell,
    safe_text,
    text_cell,
    title_cell,
)
from exports.sheets import (
    Blank,
    Block,
    ColumnSpec,
    DocumentSheet,
    Facts,
    Header,
    Heading,
    Kind,
    Rows,
    Sheet,
    Table,
    Title,
    Value,
)
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
        if kind == Kind.DATETIME:
            return datetime_cell(self.ws, value)
        return text_cell(self.ws, value, wrap=kind == Kind.WRAPPED, bold=bold)


def write_sheet(wb: Workbook, sheet: Sheet) -> None:
    """`sheet` as a landscape sheet of `wb`: widths, frozen panes, a header row, the rows,
    an autofilter over them and the total row; then `sheet.after`, if any."""
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
    if sheet.after:
        sheet.after(ws, written - 1)


def write_document(wb: Workbook, sheet: DocumentSheet) -> None:
    """`sheet`'s blocks one under the other: widths and frozen panes first, as write-only
    sheets need."""
    ws = new_sheet(wb, sheet.title) if sheet.landscape else wb.create_sheet(sheet.title)
    set_widths(ws, list(sheet.widths))
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    cell = _Cells(ws)
    for block in sheet.blocks:
        for row in _block_rows(cell, block):
            ws.append(row)


def _block_rows(cell: _Cells, block: Block) -> Iterator[list[WriteOnlyCell]]:
    ws = cell.ws
    match block:
        case Title(text):
            yield [title_cell(ws, text)]
        case Blank():
            yield []
        case Heading(text):
            yield [text_cell(ws, text, bold=True)]
        case Facts(lines):
            for label, value in lines:
                yield [text_cell(ws, label, bold=True), cell(_kind_of(value), value)]
        case Rows(kinds, rows):
            for row in rows:
                yield _row(cell, kinds, row)
        case Table(columns, rows, total, header):
            yield _header(ws, columns, header)
            kinds = [column.kind for column in columns]
            for row in rows:
                yield _row(cell, kinds, row)
            if total is not None:
                yield _row(cell, kinds, total, bold=True)
        case _:
            raise TypeError(f"not a block of a DocumentSheet: {block!r}")


def _kind_of(value: object) -> Kind:
    """How a fact's value is written, by its type (a datetime is a date too: asked first)."""
    if isinstance(value, dt.datetime):
        return Kind.DATETIME
    if isinstance(value, dt.date):
        return Kind.DATE
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Kind.NUMBER
    return Kind.TEXT


def _header(ws: WriteOnlyWorksheet, columns: Sequence[ColumnSpec],
            header: Header) -> list[WriteOnlyCell]:
    headers = [column.header for column in columns]
    if header == Header.FILLED:
        return header_cells(ws, headers)
    return [text_cell(ws, text, bold=True) for text in headers]


def _row(cell: _Cells, kinds: Sequence[Kind], values: Sequence[object],
         bold: bool = False) -> list[WriteOnlyCell]:
    """The cells of a row of a document's table, which may end before its last column (a
    value beyond it raises ValueError, as in a Sheet)."""
    kinds = kinds[:len(values)]
    return [cell(value.kind, value.value, bold) if isinstance(value, Value)
            else cell(kind, value, bold) for kind, value in zip(kinds, values, strict=True)]


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
    if kind == Kind.DATETIME:
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
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
