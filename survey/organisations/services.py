"""Seeding and changing organisations."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from sqlalchemy import select

from survey.audit.services import record
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind

ORGANISATIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "organisations.toml"


def seed_organisations(path: Path = ORGANISATIONS_FILE) -> None:
    """Add the organisations of the data file that are not there yet (by short name).

    A start (valid_from) in the file earlier than an existing organisation's moves its start
    back: the file only ever adds known history. Later starts and other changes are the
    admin pages' business, so seeding never undoes an administrator's edit.
    """
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    for raw in data["organisations"]:
        existing = db.session.scalar(select(Organisation).filter_by(short_name=raw["short_name"]))
        start = raw.get("valid_from")
        if existing is None:
            organisation = Organisation(
                name=raw["name"], short_name=raw["short_name"],
                kind=OrganisationKind(raw["kind"]),
            )
            if start is not None:
                organisation.valid_from = start
            db.session.add(organisation)
        elif start is not None and start < existing.valid_from:
            record("organisation.update", obj=existing, organisation_id=existing.id,
                   detail=f"giltig från {existing.valid_from} → {start} (grunddata)")
            existing.valid_from = start
    db.session.flush()


def by_short_name(short_name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).filter_by(short_name=short_name))


class OrganisationError(ValueError):
    """An organisation change that is not allowed; the message is Swedish, for the user."""


def _check_organisation(name: str, short_name: str, valid_from: dt.date,
                        valid_to: dt.date | None, current: Organisation | None = None) -> None:
    if not name or not short_name:
        raise OrganisationError("Ange både namn och kortnamn.")
    if valid_to is not None and valid_to < valid_from:
        raise OrganisationError("Giltig till kan inte ligga före giltig från.")
    others = [o for o in db.session.scalars(select(Organisation)) if o is not current]
    # Compared in Python: SQLite's lower() folds only ASCII, so "ÖSTRA" would pass "östra".
    if any(o.name.casefold() == name.casefold() for o in others):
        raise OrganisationError(f"Det finns redan en organisation som heter {name}.")
    if any(o.short_name.casefold() == short_name.casefold() for o in others):
        raise OrganisationError(f"Kortnamnet {short_name} används redan av en annan organisation.")


def create_organisation(name: str, short_name: str, kind: OrganisationKind,
                        valid_from: dt.date, valid_to: dt.date | None = None) -> Organisation:
    name, short_name = name.strip(), short_name.strip()
    _check_organisation(name, short_name, valid_from, valid_to)
    organisation = Organisation(name=name, short_name=short_name, kind=kind,
                                valid_from=valid_from, valid_to=valid_to)
    db.session.add(organisation)
    db.session.flush()
    record("organisation.create", obj=organisation, organisation_id=organisation.id,
           detail=f"{short_name}, {kind.value}")
    return organisation


def update_organisation(organisation: Organisation, name: str, short_name: str,
                        kind: OrganisationKind, valid_from: dt.date,
                        valid_to: dt.date | None) -> None:
    name, short_name = name.strip(), short_name.strip()
    _check_organisation(name, short_name, valid_from, valid_to, current=organisation)
    changed = [
        label for label, old, new in (
            ("namn", organisation.name, name), ("kortnamn", organisation.short_name, short_name),
            ("typ", organisation.kind, kind), ("giltig från", organisation.valid_from, valid_from),
            ("giltig till", organisation.valid_to, valid_to),
        ) if old != new
    ]
    organisation.name, organisation.short_name, organisation.kind = name, short_name, kind
    organisation.valid_from, organisation.valid_to = valid_from, valid_to
    record("organisation.update", obj=organisation, organisation_id=organisation.id,
           detail="ändrat: " + (", ".join(changed) or "inget"))
