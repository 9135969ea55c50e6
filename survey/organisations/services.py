"""Seeding and changing organisations."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select

from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind

ORGANISATIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "organisations.toml"


def seed_organisations(path: Path = ORGANISATIONS_FILE) -> None:
    """Add the organisations of the data file that are not there yet (by short name)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    for raw in data["organisations"]:
        existing = db.session.scalar(select(Organisation).filter_by(short_name=raw["short_name"]))
        if existing is None:
            db.session.add(Organisation(
                name=raw["name"], short_name=raw["short_name"],
                kind=OrganisationKind(raw["kind"]),
            ))
    db.session.flush()


def by_short_name(short_name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).filter_by(short_name=short_name))
