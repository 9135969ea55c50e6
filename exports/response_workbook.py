"""One organisation's response as a workbook: the answers, the self-assessment and the rights
areas on "Svar", every submission (decision and case number) on "Inlämningar".

Each sheet is described as blocks (exports.sheets) that exports.writer writes in openpyxl's
write-only mode, so every text goes through exports.cells and no answer becomes a formula.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from openpyxl import Workbook

from exports.cells import continuation_header, parts_needed, text_parts
from exports.sheets import (
    Blank,
    Block,
    Column,
    DocumentSheet,
    Facts,
    Header,
    Heading,
    Kind,
    Rows,
    Table,
    Value,
)
from exports.writer import write_document
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
_ANSWER_WIDTHS = [30, 50, 90]
_CONTINUATION_WIDTH = 90
_SUBMISSION_COLUMNS = [
    Column("Inlämning", Kind.NUMBER, 12), Column("Inskickad", Kind.DATETIME, 18),
    Column("Inskickad av", Kind.TEXT, 30), Column("Beslutande organ", Kind.TEXT, 20),
    Column("Beslutsdatum", Kind.DATE, 14), Column("Diarienummer", Kind.TEXT, 24),
]


def download_name(response: Response) -> str:
    """E.g. "Svar-ASN-2024.xlsx"."""
    return f"Svar-{response.organisation.short_name}-{response.round.year}.xlsx"


def write_response_workbook(response: Response, out: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    write_document(workbook, answers_sheet(response))
    write_document(workbook, submissions_sheet(response))
    workbook.save(out)


def answers_sheet(response: Response) -> DocumentSheet:
    parts = _answer_parts(response)
    widths = _ANSWER_WIDTHS + [_CONTINUATION_WIDTH] * (parts - 1)
    return DocumentSheet(ANSWERS_SHEET, widths, answer_blocks(response, parts))


def _answer_parts(response: Response) -> int:
    """How many columns the longest text (answer or evidence) needs; at least one."""
    texts = [_answer_text(response, q) for q in response.round.questions]
    texts += [sa.evidence for sa in response.self_assessments]
    return max([1] + [parts_needed(text) for text in texts])


def _answer_text(response: Response, question: RoundQuestion) -> str:
    answer = response.answer_for(question)
    return answer.text if answer is not None else ""


def _continued(header: str, parts: int) -> list[Column]:
    """A long text's columns: `header`, then its continuations."""
    return [Column(continuation_header(header, part), Kind.WRAPPED)
            for part in range(1, parts + 1)]


def answer_blocks(response: Response, parts: int) -> Iterator[Block]:
    round_ = response.round
    yield Facts([("Omgång", round_.title), ("År", round_.year),
                 ("Organisation", response.organisation.name),
                 ("Kortnamn", response.organisation.short_name),
                 ("Status", response.status.label),
                 ("Senast ändrat", local(response.updated_at))])
    yield Blank()
    columns = [Column("Fråga", Kind.NUMBER), Column("Frågetext", Kind.WRAPPED),
               *_continued(ANSWER_HEADER, parts)]
    yield Table(columns, [[question.position, question.text,
                           *_answer_values(question, _answer_text(response, question), parts)]
                          for question in round_.questions], header=Header.BOLD)
    if round_.self_assessment:
        yield Blank()
        yield from _self_assessment_blocks(response, parts)
    if round_.rights_areas:
        yield Blank()
        yield Heading("Rättighetsområden")
        names = [area.name for area in response.rights_areas]
        yield Rows([Kind.TEXT], [[name] for name in names or ["Inga rättighetsområden valda."]])


def _answer_values(question: RoundQuestion, text: str, parts: int) -> list:
    """A date answer as a date, an amount as kronor (so Excel can sort and sum them); any
    other answer, or one that does not parse, as text over as many columns as it needs."""
    field = field_for(question)
    if text.strip() and isinstance(field, DateField) and (day := field.parse(text)):
        return [Value(day, Kind.DATE)]
    if text.strip() and isinstance(field, AmountField):
        try:
            return [Value(field.parse(text), Kind.KRONOR)]
        except InvalidAnswer:
            pass
    return text_parts(text, parts)


def _self_assessment_blocks(response: Response, parts: int) -> Iterator[Block]:
    names = {level.level: level.name for level in maturity_levels()}
    yield Heading("Självskattning")
    columns = [Column("Komponent"), Column("Nivå (0–4)", Kind.NUMBER),
               *_continued(EVIDENCE_HEADER, parts)]
    rows = sorted(response.self_assessments, key=lambda sa: sa.component.position)
    yield Table(columns, [[row.component.name, row.level, *text_parts(row.evidence, parts)]
                          for row in rows], header=Header.BOLD)
    yield Blank()
    yield Heading("Mognadsnivåer")
    yield Rows([Kind.NUMBER, Kind.TEXT], list(names.items()))


def submissions_sheet(response: Response) -> DocumentSheet:
    rows = [[submission.number, local(submission.submitted_at),
             submission.submitted_by.name if submission.submitted_by else "",
             submission.decision_body.label, submission.decision_date, submission.case_number]
            for submission in response.submissions]
    blocks: list[Block] = [Table(_SUBMISSION_COLUMNS, rows, header=Header.BOLD)]
    if not rows:
        blocks.append(Rows([Kind.TEXT], [["Svaret har inte skickats in."]]))
    widths = [column.width for column in _SUBMISSION_COLUMNS]
    return DocumentSheet(SUBMISSIONS_SHEET, widths, blocks, freeze="A2")
