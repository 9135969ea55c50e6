"""The "Svar" sheet: every submitted answer in full, in the import template's layout
(exports/layout.py), so that the sheet can be imported again.

The levels here are the effective assessment's only (never self-assessed ones), since an
import reads them as the assessment. A text longer than one cell goes on in continuation
columns; how many a question needs is found before the header is written: the longest
answer per question in the database, and only texts that might not fit (over
MAYBE_TOO_LONG characters) are measured in Python.
"""

from __future__ import annotations

from sqlalchemy import Select, case, func, select

from exports import layout
from exports.annex.styles import filter_range, header_cells, new_sheet, set_widths
from exports.cells import CELL_LIMIT, date_cell, number_cell, parts_needed, text_cell, text_cells
from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import LevelSource, levels_cte
from survey.analysis.population import narrow
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round, RoundQuestion
from survey.responses.models import (
    Answer,
    Response,
    ResponseStatus,
    Submission,
    latest_submissions,
)

#: Rows fetched from the database at a time while streaming.
BATCH = 1_000
#: A text of at most this many characters fits in one cell however it is encoded (a
#: character is at most two UTF-16 code units).
MAYBE_TOO_LONG = CELL_LIMIT // 2
#: The annex's informational columns after the importable ones.
INFORMATIONAL = layout.INFORMATIONAL[:2]  # Kortnamn, Typ


def _submitted_answers(round_: Round, filters: DashboardFilter) -> Select:
    query = (
        select(Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .where(Response.round_id == round_.id, Response.status == ResponseStatus.SUBMITTED)
    )
    return narrow(query, filters)


def parts_per_question(round_: Round, filters: DashboardFilter,
                       questions: list[RoundQuestion]) -> dict[int, int]:
    """question id -> how many cells its longest answer (of the exported ones) needs."""
    parts = {question.id: 1 for question in questions}
    longest_query = (
        _submitted_answers(round_, filters)
        .add_columns(func.max(func.length(Answer.text)).label("longest"))
        .group_by(Answer.question_id)
    )
    long_questions = [row.question_id for row in db.session.execute(longest_query)
                      if (row.longest or 0) > MAYBE_TOO_LONG]
    for question_id in long_questions:
        texts = (_submitted_answers(round_, filters)
                 .with_only_columns(Answer.text)
                 .where(Answer.question_id == question_id,
                        func.length(Answer.text) > MAYBE_TOO_LONG))
        for text in db.session.scalars(texts, execution_options={"yield_per": 100}):
            parts[question_id] = max(parts[question_id], parts_needed(text))
    return parts


def answer_rows_query(round_: Round, filters: DashboardFilter, questions: list[RoundQuestion],
                      codes: list[str]) -> Select:
    """One row per submitted response: organisation, the latest submission's decision date
    and case number, each question's answer (answer_<id>) and each assessed level
    (level_<code>), nämnder first, then by name."""
    latest = latest_submissions()
    levels = levels_cte([round_.id], LevelSource.ASSESSMENT, filters.kind,
                        filters.organisation_ids, name="assessed_levels")
    assessed = (
        select(levels.c.response_id, *(
            func.max(case((levels.c.component_code == code, levels.c.level)))
            .label(f"level_{code}") for code in codes))
        .group_by(levels.c.response_id).subquery("assessed")
    )
    answers = [
        select(Answer.text).where(Answer.response_id == Response.id,
                                  Answer.question_id == question.id)
        .correlate(Response).scalar_subquery().label(f"answer_{question.id}")
        for question in questions
    ]
    query = (
        select(Organisation.id, Organisation.name, Organisation.short_name, Organisation.kind,
               Submission.decision_date, Submission.case_number, *answers,
               *(assessed.c[f"level_{code}"] for code in codes))
        .select_from(Response)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .outerjoin(latest, latest.c.response_id == Response.id)
        .outerjoin(Submission, Submission.id == latest.c.submission_id)
        .outerjoin(assessed, assessed.c.response_id == Response.id)
        .where(Response.round_id == round_.id, Response.status == ResponseStatus.SUBMITTED)
        .order_by(Organisation.kind.desc(), Organisation.name, Organisation.id)
    )
    return narrow(query, filters)


def write_answers(wb, round_: Round, filters: DashboardFilter) -> None:
    ws = new_sheet(wb, layout.SHEET)
    questions = sorted(round_.questions, key=lambda question: question.position)
    codes = layout.component_codes()
    parts = parts_per_question(round_, filters, questions)
    headers = [layout.ORGANISATION, layout.YEAR]
    widths = [36, 7]
    for question in questions:
        headers += layout.answer_headers(question.position, parts[question.id])
        widths += [80] * parts[question.id]
    headers += [layout.DECISION_DATE, layout.CASE_NUMBER, *codes, *INFORMATIONAL]
    widths += [13, 20, *([7] * len(codes)), 11, 8]
    set_widths(ws, widths)
    ws.freeze_panes = "B2"
    ws.append(header_cells(ws, headers))
    written = 1
    query = answer_rows_query(round_, filters, questions, codes)
    for row in db.session.execute(query, execution_options={"yield_per": BATCH}):
        cells = [text_cell(ws, row.name, wrap=True), number_cell(ws, round_.year)]
        for question in questions:
            cells += text_cells(ws, getattr(row, f"answer_{question.id}"), parts[question.id])
        cells += [date_cell(ws, row.decision_date), text_cell(ws, row.case_number)]
        cells += [number_cell(ws, getattr(row, f"level_{code}")) for code in codes]
        cells += [text_cell(ws, row.short_name), text_cell(ws, row.kind.label)]
        ws.append(cells)
        written += 1
    ws.auto_filter.ref = filter_range(len(headers), written)
