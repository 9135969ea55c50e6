"""Organisations that answer: data with validity, never code."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, String, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from survey.database import enum_column_type
from survey.extensions import db
from survey.responses.case_numbers import parse_registry_codes


class OrganisationKind(enum.StrEnum):
    NAMND = "namnd"
    BOLAG = "bolag"

    @property
    def label(self) -> str:
        return {"namnd": "Nämnd", "bolag": "Bolag"}[self.value]

    @property
    def plural_label(self) -> str:
        return {"namnd": "Nämnder", "bolag": "Bolag"}[self.value]

    @property
    def possessive(self) -> str:
        """"nämndens"/"bolagets", as in "nämndens kända diariekoder"."""
        return {"namnd": "nämndens", "bolag": "bolagets"}[self.value]


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: The platform's own short name (e.g. "ASN"); also the demo login's local part.
    short_name: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column_type(OrganisationKind)
    )
    valid_from: Mapped[dt.date] = mapped_column(Date, default=dt.date(2022, 1, 1))
    #: Last day the organisation exists (merged, renamed or wound up); open when NULL.
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    #: The registry codes (diariekoder) that begin its case numbers, e.g. "STK" for
    #: Kommunstyrelsen; separated by ", ". A case number with another code gets a warning,
    #: not a refusal. Empty: none known, no warning.
    registry_codes: Mapped[str] = mapped_column(String(100), default="", server_default="")

    @property
    def registry_code_list(self) -> list[str]:
        return parse_registry_codes(self.registry_codes)

    def is_valid_in(self, year: int) -> bool:
        started = self.valid_from.year <= year
        return started and (self.valid_to is None or self.valid_to.year >= year)

    def __str__(self) -> str:
        return self.name


def organisations_valid_in(year: int):
    """A select of the organisations that exist at some point in `year`, in display order."""
    return (
        select(Organisation)
        .where(Organisation.valid_from <= dt.date(year, 12, 31))
        .where(or_(Organisation.valid_to.is_(None), Organisation.valid_to >= dt.date(year, 1, 1)))
        .order_by(Organisation.kind.desc(), Organisation.name)
    )
