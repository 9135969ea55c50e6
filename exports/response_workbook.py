"""One organisation's response as a workbook: the answers, the self-assessment and the rights
areas on "Svar", every submission (decision and case number) on "Inlämningar".

Each sheet is a function yielding rows; `write_response_workbook` writes them in openpyxl's
write-only mode. Every text goes through exports.cells, so no answer becomes a formula.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.cells import (
    KRONOR_FORMAT,
    continuation_header,
    date_cell,
    datetime_cell,
    number_cell,
    parts_needed,
    text_cell,
    text_cells,
)
from survey.formatting import local
from survey.questionnaires.models import RoundQuestion
from survey.questionnaires.question_types import AmountField, DateField, InvalidAnswer, field_for
from survey.reference.services import maturity_levels
from survey.responses.models import Response

ANSWERS_SHEET = "Svar"
SUBMISSIONS_SHEET = "Inlämningar"
ANSWER_HEADER = "Svar"
EVIDENCE_HEADER = "Motivering"
#: Column widths of "Svar": labels, question text or level, then the long texts.
_ANSWER_WIDTHS = {"A": 30, "B": 50, "C": 90}
_CONTINUATION_WIDTH = 90
_SUBMISSION_HEADERS = ("Inlämning", "Inskickad", "Inskickad av", "Beslutande organ",
                       "Beslutsdatum", "Diarienummer")
_SUBMISSION_WIDTHS = (12, 18, 30, 20, 14, 24)


def download_name(response: Response) -> str:
    """E.g. "Svar-ASN-2024.xlsx"."""
    return f"Svar-{response.organisation.short_name}-{response.round.year}.xlsx"


def write_response_workbook(response: Response, out: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    answers = workbook.create_sheet(ANSWERS_SHEET)
    parts = _answer_parts(response)
    for letter, width in _ANSWER_WIDTHS.items():
        answers.column_dimensions[letter].width = width
    for offset in range(1, parts):
        answers.column_dimensions[get_column_letter(3 + offset)].width = _CONTINUATION_WIDTH
    for row in answer_rows(answers, response, parts):
        answers.append(row)

    submissions = workbook.create_sheet(SUBMISSIONS_SHEET)
    submissions.freeze_panes = "A2"
    for index, width in enumerate(_SUBMISSION_WIDTHS, start=1):
        submissions.column_dimensions[get_column_letter(index)].width = width
    for row in submission_rows(submissions, response):
        submissions.append(row)
    workbook.save(out)


def _answer_parts(response: Response) -> int:
    """How many columns the longest text (answer or evidence) needs; at least one."""
    texts = [_answer_text(response, q) for q in response.round.questions]
    texts += [sa.evidence for sa in response.self_assessments]
    return max([1] + [parts_needed(text) for text in texts])


def _answer_text(response: Response, question: RoundQuestion) -> str:
    answer = response.answer_for(question)
    return answer.text if answer is not None else ""


def _label(ws: WriteOnlyWorksheet, text: str) -> object:
    return text_cell(ws, text, bold=True)


def answer_rows(ws: WriteOnlyWorksheet, response: Response, parts: int) -> Iterator[list]:
    round_ = response.round
    yield [_label(ws, "Omgång"), text_cell(ws, round_.title)]
    yield [_label(ws, "År"), number_cell(ws, round_.year)]
    yield [_label(ws, "Organisation"), text_cell(ws, response.organisation.name)]
    yield [_label(ws, "Kortnamn"), text_cell(ws, response.organisation.short_name)]
    yield [_label(ws, "Status"), text_cell(ws, response.status.label)]
    yield [_label(ws, "Senast ändrat"), datetime_cell(ws, local(response.updated_at))]
    yield []
    yield [_label(ws, "Fråga"), _label(ws, "Frågetext")] + [
        _label(ws, continuation_header(ANSWER_HEADER, part)) for part in range(1, parts + 1)]
    for question in round_.questions:
        yield [number_cell(ws, question.position), text_cell(ws, question.text, wrap=True),
               *_answer_cells(ws, question, _answer_text(response, question), parts)]
    if round_.self_assessment:
        yield []
        yield from _self_assessment_rows(ws, response, parts)
    if round_.rights_areas:
        yield []
        yield [_label(ws, "Rättighetsområden")]
        if not response.rights_areas:
            yield [text_cell(ws, "Inga rättighetsområden valda.")]
        for area in response.rights_areas:
            yield [text_cell(ws, area.name)]


def _answer_cells(ws: WriteOnlyWorksheet, question: RoundQuestion, text: str,
                  parts: int) -> list:
    """A date answer as a date, an amount as kronor (so Excel can sort and sum them); any
    other answer, or one that does not parse, as text over as many columns as it needs."""
    field = field_for(question)
    if text.strip() and isinstance(field, DateField) and (day := field.parse(text)):
        return [date_cell(ws, day)]
    if text.strip() and isinstance(field, AmountField):
        try:
            return [number_cell(ws, field.parse(text), KRONOR_FORMAT)]
        except InvalidAnswer:
            pass
    return text_cells(ws, text, parts)


def _self_assessment_rows(ws: WriteOnlyWorksheet, response: Response,
                          parts: int) -> Iterator[list]:
    names = {level.level: level.name for level in maturity_levels()}
    yield [_label(ws, "Självskattning")]
    yield [_label(ws, "Komponent"), _label(ws, "Nivå (0–4)")] + [
        _label(ws, continuation_header(EVIDENCE_HEADER, part)) for part in range(1, parts + 1)]
    for row in sorted(response.self_assessments, key=lambda sa: sa.component.position):
        yield [text_cell(ws, row.component.name), number_cell(ws, row.level),
               *text_cells(ws, row.evidence, parts)]
    yield []
    yield [_label(ws, "Mognadsnivåer")]
    for level, name in names.items():
        yield [number_cell(ws, level), text_cell(ws, name)]


def submission_rows(ws: WriteOnlyWorksheet, response: Response) -> Iterator[list]:
    yield [_label(ws, header) for header in _SUBMISSION_HEADERS]
    if not response.submissions:
        yield [text_cell(ws, "Svaret har inte skickats in.")]
    for submission in response.submissions:
        yield [
            number_cell(ws, submission.number),
            datetime_cell(ws, local(submission.submitted_at)),
            text_cell(ws, submission.submitted_by.name if submission.submitted_by else ""),
            text_cell(ws, submission.decision_body.label),
            date_cell(ws, submission.decision_date),
            text_cell(ws, submission.case_number),
        ]
