"""A response is one organisation's answer to one round."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    select,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from survey.accounts.models import User
from survey.database import UTCDateTime, enum_column_type, utcnow
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round, RoundQuestion
from survey.reference.models import Component, RightsArea


class ResponseStatus(enum.StrEnum):
    """Stored statuses; "ej påbörjad" is the absence of a response."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"draft": "Utkast", "submitted": "Inskickad", "returned": "Återsänd"}[self.value]


NOT_STARTED_LABEL = "Ej påbörjad"


class DecisionBody(enum.StrEnum):
    NAMND = "namnd"
    ARBETSUTSKOTT = "arbetsutskott"
    STYRELSE = "styrelse"
    DELEGATION = "delegation"

    @property
    def label(self) -> str:
        return {
            "namnd": "Nämnd",
            "arbetsutskott": "Arbetsutskott",
            "styrelse": "Styrelse",
            "delegation": "Delegation",
        }[self.value]


class EventKind(enum.StrEnum):
    CREATED = "created"
    SUBMITTED = "submitted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {
            "created": "Påbörjad",
            "submitted": "Inskickad",
            "returned": "Återsänd för komplettering",
        }[self.value]


response_rights_area = Table(
    "response_rights_area",
    db.metadata,
    Column("response_id", ForeignKey("response.id", ondelete="CASCADE"), primary_key=True),
    Column("rights_area_id", ForeignKey("rights_area.id"), primary_key=True),
)


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (
        # One response per organisation and round, or several numbered ones (1, 2, …) in a
        # round of several reports: the constraint keeps both honest under concurrent starts.
        UniqueConstraint("round_id", "organisation_id", "number",
                         name="uq_response_round_organisation_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: The organisation's report number in the round: always 1 unless the round takes
    #: several reports (Round.several_reports).
    number: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    status: Mapped[ResponseStatus] = mapped_column(
        enum_column_type(ResponseStatus), default=ResponseStatus.DRAFT
    )
    #: Bumped when the rights-area tags change; the optimistic lock for them.
    tags_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[Round] = relationship()
    organisation: Mapped[Organisation] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    self_assessments: Mapped[list[SelfAssessment]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    rights_areas: Mapped[list[RightsArea]] = relationship(
        secondary=response_rights_area, order_by="RightsArea.position"
    )
    submissions: Mapped[list[Submission]] = relationship(
        back_populates="response", order_by="Submission.number"
    )
    events: Mapped[list[ResponseEvent]] = relationship(
        back_populates="response", order_by="ResponseEvent.id"
    )

    @property
    def is_editable(self) -> bool:
        return self.status != ResponseStatus.SUBMITTED and self.round.is_open

    @property
    def can_be_returned(self) -> bool:
        """Stadskontoret can send it back only while the round is open to fix it."""
        return self.status == ResponseStatus.SUBMITTED and self.round.is_open

    @property
    def latest_submission(self) -> Submission | None:
        return self.submissions[-1] if self.submissions else None

    @property
    def latest_return(self) -> ResponseEvent | None:
        returns = [e for e in self.events if e.kind == EventKind.RETURNED]
        return returns[-1] if returns else None

    def answer_for(self, question: RoundQuestion) -> Answer | None:
        return next((a for a in self.answers if a.question_id == question.id), None)


def count_words(text: str) -> int:
    """Words as the answer form counts them: runs of non-whitespace characters."""
    return len(text.split())


class Answer(db.Model):
    """The current text of one question's answer, with an optimistic-lock version."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id", name="uq_answer_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("round_question.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    #: Words in `text` (runs of non-space), kept with the text so that the scope of answers
    #: can be aggregated in the database.
    word_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Incremented by every save; a save names the version it started from.
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[RoundQuestion] = relationship()
    updated_by: Mapped[User | None] = relationship()
    revisions: Mapped[list[AnswerRevision]] = relationship(
        back_populates="answer", order_by="AnswerRevision.version.desc()",
        cascade="all, delete-orphan",
    )


class RevisionAction(enum.StrEnum):
    SAVE = "save"
    RESTORE = "restore"

    @property
    def label(self) -> str:
        return {"save": "Sparad", "restore": "Återställd"}[self.value]


class AnswerRevision(db.Model):
    """Every accepted save of an answer: who, when, the full text."""

    __tablename__ = "answer_revision"
    __table_args__ = (UniqueConstraint("answer_id", "version", name="uq_answer_revision_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    action: Mapped[RevisionAction] = mapped_column(enum_column_type(RevisionAction))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)

    answer: Mapped[Answer] = relationship(back_populates="revisions")
    user: Mapped[User | None] = relationship()


class SelfAssessment(db.Model):
    """The organisation's own rating (självskattning) of one component."""

    __tablename__ = "self_assessment"
    __table_args__ = (
        UniqueConstraint("response_id", "component_id", name="uq_self_assessment_component"),
        CheckConstraint("level IS NULL OR level BETWEEN 0 AND 4", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    component_id: Mapped[int] = mapped_column(ForeignKey("component.id"), index=True)
    #: 0–4 on the maturity scale; NULL until chosen.
    level: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)

    response: Mapped[Response] = relationship(back_populates="self_assessments")
    component: Mapped[Component] = relationship()
    updated_by: Mapped[User | None] = relationship()


class Submission(db.Model):
    """A submitted version, kept exactly as submitted (an allmän handling)."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("response_id", "number", name="uq_submission_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    #: 1 for the first submission, 2 after a return and resubmission, …
    number: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    decision_body: Mapped[DecisionBody] = mapped_column(enum_column_type(DecisionBody))
    decision_date: Mapped[dt.date] = mapped_column(Date)
    #: Diarienummer, e.g. "ASN-2019-17557" or "GYVF-2022-1941-15".
    case_number: Mapped[str] = mapped_column(String(40))
    #: Snapshot of questions, answers, self-assessment and tags at submission.
    content: Mapped[dict] = mapped_column(JSON)

    response: Mapped[Response] = relationship(back_populates="submissions")
    submitted_by: Mapped[User | None] = relationship()


def latest_submissions():
    """A subquery of each response's latest submission: response_id, submission_id (the
    submission an up-to-date assessment has read, and whose decision the response carries).

    The latest is the one no later submission of the same response follows: a probe of
    ix_submission_response_id per row joined (which also holds the id on SQLite), rather
    than a GROUP BY over every submission of every round whatever the query filters.
    """
    later = aliased(Submission, name="later_submission")
    return (select(Submission.response_id, Submission.id.label("submission_id"))
            .where(~exists().where(later.response_id == Submission.response_id,
                                   later.id > Submission.id))
            .subquery("latest_submission"))


class ResponseEvent(db.Model):
    """The workflow history of a response: started, submitted, returned."""

    __tablename__ = "response_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column_type(EventKind))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: The reason given when stadskontoret sends a response back.
    reason: Mapped[str] = mapped_column(Text, default="")
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"), index=True)

    response: Mapped[Response] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()
    submission: Mapped[Submission | None] = relationship()
