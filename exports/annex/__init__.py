"""The annual-report annex: one workbook per round, in Swedish, written in openpyxl's
write-only mode so that rows stream from the database to the file.

Sheets, in order: Omslag, Sammanställning, Svar, Bedömningar, Per komponent,
Rättighetsområden. Each sheet is one function in this package; the filters of the
dashboards (kind, organisations, level source) apply to every sheet. A round of several
reports (development funds) has its own sheets instead: Omslag, Utvecklingsmedel, Per
organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from openpyxl import Workbook

from exports.annex.answers import write_answers
from exports.annex.assessments import write_assessments
from exports.annex.cover import write_cover
from exports.annex.figures import write_components, write_rights_areas
from exports.annex.grants import write_grants
from exports.annex.summary import write_summary
from survey.analysis.filters import DashboardFilter, dashboard_rounds, previous_round
from survey.questionnaires.models import Round


def previous_of(round_: Round) -> Round | None:
    """The round the Sammanställning compares with: the latest earlier year shown."""
    return previous_round(round_, dashboard_rounds(round_.questionnaire_key))


def write_annex(round_: Round, filters: DashboardFilter, exported_by: str,
                out: str | IO[bytes]) -> None:
    """Write the annex of `round_` to `out` (a path or a binary file object)."""
    wb = Workbook(write_only=True)
    write_cover(wb, round_, filters, exported_by, dt.datetime.now(dt.UTC))
    if round_.several_reports:
        write_grants(wb, round_, filters)
    else:
        write_summary(wb, round_, filters, previous_of(round_))
        write_answers(wb, round_, filters)
        write_assessments(wb, round_, filters)
        write_components(wb, round_, filters)
        write_rights_areas(wb, round_, filters)
    wb.save(out)
