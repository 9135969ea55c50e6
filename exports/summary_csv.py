"""The Sammanställning as CSV for Swedish Excel: UTF-8 with a byte-order mark (so Excel reads
it as UTF-8), ';' between fields and a decimal comma. The columns are the annex sheet's
(exports.annex.columns), the rows the same summary_rows().

Formula defence: CSV has no cell types, so a spreadsheet evaluates any field that starts
with =, +, -, @, a tab or a carriage return. Text fields (never our own numbers) starting
with one of these get a leading apostrophe ('), the usual CSV defence: Excel and
LibreOffice then show the text instead of evaluating it (the apostrophe may be visible).
"""

from __future__ import annotations

import csv
from typing import IO

from exports.annex import previous_of
from exports.annex.columns import Column, Kind
from exports.annex.summary import columns_for
from exports.cells import clean_text
from survey.analysis.filters import DashboardFilter
from survey.analysis.summary import summary_rows
from survey.questionnaires.models import Round

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str | None) -> str:
    """User text made safe for a spreadsheet: never read as a formula."""
    text = clean_text(text or "")
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_value(column: Column, value) -> str:
    if value is None:
        return ""
    if column.kind == Kind.LEVEL:
        return str(value)
    if column.kind in (Kind.INDEX, Kind.CHANGE):
        return f"{value:.2f}".replace(".", ",")
    return csv_text(str(value))


def write_summary_csv(round_: Round, filters: DashboardFilter, out: IO[str]) -> None:
    """Write the CSV to a text stream opened with newline="" (and UTF-8 for a file)."""
    previous = previous_of(round_)
    columns = columns_for(previous)
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_text(column.header) for column in columns])
    for row in summary_rows(round_, filters, previous):
        writer.writerow([csv_value(column, column.value(row)) for column in columns])
