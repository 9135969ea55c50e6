"""Making a database ready for use: the schema at the newest migration, then the reference
data (components, maturity scale, rights areas) and the organisations. Used by the `init-db`,
`seed` and `demo` commands, the demo and synthetic data builders, and the tests."""

from __future__ import annotations

from flask import current_app
from flask_migrate import upgrade

from survey.extensions import db
from survey.organisations.services import seed_organisations
from survey.reference.services import seed_reference


def init_database() -> None:
    """Bring the schema to the newest migration (creates the database if needed)."""
    upgrade(directory=current_app.extensions["migrate"].directory)


def seed_all() -> None:
    seed_reference()
    seed_organisations()
    db.session.commit()
