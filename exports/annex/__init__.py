"""The annual-report annex: one workbook per round, in Swedish, written in openpyxl's
write-only mode so that rows stream from the database to the file.

Sheets, in order: Omslag, Sammanställning, Svar, Bedömningar, Per komponent,
Rättighetsområden, Hinder och principer. Each sheet is one function in this package that
describes it as plain data (exports.sheets): a Sheet (columns and a generator of rows of
figures from survey.analysis) or, for the cover, Rättighetsområden and Hinder och
principer, a DocumentSheet of blocks; the one writer, exports.writer, renders them. The
filters of the dashboards (kind, organisations, level source) apply to every sheet. A round
of several reports (development funds) has its own sheets instead: Omslag,
Utvecklingsmedel, Per organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from openpyxl import Workbook

from exports.annex.answers import answers_sheet
from exports.annex.assessments import assessments_sheet
from exports.annex.cover import cover_sheet
from exports.annex.figures import components_sheet, rights_areas_sheet, tags_sheet
from exports.annex.grants import grant_sheets
from exports.annex.summary import summary_sheet
from exports.writer import write_document, write_sheet
from survey.analysis.filters import DashboardFilter, dashboard_rounds, previous_round
from survey.questionnaires.models import Round


def previous_of(round_: Round) -> Round | None:
    """The round the Sammanställning compares with: the latest earlier year shown."""
    return previous_round(round_, dashboard_rounds(round_.questionnaire_key))


def write_annex(round_: Round, filters: DashboardFilter, exported_by: str,
                out: str | IO[bytes]) -> None:
    """Write the annex of `round_` to `out` (a path or a binary file object)."""
    wb = Workbook(write_only=True)
    write_document(wb, cover_sheet(round_, filters, exported_by, dt.datetime.now(dt.UTC)))
    if round_.several_reports:
        for sheet in grant_sheets(round_, filters):
            write_sheet(wb, sheet)
    else:
        write_sheet(wb, summary_sheet(round_, filters, previous_of(round_)))
        write_sheet(wb, answers_sheet(round_, filters))
        write_sheet(wb, assessments_sheet(round_, filters))
        write_sheet(wb, components_sheet(round_, filters))
        write_document(wb, rights_areas_sheet(round_, filters))
        write_document(wb, tags_sheet(round_, filters))
    wb.save(out)
