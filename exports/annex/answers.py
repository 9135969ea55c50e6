"""The "Svar" sheet: every submitted answer in full, in the import template's layout
(exports/layout.py), so that the sheet can be imported again.

The levels here are the effective assessment's only (never self-assessed ones), since an
import reads them as the assessment. A text longer than one cell goes on in continuation
columns; how many a question needs is found before the header is written: the longest
answer per question in the database, and only texts that might not fit (over
MAYBE_TOO_LONG characters) are measured here (survey.analysis.annex.long_answer_texts).
"""

from __future__ import annotations

from collections.abc import Iterator

from exports import layout
from exports.cells import CELL_LIMIT, parts_needed, text_parts
from exports.sheets import Column, Kind, Sheet
from survey.analysis.annex import answer_rows, long_answer_texts
from survey.analysis.filters import DashboardFilter
from survey.questionnaires.models import Round, RoundQuestion

#: A text of at most this many characters fits in one cell however it is encoded (a
#: character is at most two UTF-16 code units).
MAYBE_TOO_LONG = CELL_LIMIT // 2
#: The annex's informational columns after the importable ones.
INFORMATIONAL = layout.INFORMATIONAL[:2]  # Kortnamn, Typ


def parts_per_question(round_: Round, filters: DashboardFilter,
                       questions: list[RoundQuestion]) -> dict[int, int]:
    """question id -> how many cells its longest answer (of the exported ones) needs."""
    parts = {question.id: 1 for question in questions}
    for question_id, text in long_answer_texts(round_, filters, MAYBE_TOO_LONG):
        parts[question_id] = max(parts[question_id], parts_needed(text))
    return parts


def answers_sheet(round_: Round, filters: DashboardFilter) -> Sheet:
    questions = sorted(round_.questions, key=lambda question: question.position)
    codes = layout.component_codes()
    parts = parts_per_question(round_, filters, questions)
    columns = [Column(layout.ORGANISATION, Kind.WRAPPED, 36),
               Column(layout.YEAR, Kind.NUMBER, 7)]
    for question in questions:
        columns += [Column(header, Kind.WRAPPED, 80)
                    for header in layout.answer_headers(question.position, parts[question.id])]
    columns += [Column(layout.DECISION_DATE, Kind.DATE, 13),
                Column(layout.CASE_NUMBER, Kind.TEXT, 20),
                *(Column(code, Kind.NUMBER, 7) for code in codes),
                Column(INFORMATIONAL[0], Kind.TEXT, 11), Column(INFORMATIONAL[1], Kind.TEXT, 8)]

    def rows() -> Iterator[list]:
        for row in answer_rows(round_, filters, questions, codes):
            values = [row.name, round_.year]
            for question in questions:
                values += text_parts(getattr(row, f"answer_{question.id}"), parts[question.id])
            values += [row.decision_date, row.case_number]
            values += [getattr(row, f"level_{code}") for code in codes]
            values += [row.short_name, row.kind.label]
            yield values

    return Sheet(layout.SHEET, columns, rows(), freeze="B2")
