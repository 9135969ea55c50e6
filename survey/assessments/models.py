"""Assessments: an analyst's levels, justifications, evidence quotes and tags for a response.

A response may be assessed independently by two analysts (double coding); where they differ
they agree on a consensus assessment. Evidence quotes point into an answer's text by
character offsets, and keep a copy of the quoted text so they stay readable.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.accounts.models import User
from survey.database import UTCDateTime, enum_column_type, utcnow
from survey.extensions import db
from survey.reference.models import Component, RightsArea
from survey.responses.models import Answer, Response, Submission


class TagKind(enum.StrEnum):
    PRINCIPLE = "principle"
    BARRIER = "barrier"

    @property
    def label(self) -> str:
        return {"principle": "Princip", "barrier": "Hinder"}[self.value]


class Tag(db.Model):
    """A policy principle or a barrier (resurser, kunskap, …): data, seeded from TOML."""

    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_tag_kind_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TagKind] = mapped_column(enum_column_type(TagKind))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)


class AssessmentKind(enum.StrEnum):
    INDEPENDENT = "independent"
    CONSENSUS = "consensus"

    @property
    def label(self) -> str:
        return {"independent": "Bedömning", "consensus": "Gemensam bedömning"}[self.value]


class AssessmentStatus(enum.StrEnum):
    DRAFT = "draft"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"draft": "Utkast", "done": "Klar"}[self.value]


assessment_rights_area = Table(
    "assessment_rights_area",
    db.metadata,
    Column("assessment_id", ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True),
    Column("rights_area_id", ForeignKey("rights_area.id"), primary_key=True),
)

assessment_tag = Table(
    "assessment_tag",
    db.metadata,
    Column("assessment_id", ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id"), primary_key=True),
)


#: The components a development work strengthens, as an analyst tagged them (the
#: development-funds reports are not scored on the maturity scale, only tagged).
response_component = Table(
    "response_component",
    db.metadata,
    Column("response_id", ForeignKey("response.id", ondelete="CASCADE"), primary_key=True),
    Column("component_id", ForeignKey("component.id"), primary_key=True, index=True),
)


class Assessment(db.Model):
    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("response_id", "analyst_id", "kind",
                         name="uq_assessment_response_analyst_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    #: The submission that was read; when the response is resubmitted, this one is out of date.
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    #: The analyst who owns it (for a consensus: the one who recorded it).
    analyst_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[AssessmentKind] = mapped_column(
        enum_column_type(AssessmentKind), default=AssessmentKind.INDEPENDENT
    )
    status: Mapped[AssessmentStatus] = mapped_column(
        enum_column_type(AssessmentStatus), default=AssessmentStatus.DRAFT
    )
    #: Optimistic lock: incremented by every save, like answers.
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    response: Mapped[Response] = relationship()
    submission: Mapped[Submission] = relationship()
    analyst: Mapped[User] = relationship()
    scores: Mapped[list[AssessmentScore]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    quotes: Mapped[list[EvidenceQuote]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan",
        order_by="EvidenceQuote.start",
    )
    rights_areas: Mapped[list[RightsArea]] = relationship(
        secondary=assessment_rights_area, order_by="RightsArea.position"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=assessment_tag, order_by="Tag.position")
    revisions: Mapped[list[AssessmentRevision]] = relationship(
        back_populates="assessment", order_by="AssessmentRevision.version.desc()",
        cascade="all, delete-orphan",
    )

    @property
    def is_out_of_date(self) -> bool:
        """Read from an earlier submission than the response's latest one (or since returned)."""
        latest = self.response.latest_submission
        return latest is None or latest.id != self.submission_id or \
            self.response.status.value != "submitted"

    def score_for(self, component: Component) -> AssessmentScore | None:
        return next((s for s in self.scores if s.component_id == component.id), None)


class AssessmentScore(db.Model):
    """The assessed level of one component, with the analyst's justification."""

    __tablename__ = "assessment_score"
    __table_args__ = (
        UniqueConstraint("assessment_id", "component_id", name="uq_assessment_score_component"),
        CheckConstraint("level IS NULL OR level BETWEEN 0 AND 4", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    component_id: Mapped[int] = mapped_column(ForeignKey("component.id"), index=True)
    level: Mapped[int | None] = mapped_column(Integer)
    justification: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[Assessment] = relationship(back_populates="scores")
    component: Mapped[Component] = relationship()


class EvidenceQuote(db.Model):
    """A passage of an answer marked as evidence for a component, a rights area or a tag."""

    __tablename__ = "evidence_quote"
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="offsets"),
        CheckConstraint(
            "(CASE WHEN component_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN rights_area_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN tag_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
        # The annex joins an assessment's quotes per component: without it SQLite probes by
        # component alone and a round of 60 000 takes minutes instead of seconds.
        Index("ix_evidence_quote_assessment_component", "assessment_id", "component_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"), index=True)
    #: Character offsets into the answer's text as submitted: text[start:end].
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    #: A copy of the quoted passage.
    text: Mapped[str] = mapped_column(Text)
    component_id: Mapped[int | None] = mapped_column(ForeignKey("component.id"), index=True)
    rights_area_id: Mapped[int | None] = mapped_column(ForeignKey("rights_area.id"), index=True)
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tag.id"), index=True)
    #: True when accepted from a text suggestion rather than marked by hand.
    from_suggestion: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="quotes")
    answer: Mapped[Answer] = relationship()
    component: Mapped[Component | None] = relationship()
    rights_area: Mapped[RightsArea | None] = relationship()
    tag: Mapped[Tag | None] = relationship()


class AssessmentRevision(db.Model):
    """Every accepted save of an assessment: a snapshot of levels, texts, quotes and tags."""

    __tablename__ = "assessment_revision"
    __table_args__ = (
        UniqueConstraint("assessment_id", "version", name="uq_assessment_revision_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    action: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)

    assessment: Mapped[Assessment] = relationship(back_populates="revisions")
    user: Mapped[User | None] = relationship()
