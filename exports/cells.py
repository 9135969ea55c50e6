"""The cells of every exported sheet: the one way user text, dates, numbers and levels become
Excel cells.

All exports write with openpyxl's write-only mode, so cells are `WriteOnlyCell`s made here.

User text is never a formula or an error value: openpyxl guesses a string starting with "="
to be a formula and "#N/A" to be an error, and Excel or LibreOffice would evaluate them.
`text_cell` forces the string type and, for text that a spreadsheet would read as the start
of a formula (=, +, -, @, tab, carriage return), sets quotePrefix: Excel's own invisible
apostrophe, so the text shows exactly as typed.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Callable, Hashable
from copy import copy

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.styles import CENTER, HEADER_FILL, TITLE_FONT, level_fill
from survey.text import XML_ILLEGAL

#: What one Excel cell can hold, counted in UTF-16 code units as Excel counts.
CELL_LIMIT = 32_767
#: Characters XML 1.0 forbids: outside #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
#: [#x10000-#x10FFFF]. That is the C0 controls but tab, line feed and carriage return
#: (openpyxl raises IllegalCharacterError on them), lone surrogates (a str can hold them, UTF-8
#: cannot: saving fails) and U+FFFE, U+FFFF (written as they are, they make the sheet invalid
#: XML: openpyxl cannot reopen it, LibreOffice drops the rest of the sheet). C1 controls
#: (U+0080-U+009F) are allowed in XML 1.0 and kept.
_ILLEGAL = XML_ILLEGAL
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Vertical tab (Word's manual line break) and form feed (page break) mean a new line; the
#: non-characters become U+FFFD, the replacement character, so the reader sees that a
#: character was there.
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n", "\ufffe": "\ufffd", "\uffff": "\ufffd"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "yyyy-mm-dd"
KRONOR_FORMAT = '#,##0 "kr"'
INDEX_FORMAT = "0.00"
CHANGE_FORMAT = "+0.00;-0.00;0.00"
PERCENT_FORMAT = "0%"

WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
BOLD = Font(bold=True)


#: Per workbook: the style array of each kind of cell, worked out once.
_STYLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _styled(cell: Cell, key: Hashable, apply: Callable[[Cell], None]) -> Cell:
    """`cell` styled by `apply`, which runs once per workbook and key; later cells copy the
    result. Setting a font or an alignment cell by cell looks the style up in the workbook
    every time, which costs more than writing the cell (a quarter of a large annex)."""
    styles = _STYLES.setdefault(cell.parent.parent, {})
    found = styles.get(key)
    if found is None:
        apply(cell)
        styles[key] = copy(cell._style)
    else:
        cell._style = copy(found)
    return cell


def clean_text(text: str) -> str:
    """`text` with the characters XML cannot hold replaced: line breaks for vertical tab and
    form feed, nothing for the other control characters (they have no visible form), U+FFFD
    for U+FFFE, U+FFFF and lone surrogates (a pair of surrogates becomes the character it
    encodes). Line endings become "\n": XML readers turn a stored carriage return into one
    anyway."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _ILLEGAL.sub(lambda m: _LINE_BREAKS.get(m.group(), ""), text)


def safe_text(text: str | None) -> tuple[str, bool]:
    """`text` cleaned for a cell (clean_text), and whether a spreadsheet would read it as
    the start of a formula: the one formula guard of the xlsx cells and the CSV fields."""
    value = clean_text(text or "")
    return value, value.startswith(_FORMULA_STARTS)


def text_cell(ws: WriteOnlyWorksheet, text: str | None, *, wrap: bool = False,
              bold: bool = False) -> WriteOnlyCell:
    """A cell that shows `text` exactly as typed: always a string, never a formula."""
    value, quote = safe_text(text)
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"

    def apply(cell: Cell) -> None:
        if quote:
            cell.quotePrefix = True
        if wrap:
            cell.alignment = WRAP
        if bold:
            cell.font = BOLD

    return _styled(cell, ("text", quote, wrap, bold), apply)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_for_cells(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """`text` (already cleaned) in parts that each fit in one cell; never splits a character
    (a surrogate pair counts two, as in Excel). An empty text is one empty part."""
    if utf16_length(text) <= limit:
        return [text]
    parts, current, size = [], [], 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return parts


def parts_needed(text: str) -> int:
    return len(split_for_cells(clean_text(text)))


def text_cells(ws: WriteOnlyWorksheet, text: str | None, parts: int, *,
               wrap: bool = True) -> list[WriteOnlyCell]:
    """`parts` cells holding `text` in order (text_parts)."""
    return [text_cell(ws, piece, wrap=wrap) for piece in text_parts(text, parts)]


def text_parts(text: str | None, parts: int) -> list[str]:
    """`text` in `parts` pieces, in order, each fitting in one cell (the columns a long text
    continues in); the unused ones are empty. Raises ValueError if the text needs more parts
    than given, so that no text is ever cut silently."""
    pieces = split_for_cells(clean_text(text or ""))
    if len(pieces) > parts:
        raise ValueError(f"text needs {len(pieces)} cells, only {parts} given")
    return pieces + [""] * (parts - len(pieces))


def continuation_header(header: str, part: int) -> str:
    """The header of the column where a text goes on: part 1 is the header itself."""
    return header if part == 1 else f"{header} (fortsättning {part - 1})"


def date_cell(ws: WriteOnlyWorksheet, day: dt.date | None) -> WriteOnlyCell:
    return _formatted(WriteOnlyCell(ws, day), DATE_FORMAT)


def datetime_cell(ws: WriteOnlyWorksheet, moment: dt.datetime) -> WriteOnlyCell:
    """A naive local time (Excel has no time zones)."""
    return _formatted(WriteOnlyCell(ws, moment.replace(tzinfo=None)), "yyyy-mm-dd hh:mm")


def number_cell(ws: WriteOnlyWorksheet, value: float | int | None,
                number_format: str = "0") -> WriteOnlyCell:
    return _formatted(WriteOnlyCell(ws, value), number_format)


def _formatted(cell: Cell, number_format: str) -> Cell:
    def apply(cell: Cell) -> None:
        cell.number_format = number_format
        cell.alignment = TOP

    return _styled(cell, ("number", number_format), apply)


def level_cell(ws: WriteOnlyWorksheet, level: int | None) -> WriteOnlyCell:
    """A level as a number, filled with its colour (the missing colour when empty), the same
    colours as the dashboards."""
    cell = number_cell(ws, level)
    cell.fill, cell.font = level_fill(level)
    cell.alignment = CENTER
    return cell


class LevelCells:
    """Level cells for one sheet, styled like level_cell() but faster still than _styled: the
    style is worked out once per level and copied into every further cell, without a lookup
    of the workbook (a large annex holds hundreds of thousands of level cells)."""

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


def header_cells(ws: WriteOnlyWorksheet, headers: list[str]) -> list[WriteOnlyCell]:
    """The annex's header row: bold, wrapped, on the header fill."""
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
