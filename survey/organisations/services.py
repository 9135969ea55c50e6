"""Seeding and changing organisations."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from sqlalchemy import select

from survey.audit.services import record
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.responses.case_numbers import invalid_registry_codes, parse_registry_codes

ORGANISATIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "organisations.toml"
REGISTRY_CODES_LENGTH = 100


def seed_organisations(path: Path = ORGANISATIONS_FILE) -> None:
    """Add the organisations of the data file that are not there yet (by short name).

    A start (valid_from) in the file earlier than an existing organisation's moves its start
    back, and registry codes fill in an existing organisation's empty ones (a database
    from before the codes): the file only ever adds known data. Later starts and other
    changes are the admin pages' business, so seeding never undoes an administrator's edit.
    """
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    for raw in data["organisations"]:
        existing = db.session.scalar(select(Organisation).filter_by(short_name=raw["short_name"]))
        start = raw.get("valid_from")
        codes = format_registry_codes(raw.get("registry_codes", ""))
        if existing is None:
            organisation = Organisation(
                name=raw["name"], short_name=raw["short_name"],
                kind=OrganisationKind(raw["kind"]), registry_codes=codes,
            )
            if start is not None:
                organisation.valid_from = start
            db.session.add(organisation)
            continue
        changes = []  # one event per organisation and seeding, naming every change
        if start is not None and start < existing.valid_from:
            changes.append(f"giltig från {existing.valid_from} → {start}")
            existing.valid_from = start
        if codes and not existing.registry_codes:
            changes.append(f"diariekoder {codes}")
            existing.registry_codes = codes
        if changes:
            record("organisation.update", obj=existing, organisation_id=existing.id,
                   detail=", ".join(changes) + " (grunddata)")
    db.session.flush()


def format_registry_codes(text: str | None) -> str:
    """The stored form of registry codes typed as `"stk ks"` or `"STK,KS"`: `"STK, KS"`.
    Raises OrganisationError for a code that is not 2–5 letters A–Ö."""
    codes = parse_registry_codes(text)
    wrong = invalid_registry_codes(codes)
    if wrong:
        raise OrganisationError(
            f"{', '.join(wrong)} är ingen diariekod: en kod är 2–5 versaler A–Ö, till "
            "exempel STK. Skilj flera koder åt med kommatecken.")
    stored = ", ".join(codes)
    if len(stored) > REGISTRY_CODES_LENGTH:
        raise OrganisationError(f"Diariekoderna får vara högst {REGISTRY_CODES_LENGTH} tecken.")
    return stored


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
                        valid_from: dt.date, valid_to: dt.date | None = None,
                        registry_codes: str = "") -> Organisation:
    name, short_name = name.strip(), short_name.strip()
    _check_organisation(name, short_name, valid_from, valid_to)
    organisation = Organisation(name=name, short_name=short_name, kind=kind,
                                valid_from=valid_from, valid_to=valid_to,
                                registry_codes=format_registry_codes(registry_codes))
    db.session.add(organisation)
    db.session.flush()
    record("organisation.create", obj=organisation, organisation_id=organisation.id,
           detail=f"{short_name}, {kind.value}")
    return organisation


def update_organisation(organisation: Organisation, name: str, short_name: str,
                        kind: OrganisationKind, valid_from: dt.date,
                        valid_to: dt.date | None, registry_codes: str | None = None) -> None:
    """Change an organisation; registry codes None leaves them as they are."""
    name, short_name = name.strip(), short_name.strip()
    _check_organisation(name, short_name, valid_from, valid_to, current=organisation)
    codes = organisation.registry_codes if registry_codes is None \
        else format_registry_codes(registry_codes)
    changed = [
        label for label, old, new in (
            ("namn", organisation.name, name), ("kortnamn", organisation.short_name, short_name),
            ("typ", organisation.kind, kind), ("giltig från", organisation.valid_from, valid_from),
            ("giltig till", organisation.valid_to, valid_to),
            ("diariekoder", organisation.registry_codes, codes),
        ) if old != new
    ]
    organisation.name, organisation.short_name, organisation.kind = name, short_name, kind
    organisation.valid_from, organisation.valid_to = valid_from, valid_to
    organisation.registry_codes = codes
    record("organisation.update", obj=organisation, organisation_id=organisation.id,
           detail="ändrat: " + (", ".join(changed) or "inget"))
