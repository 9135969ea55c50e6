"""The annex's own figures (exports.annex lays them out): every submitted answer with the
assessed levels, every effective assessment's levels, justifications and quotes, and the
names of the chosen organisations. Queries stream: they return iterators of rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import Row, Select, and_, case, func, literal, select
from sqlalchemy.orm import aliased

from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import LevelSource, effective_assessments_query, levels_cte
from survey.analysis.population import narrow
from survey.assessments.models import AssessmentScore, EvidenceQuote
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round, RoundQuestion
from survey.reference.models import Component
from survey.responses.models import (
    Answer,
    Response,
    ResponseStatus,
    Submission,
    latest_submissions,
)

#: Rows fetched from the database at a time while streaming.
ANSWER_BATCH = 1_000
ASSESSMENT_BATCH = 2_000


def chosen_organisation_names(filters: DashboardFilter) -> list[str]:
    """The names of the filter's organisations, alphabetically (empty: no such filter)."""
    if not filters.organisation_ids:
        return []
    return list(db.session.scalars(
        select(Organisation.name).where(Organisation.id.in_(filters.organisation_ids))
        .order_by(Organisation.name)))


def _submitted_answers(round_: Round, filters: DashboardFilter) -> Select:
    query = (
        select(Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .where(Response.round_id == round_.id, Response.status == ResponseStatus.SUBMITTED)
    )
    return narrow(query, filters)


def long_answer_texts(round_: Round, filters: DashboardFilter,
                      longer_than: int) -> Iterator[tuple[int, str]]:
    """(question id, text) of the exported answers longer than `longer_than` characters:
    first the longest answer per question (one GROUP BY), then only those questions'
    long texts, streamed."""
    longest_query = (
        _submitted_answers(round_, filters)
        .add_columns(func.max(func.length(Answer.text)).label("longest"))
        .group_by(Answer.question_id)
    )
    long_questions = [row.question_id for row in db.session.execute(longest_query)
                      if (row.longest or 0) > longer_than]
    for question_id in long_questions:
        texts = (_submitted_answers(round_, filters)
                 .with_only_columns(Answer.text)
                 .where(Answer.question_id == question_id,
                        func.length(Answer.text) > longer_than))
        for text in db.session.scalars(texts, execution_options={"yield_per": 100}):
            yield question_id, text


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


def answer_rows(round_: Round, filters: DashboardFilter, questions: list[RoundQuestion],
                codes: list[str]) -> Iterator[Row]:
    """The rows of answer_rows_query(), streamed."""
    query = answer_rows_query(round_, filters, questions, codes)
    yield from db.session.execute(query, execution_options={"yield_per": ANSWER_BATCH})


@dataclass(frozen=True)
class AssessmentRow:
    """One organisation's level of one component, with the effective assessment's
    justification and evidence quotes ((question position, text), in reading order)."""

    organisation_name: str
    code: str
    component_name: str
    level: int | None
    source: str | None
    justification: str | None
    quotes: list[tuple[int, str]]


def assessment_rows_query(round_: Round, filters: DashboardFilter) -> Select:
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


def assessment_rows(round_: Round, filters: DashboardFilter) -> Iterator[AssessmentRow]:
    """Per organisation with an effective assessment and per component, in order: one
    streamed query (one row per quote), grouped here into one row per component."""
    result = db.session.execute(assessment_rows_query(round_, filters),
                                execution_options={"yield_per": ASSESSMENT_BATCH})
    for _, rows in groupby(result, key=lambda row: (row.organisation_id, row.code)):
        rows = list(rows)
        first = rows[0]
        yield AssessmentRow(
            organisation_name=first.name, code=first.code,
            component_name=first.component_name, level=first.level, source=first.source,
            justification=first.justification,
            quotes=[(row.question_position, row.quote) for row in rows
                    if row.quote is not None])
