"""The "Bedömningar" sheet: per organisation with an effective assessment and per component,
the level (of the filter's source), the assessment's justification and its evidence quotes.

One streamed query: levels and justifications joined with the quotes (one row per quote),
grouped here into one sheet row per organisation and component.
"""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import and_, literal, select
from sqlalchemy.orm import aliased

from exports.annex.styles import LevelCells, filter_range, header_cells, new_sheet, set_widths
from exports.cells import CELL_LIMIT, clean_text, split_for_cells, text_cell, utf16_length
from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import (
    SOURCE_ASSESSMENT,
    SOURCE_SELF_ASSESSMENT,
    effective_assessments_query,
    levels_cte,
)
from survey.analysis.population import narrow
from survey.assessments.models import AssessmentScore, EvidenceQuote
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round, RoundQuestion
from survey.reference.models import Component
from survey.responses.models import Answer, Response

SHEET = "Bedömningar"
HEADERS = ["Organisation", "Komponent", "Nivå", "Källa", "Motivering", "Citat"]
SOURCE_LABELS = {SOURCE_ASSESSMENT: "Bedömning", SOURCE_SELF_ASSESSMENT: "Självskattning"}
BATCH = 2_000
#: Shown where a justification or the quotes together would not fit in one cell.
SHORTENED = " … [förkortad: får inte plats i en cell]"


def fit_in_cell(text: str) -> str:
    """`text`, visibly shortened if it is longer than an Excel cell can hold."""
    text = clean_text(text)
    if utf16_length(text) <= CELL_LIMIT:
        return text
    return split_for_cells(text, CELL_LIMIT - len(SHORTENED))[0] + SHORTENED


def assessment_rows_query(round_: Round, filters: DashboardFilter):
    effective = effective_assessments_query(round_id=round_.id).subquery("effective")
    levels = levels_cte([round_.id], filters.source, filters.kind, filters.organisation_ids,
                        name="levels")
    # Quotes joined as tables (indexed by assessment), not as a subquery: SQLite scans a
    # materialised subquery for every row (minutes for a round of 60 000).
    quote_question = aliased(RoundQuestion)
    query = (
        select(Organisation.id.label("organisation_id"), Organisation.name,
               Component.code, Component.name.label("component_name"),
               levels.c.level, levels.c.source, AssessmentScore.justification,
               EvidenceQuote.text.label("quote"),
               quote_question.position.label("question_position"))
        .select_from(effective)
        .join(Response, Response.id == effective.c.response_id)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .join(Component, literal(True))
        .outerjoin(levels, and_(levels.c.response_id == Response.id,
                                levels.c.component_id == Component.id))
        .outerjoin(AssessmentScore, and_(AssessmentScore.assessment_id ==
                                         effective.c.assessment_id,
                                         AssessmentScore.component_id == Component.id))
        .outerjoin(EvidenceQuote, and_(EvidenceQuote.assessment_id == effective.c.assessment_id,
                                       EvidenceQuote.component_id == Component.id))
        .outerjoin(Answer, Answer.id == EvidenceQuote.answer_id)
        .outerjoin(quote_question, quote_question.id == Answer.question_id)
        .order_by(Organisation.kind.desc(), Organisation.name, Organisation.id,
                  Component.position, quote_question.position, EvidenceQuote.start,
                  EvidenceQuote.id)
    )
    return narrow(query, filters)


def write_assessments(wb, round_: Round, filters: DashboardFilter) -> None:
    ws = new_sheet(wb, SHEET)
    set_widths(ws, [36, 34, 7, 14, 60, 80])
    ws.freeze_panes = "C2"
    ws.append(header_cells(ws, HEADERS))
    level_cell = LevelCells(ws)
    written = 1
    result = db.session.execute(assessment_rows_query(round_, filters),
                                execution_options={"yield_per": BATCH})
    for _, rows in groupby(result, key=lambda row: (row.organisation_id, row.code)):
        rows = list(rows)
        first = rows[0]
        quotes = "\n\n".join(f"Fråga {row.question_position}: ”{row.quote}”"
                             for row in rows if row.quote is not None)
        ws.append([
            text_cell(ws, first.name, wrap=True),
            text_cell(ws, f"{first.code} – {first.component_name}", wrap=True),
            level_cell(first.level),
            text_cell(ws, SOURCE_LABELS.get(first.source, "")),
            text_cell(ws, fit_in_cell(first.justification or ""), wrap=True),
            text_cell(ws, fit_in_cell(quotes), wrap=True),
        ])
        written += 1
    ws.auto_filter.ref = filter_range(len(HEADERS), written)
