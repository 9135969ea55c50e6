"""Components, maturity levels, indicators and rights areas: data, seeded from TOML."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db

MIN_LEVEL = 0
MAX_LEVEL = 4


class Component(db.Model):
    """One of the seven implementation components (komponenter för implementering)."""

    __tablename__ = "component"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short code used in data and exports, e.g. "MAL".
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)

    indicators: Mapped[list[ComponentIndicator]] = relationship(
        back_populates="component", order_by="ComponentIndicator.level"
    )


class MaturityLevel(db.Model):
    """A step of the maturity scale (mognadsnivå), 0–4."""

    __tablename__ = "maturity_level"
    __table_args__ = (
        CheckConstraint(f"level BETWEEN {MIN_LEVEL} AND {MAX_LEVEL}", name="level_range"),
    )

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(40))
    descriptor: Mapped[str] = mapped_column(Text)


class ComponentIndicator(db.Model):
    """What an assessor looks for in one component at one level."""

    __tablename__ = "component_indicator"
    __table_args__ = (
        UniqueConstraint("component_id", "level", name="uq_component_indicator_level"),
        CheckConstraint(f"level BETWEEN {MIN_LEVEL} AND {MAX_LEVEL}", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("component.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    component: Mapped[Component] = relationship(back_populates="indicators")


class RightsArea(db.Model):
    """A rights area (rättighetsområde) an answer may address."""

    __tablename__ = "rights_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(Integer)
