"""Checks before the app serves: debug mode only on a development database, and a schema
that is migrated to the newest revision.

The schema check runs when the app is built to serve requests: under gunicorn or any other
WSGI server (which call `survey:create_app()`), and under `flask run`. It does not run for
the other `flask` commands (`init-db`, `db upgrade` and `demo` must work on an empty
database; `shell`, `backup` … decide for themselves), nor in tests (TESTING), which build
their tables with create_all. SKIP_SCHEMA_CHECK = True switches it off.
"""

from __future__ import annotations

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy.exc import OperationalError

INIT_COMMAND = "flask --app survey init-db"
UPGRADE_COMMAND = "flask --app survey db upgrade"

DEBUG_WARNING = (
    "FELSÖKNINGSLÄGE (FLASK_DEBUG) är på: sessionskakan skickas utan Secure och HSTS är av. "
    "Använd det aldrig i drift. / Debug mode is on: never use it in production."
)


class StartupRefused(RuntimeError):
    """The app must not start as configured; the message says what to do."""


def check_debug(app: Flask) -> None:
    """Debug mode (FLASK_DEBUG=1, `flask run --debug`) is for a SQLite development database.

    With any other database (PostgreSQL: the production setup) the app refuses to start;
    with SQLite it starts and says loudly that debug mode is on.
    """
    if not app.debug:
        return
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0].split("+", 1)[0]
    if backend != "sqlite":
        raise StartupRefused(
            "Felsökningsläget (FLASK_DEBUG=1 eller --debug) får inte användas mot en "
            f"{backend}-databas: det är driftens databas. Stäng av felsökningsläget, eller "
            "utveckla mot SQLite. / Debug mode is refused with a non-SQLite (production) "
            "database; unset FLASK_DEBUG."
        )
    app.logger.warning(DEBUG_WARNING)


def serving(app: Flask) -> bool:
    """True when the app is being built to serve requests (see the module docstring)."""
    if app.testing or app.config.get("SKIP_SCHEMA_CHECK"):
        return False
    context = click.get_current_context(silent=True)
    if context is None:
        return True  # a WSGI server, or Python code importing the app
    # `flask run` loads the app inside its own command; every other command of the flask
    # group loads it while the group looks the command up (or inside that command).
    return context.command.name == "run"


def schema_problem(connection, script: ScriptDirectory) -> str | None:
    """What is wrong with the database's schema revision, in Swedish and English, or None."""
    current = set(MigrationContext.configure(connection).get_current_heads())
    heads = set(script.get_heads())
    if current == heads:
        return None
    if not current:
        return (
            "Databasen har inget schema (den är inte initierad). Kör "
            f"`{INIT_COMMAND}` innan appen startas. / The database is not initialised: "
            f"run `{INIT_COMMAND}` first."
        )
    known = {revision.revision for revision in script.walk_revisions()}
    if current <= known:
        return (
            f"Databasens schema ({', '.join(sorted(current))}) är äldre än appens "
            f"({', '.join(sorted(heads))}). Kör `{UPGRADE_COMMAND}` (eller `{INIT_COMMAND}`) "
            f"innan appen startas. / The database schema is behind: run `{UPGRADE_COMMAND}`."
        )
    return (
        f"Databasens schema ({', '.join(sorted(current))}) är nyare än den här versionen av "
        f"appen känner till ({', '.join(sorted(heads))}). Installera rätt version av appen. / "
        "The database was migrated by a newer version of the app."
    )


def check_schema(app: Flask) -> None:
    """Refuse to serve on a database that is not migrated to the newest revision.

    A database that cannot be reached is not refused here (it may be starting too): the app
    starts and its requests fail until the database is back.
    """
    from survey.extensions import db

    script = ScriptDirectory(app.extensions["migrate"].directory)
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                problem = schema_problem(connection, script)
        except OperationalError as exc:
            app.logger.warning("Databasens schema kunde inte kontrolleras: %s", exc)
            return
        finally:
            # Under `gunicorn --preload` the app is built before the workers fork: no
            # pooled connection may be shared by them.
            db.engine.dispose()
    if problem:
        raise StartupRefused(problem)
