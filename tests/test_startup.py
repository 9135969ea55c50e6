"""Before serving: the schema must be migrated, debug mode only on SQLite, the SQLite file
private (survey/startup.py, survey/database.py)."""

from __future__ import annotations

import logging
import stat

import click
import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from flask.cli import FlaskGroup
from flask_migrate import upgrade

from survey import MIGRATIONS_DIR, create_app
from survey.extensions import db
from survey.startup import StartupRefused, serving

SECRET = "test-secret-key-that-is-long-enough-for-tests"


def _config(url: str, **extra) -> dict:
    # Not TESTING: the app is built as gunicorn builds it.
    return {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url, **extra}


def _init_db(url: str):
    """`flask init-db` through the flask command group, as from a shell."""
    apps = []
    group = FlaskGroup(create_app=lambda: apps.append(create_app(_config(url))) or apps[-1])
    try:
        return CliRunner().invoke(group, ["init-db"], catch_exceptions=False)
    finally:
        for app in apps:
            with app.app_context():
                db.engine.dispose()


def test_app_on_an_empty_database_refuses_to_start(empty_database_url):
    with pytest.raises(StartupRefused, match="flask --app survey init-db"):
        create_app(_config(empty_database_url))


def test_init_db_on_an_empty_database_works_and_then_the_app_starts(empty_database_url):
    result = _init_db(empty_database_url)
    assert result.exit_code == 0, result.output
    assert "Databasen är uppdaterad" in result.output
    app = create_app(_config(empty_database_url))
    with app.app_context():
        db.engine.dispose()


def test_app_on_a_database_behind_the_code_asks_for_an_upgrade(empty_database_url):
    script = ScriptDirectory(MIGRATIONS_DIR)
    previous = script.get_revision(script.get_current_head()).down_revision
    app = create_app({**_config(empty_database_url), "TESTING": True})
    with app.app_context():
        upgrade(revision=previous)
        db.engine.dispose()
    with pytest.raises(StartupRefused, match="flask --app survey db upgrade"):
        create_app(_config(empty_database_url))


def test_tests_and_cli_commands_skip_the_check_but_flask_run_does_not(empty_database_url):
    app = create_app({**_config(empty_database_url), "TESTING": True})  # no error
    assert not serving(app)
    app.testing = False
    assert serving(app)  # a WSGI server: no click command around
    with click.Context(click.Command("init-db")):
        assert not serving(app)
    with click.Context(click.Group("flask")):
        assert not serving(app)
    with click.Context(click.Command("run")):
        assert serving(app)


def test_debug_mode_with_postgresql_refuses_to_start(monkeypatch):
    url = "postgresql+psycopg://mr@db.example/mr"
    with pytest.raises(StartupRefused, match="FLASK_DEBUG"):
        create_app({**_config(url), "TESTING": True, "DEBUG": True})
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(StartupRefused, match="FLASK_DEBUG"):
        create_app({**_config(url), "TESTING": True})


def test_debug_mode_with_sqlite_starts_with_a_loud_warning(tmp_path, caplog):
    url = f"sqlite:///{tmp_path / 'dev.sqlite'}"
    with caplog.at_level(logging.WARNING):
        app = create_app({**_config(url), "TESTING": True, "DEBUG": True})
    assert app.debug
    assert any("FELSÖKNINGSLÄGE" in record.getMessage() for record in caplog.records)


def test_sqlite_file_is_created_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "fresh.sqlite"
    result = _init_db(f"sqlite:///{path}")
    assert result.exit_code == 0, result.output
    files = [p for p in tmp_path.iterdir() if p.name.startswith("fresh.sqlite")]
    assert path in files
    for file in files:  # the database and its -wal/-shm files, when present
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
