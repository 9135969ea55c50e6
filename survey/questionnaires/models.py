"""Survey rounds and the questions copied into them."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.database import UTCDateTime, enum_column_type, utcnow
from survey.extensions import db


class RoundStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"draft": "Utkast", "open": "Öppen", "closed": "Stängd"}[self.value]


class QuestionType(enum.StrEnum):
    LONG_TEXT = "long_text"
    SHORT_TEXT = "short_text"
    DATE = "date"
    AMOUNT = "amount"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    YEAR = "year"


class Round(db.Model):
    """An enkätomgång: one questionnaire asked for one year."""

    __tablename__ = "survey_round"
    __table_args__ = (
        UniqueConstraint("questionnaire_key", "year", name="uq_survey_round_questionnaire_year"),
        CheckConstraint("deadline >= opens_at", name="deadline_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The definition it was created from, e.g. "sarskild-fraga".
    questionnaire_key: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[RoundStatus] = mapped_column(
        enum_column_type(RoundStatus), default=RoundStatus.DRAFT
    )
    #: Whether respondents rate themselves on the seven components.
    self_assessment: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Whether respondents tag the rights areas their answer addresses.
    rights_areas: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Whether an organisation files several reports in the round, one per piece of work
    #: (the development-funds follow-up: one report per utvecklingsarbete), each with its
    #: own status; otherwise one response per organisation.
    several_reports: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("survey_round.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When stadskontoret published the round's assessments to the organisations.
    assessments_published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Whether the round's results may be shown by organisation name to every respondent
    #: (otherwise respondents see only their own organisation against anonymous figures).
    results_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    questions: Mapped[list[RoundQuestion]] = relationship(
        back_populates="round", order_by="RoundQuestion.position", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    def __str__(self) -> str:
        return self.title


class RoundQuestion(db.Model):
    """A question as respondents of one round saw it; later edits never touch it."""

    __tablename__ = "round_question"
    __table_args__ = (
        UniqueConstraint("round_id", "key", name="uq_round_question_key"),
        CheckConstraint(
            "max_length IS NULL OR min_length IS NULL OR max_length >= min_length",
            name="length_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    #: The anvisning shown with the question.
    guidance: Mapped[str] = mapped_column(Text, default="")
    qtype: Mapped[QuestionType] = mapped_column(enum_column_type(QuestionType))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    min_length: Mapped[int | None] = mapped_column(Integer)
    max_length: Mapped[int | None] = mapped_column(Integer)
    #: For choice questions: the list of options.
    choices: Mapped[list | None] = mapped_column(JSON)

    round: Mapped[Round] = relationship(back_populates="questions")
