"""Seed and read the policy's vocabulary."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select

from survey.extensions import db
from survey.reference.models import Component, ComponentIndicator, MaturityLevel, RightsArea

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "reference.toml"


def load_reference(path: Path = REFERENCE_FILE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def seed_reference(path: Path = REFERENCE_FILE) -> None:
    """Insert or update components, levels, indicators, rights areas and tags (idempotent)."""
    data = load_reference(path)
    for raw in data["maturity_levels"]:
        level = db.session.get(MaturityLevel, raw["level"]) or MaturityLevel(level=raw["level"])
        level.name, level.descriptor = raw["name"], raw["descriptor"]
        db.session.add(level)
    for position, raw in enumerate(data["components"], start=1):
        component = db.session.scalar(select(Component).filter_by(code=raw["code"]))
        if component is None:
            component = Component(code=raw["code"])
            db.session.add(component)
        component.name, component.summary, component.position = (
            raw["name"], raw.get("summary", ""), position
        )
        db.session.flush()
        for level, text in enumerate(raw.get("indicators", []), start=1):
            indicator = db.session.scalar(
                select(ComponentIndicator).filter_by(component_id=component.id, level=level)
            )
            if indicator is None:
                indicator = ComponentIndicator(component_id=component.id, level=level)
                db.session.add(indicator)
            indicator.text = text
    for position, name in enumerate(data["rights_areas"]["names"], start=1):
        area = db.session.scalar(select(RightsArea).filter_by(name=name))
        if area is None:
            area = RightsArea(name=name)
            db.session.add(area)
        area.position = position
    _seed_tags(data.get("tags", []))
    db.session.flush()


def _seed_tags(raw_tags: list[dict]) -> None:
    # Imported here: assessments depend on reference, not the other way round.
    from survey.assessments.models import Tag, TagKind

    positions: dict[str, int] = {}
    for raw in raw_tags:
        kind = TagKind(raw["kind"])
        positions[kind] = positions.get(kind, 0) + 1
        tag = db.session.scalar(select(Tag).filter_by(kind=kind, name=raw["name"]))
        if tag is None:
            tag = Tag(kind=kind, name=raw["name"])
            db.session.add(tag)
        tag.description = raw.get("description", "")
        tag.position = positions[kind]


def components() -> list[Component]:
    return list(db.session.scalars(select(Component).order_by(Component.position)))


def maturity_levels() -> list[MaturityLevel]:
    return list(db.session.scalars(select(MaturityLevel).order_by(MaturityLevel.level)))


def rights_areas() -> list[RightsArea]:
    return list(db.session.scalars(select(RightsArea).order_by(RightsArea.position)))
