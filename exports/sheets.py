"""What an exported sheet holds, as plain data: the sheet modules describe their sheets in
these terms and exports.writer alone turns them into cells.

A Sheet is one table: a title, a column spec and an iterable of rows of plain values (str,
int, float, date, None), written as an xlsx sheet or as CSV.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Kind(StrEnum):
    """How a column's value is written (cell style in Excel, number format in CSV)."""

    TEXT = "text"
    WRAPPED = "wrapped"  # text, wrapped in its cell
    NUMBER = "number"
    DATE = "date"
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
