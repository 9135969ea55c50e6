"""The exports' look: header cells, widths and the level colours of the dashboards' scale."""

from __future__ import annotations

import functools
from copy import copy

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.cells import number_cell, text_cell
from survey.reference.palette import (
    MISSING_COLOUR,
    MISSING_TEXT_COLOUR,
    colour_for,
    text_colour_for,
)

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
TITLE_FONT = Font(bold=True, size=14)
CENTER = Alignment(horizontal="center", vertical="top")


def _argb(colour: str) -> str:
    return colour.lstrip("#").upper()


@functools.cache
def level_fill(level: int | None) -> tuple[PatternFill, Font]:
    """The fill and font of a level cell, the same colours as the dashboards."""
    colour = MISSING_COLOUR if level is None else colour_for(level)
    text = MISSING_TEXT_COLOUR if level is None else text_colour_for(level)
    return (PatternFill("solid", fgColor=_argb(colour)), Font(color=_argb(text), bold=True))


def level_cell(ws: WriteOnlyWorksheet, level: int | None) -> WriteOnlyCell:
    """A level as a number, filled with its colour (the missing colour when empty)."""
    cell = number_cell(ws, level)
    cell.fill, cell.font = level_fill(level)
    cell.alignment = CENTER
    return cell


class LevelCells:
    """Level cells for one sheet, styled like level_cell() but much faster: the style is
    worked out once per level and copied into every further cell (setting fill, font and
    alignment cell by cell costs more than writing the cell)."""

    def __init__(self, ws: WriteOnlyWorksheet):
        self.ws = ws
        self._styles: dict[int | None, object] = {}

    def __call__(self, level: int | None) -> WriteOnlyCell:
        style = self._styles.get(level)
        if style is None:
            cell = level_cell(self.ws, level)
            self._styles[level] = copy(cell._style)
            return cell
        cell = WriteOnlyCell(self.ws, level)
        cell._style = copy(style)
        return cell


def new_sheet(wb: Workbook, title: str) -> WriteOnlyWorksheet:
    """A sheet that prints landscape, as wide as one page: the annex is printed and read as
    a document. (Set before the first row: write-only sheets write their header then.)"""
    ws = wb.create_sheet(title)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    return ws


def header_cells(ws: WriteOnlyWorksheet, headers: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for header in headers:
        cell = text_cell(ws, header, wrap=True, bold=True)
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def title_cell(ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = text_cell(ws, text)
    cell.font = TITLE_FONT
    return cell


def set_widths(ws: WriteOnlyWorksheet, widths: list[float]) -> None:
    """Column widths; in write-only mode they must be set before the first row."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def filter_range(columns: int, rows: int) -> str:
    """The autofilter's range: the header and every written row."""
    return f"A1:{get_column_letter(columns)}{max(rows, 1)}"
