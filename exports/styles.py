"""The exports' look: the header fill, the title font, the level colours of the dashboards'
scale, and a sheet's page and widths. The cells themselves are made in exports.cells."""

from __future__ import annotations

import functools

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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


def set_widths(ws: WriteOnlyWorksheet, widths: list[float]) -> None:
    """Column widths; in write-only mode they must be set before the first row."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def filter_range(columns: int, rows: int) -> str:
    """The autofilter's range: the header and every written row."""
    return f"A1:{get_column_letter(columns)}{max(rows, 1)}"
