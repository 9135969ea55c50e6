"""The columns of the Sammanställning: defined once, for the annex sheet and its CSV twin
(both written by exports.writer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from exports.sheets import Kind
from survey.analysis.summary import SummaryRow


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind
    value: Callable[[SummaryRow], object]
    width: float = 12


def summary_columns(codes: list[str], previous_year: int | None) -> list[Column]:
    """Organisation, short name, kind, status, one level per component, the index, the
    previous round's index, the change and the self-assessed components."""
    previous_header = f"Index {previous_year}" if previous_year else "Index föregående omgång"
    return [
        Column("Organisation", Kind.TEXT, lambda row: row.name, 42),
        Column("Kortnamn", Kind.TEXT, lambda row: row.short_name, 11),
        Column("Typ", Kind.TEXT, lambda row: row.kind.label, 8),
        Column("Status", Kind.TEXT, lambda row: row.status_label, 12),
        *(Column(code, Kind.LEVEL, _level(code), 7) for code in codes),
        Column("Mognadsindex", Kind.INDEX, lambda row: row.index, 14),
        Column(previous_header, Kind.INDEX, lambda row: row.previous_index, 14),
        Column("Förändring", Kind.CHANGE, lambda row: row.change, 12),
        Column("Självskattade komponenter", Kind.TEXT,
               lambda row: ", ".join(row.self_assessed), 26),
    ]


def _level(code: str) -> Callable[[SummaryRow], int | None]:
    return lambda row: row.levels.get(code)
