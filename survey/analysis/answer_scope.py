"""The scope of the answers: words per answer per organisation in a round, and how scope goes
with the assessed maturity index.

Words are Answer.word_count (kept by save_answer), summed in the database over submitted
responses only: a draft or a returned response has no scope yet. An organisation of the
round's population without a submitted response is missing (None), never 0 words.
One query gives every organisation its words per question, total and index.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Float, case, cast, func, select

from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import levels_cte
from survey.analysis.population import organisations_of_round
from survey.analysis.stats import pearson, quartiles
from survey.extensions import db
from survey.organisations.models import OrganisationKind
from survey.questionnaires.models import Round
from survey.responses.models import Answer, Response, ResponseStatus


@dataclass(frozen=True)
class Question:
    id: int
    position: int
    text: str

    @property
    def label(self) -> str:
        return f"Fråga {self.position}"


@dataclass(frozen=True)
class OrganisationScope:
    """One organisation's words in the round (None throughout when it has not submitted)."""

    organisation_id: int
    name: str
    kind: OrganisationKind
    words: int | None  # all its answers together
    answered: int | None  # answers with at least one word
    per_question: dict[int, int | None]  # question id -> words
    index: float | None  # maturity index by the filter's level source

    @property
    def words_per_answer(self) -> float | None:
        return self.words / self.answered if self.words is not None and self.answered else None


@dataclass(frozen=True)
class AnswerScope:
    round_id: int
    questions: list[Question]
    organisations: list[OrganisationScope]  # sorted as the filter asks

    @property
    def with_words(self) -> list[OrganisationScope]:
        return [o for o in self.organisations if o.words is not None]

    @property
    def missing(self) -> list[OrganisationScope]:
        return [o for o in self.organisations if o.words is None]

    @property
    def pairs(self) -> list[OrganisationScope]:
        """Organisations with both words and an index: the points of the correlation."""
        return [o for o in self.with_words if o.index is not None]

    @property
    def correlation(self) -> float | None:
        pairs = self.pairs
        return pearson([float(o.words) for o in pairs], [o.index for o in pairs])

    @property
    def word_quartiles(self) -> tuple[float, float, float] | None:
        return quartiles([float(o.words) for o in self.with_words])


def answer_scope(round_: Round, filters: DashboardFilter) -> AnswerScope:
    """Words per organisation and question in the round, with each organisation's index."""
    questions = [Question(q.id, q.position, q.text) for q in round_.questions]
    per_question = [
        func.sum(case((Answer.question_id == q.id, Answer.word_count), else_=0))
        .label(f"q{q.id}") for q in questions
    ]
    words = (
        select(Answer.response_id, func.sum(Answer.word_count).label("words"),
               func.sum(case((Answer.word_count > 0, 1), else_=0)).label("answered"),
               *per_question)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id == round_.id, Response.status == ResponseStatus.SUBMITTED)
        .group_by(Answer.response_id)
        .subquery("words")
    )
    levels = levels_cte([round_.id], filters.source, filters.kind,
                          filters.organisation_ids, name="levels")
    indices = (
        select(levels.c.organisation_id, func.avg(cast(levels.c.level, Float)).label("index"))
        .group_by(levels.c.organisation_id)
        .subquery("indices")
    )
    population = organisations_of_round(round_, filters).subquery("population")
    query = (
        select(population.c.id, population.c.name, population.c.kind, words, indices.c.index)
        .outerjoin(words, words.c.response_id == population.c.response_id)
        .outerjoin(indices, indices.c.organisation_id == population.c.id)
    )
    rows = []
    for row in db.session.execute(query).mappings():
        submitted = row["words"] is not None
        rows.append(OrganisationScope(
            organisation_id=row["id"], name=row["name"], kind=row["kind"],
            words=int(row["words"]) if submitted else None,
            answered=int(row["answered"]) if submitted else None,
            per_question={q.id: int(row[f"q{q.id}"]) if submitted else None
                          for q in questions},
            index=float(row["index"]) if row["index"] is not None else None))
    return AnswerScope(round_.id, questions, sort_scope(rows, filters.sort))


def sort_scope(rows: list[OrganisationScope], sort: str) -> list[OrganisationScope]:
    """By name, or by words from the most; organisations without an answer last."""
    rows = sorted(rows, key=lambda o: o.name.casefold())
    if sort == "name":
        return rows
    return sorted(rows, key=lambda o: (o.words is None, -(o.words or 0)))
