"""The Sammanställning as CSV for Swedish Excel: the annex sheet's columns and rows
(exports.annex.summary), written by the one writer (exports.writer.write_csv), which also
guards the text fields against formulas."""

from __future__ import annotations

from typing import IO

from exports.annex import previous_of
from exports.annex.summary import summary_sheet
from exports.writer import write_csv
from survey.analysis.filters import DashboardFilter
from survey.questionnaires.models import Round


def write_summary_csv(round_: Round, filters: DashboardFilter, out: IO[str]) -> None:
    """Write the CSV to a text stream opened with newline="" (and UTF-8 for a file)."""
    write_csv(summary_sheet(round_, filters, previous_of(round_)), out)
