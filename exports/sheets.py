"""What an exported sheet holds, as plain data: the sheet modules describe their sheets in
these terms and exports.writer alone turns them into cells.

A Sheet is one table: a title, a column spec and an iterable of rows of plain values (str,
int, float, date, None), written as an xlsx sheet or as CSV. A DocumentSheet is a sheet
that is not one table (a cover, one response): blocks written one under the other, such as
a title, facts (label and value), headings and tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet


class Kind(StrEnum):
    """How a column's value is written (cell style in Excel, number format in CSV)."""

    TEXT = "text"
    WRAPPED = "wrapped"  # text, wrapped in its cell
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"  # a naive local time, to the minute
    LEVEL = "level"  # a level, filled with the scale's colour
    INDEX = "index"
    CHANGE = "change"
    KRONOR = "kronor"
    PERCENT = "percent"


class ColumnSpec(Protocol):
    header: str
    kind: Kind
    width: float


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: float = 12


@dataclass
class Sheet:
    """A sheet to write: `rows` hold one value per column (a generator streams them)."""

    title: str
    columns: Sequence[ColumnSpec]
    rows: Iterable[Sequence[object]]
    #: The top-left cell that is not frozen (e.g. "B2"), if any.
    freeze: str | None = None
    autofilter: bool = True
    #: A last row whose texts are bold (a sum), outside the autofilter.
    total: Sequence[object] | None = None
    #: Called with the xlsx sheet and the number of rows under the header once they are
    #: written: for what refers to the cells by position, such as a chart of the table.
    after: Callable[[WriteOnlyWorksheet, int], None] | None = None


# --- the blocks of a DocumentSheet ------------------------------------------------------------

@dataclass(frozen=True)
class Title:
    """The sheet's title, in large type."""

    text: str


@dataclass(frozen=True)
class Blank:
    """An empty row."""


@dataclass(frozen=True)
class Heading:
    """A line of bold text, e.g. above a table."""

    text: str


@dataclass(frozen=True)
class Facts:
    """One row per (label, value): the label bold, the value as its type says (a datetime or
    a date as such, an int or a float as a number, anything else as text)."""

    lines: Sequence[tuple[str, object]]


class Header(StrEnum):
    """How a table's header row looks."""

    FILLED = "filled"  # the annex's: bold, wrapped, on the header fill
    BOLD = "bold"  # bold text only


@dataclass(frozen=True)
class Value:
    """A value written as `kind` rather than as its column's kind says (an answer that is a
    date, in a column of texts)."""

    value: object
    kind: Kind


@dataclass
class Rows:
    """Rows without a header, their values written as `kinds` say (or as a Value says). A
    row may end early: the cells after its last value stay empty."""

    kinds: Sequence[Kind]
    rows: Iterable[Sequence[object]]


@dataclass
class Table:
    """A header row and Rows under it; a last row whose texts are bold (a sum), if any. The
    columns' widths are not used: the tables of a sheet share its columns."""

    columns: Sequence[ColumnSpec]
    rows: Iterable[Sequence[object]]
    total: Sequence[object] | None = None
    header: Header = Header.FILLED


Block = Title | Blank | Heading | Facts | Rows | Table


@dataclass
class DocumentSheet:
    """A sheet of blocks, written one under the other."""

    title: str
    #: The columns' widths, from column A on.
    widths: Sequence[float]
    blocks: Iterable[Block]
    #: The top-left cell that is not frozen (e.g. "A2"), if any.
    freeze: str | None = None
    #: Set up to print as the annex does: landscape A4, one page wide, row 1 on every page.
    landscape: bool = False
