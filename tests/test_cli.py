"""The `flask --app survey …` commands: seed, create-user, init-db, demo."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from survey import create_app
from survey.accounts.models import Role, User
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.reference.models import Component, MaturityLevel, RightsArea


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _create_user(runner, **options):
    args = ["create-user"]
    for name, value in options.items():
        args += [f"--{name}", value]
    return runner.invoke(args=args)


@pytest.fixture
def empty_app(empty_database_url):
    """An app on a database that has no tables yet, as on a fresh machine (SQLite, PostgreSQL)."""
    return create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": empty_database_url,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
    })


def test_seed_twice_gives_the_reference_data_once(runner):
    for _ in range(2):
        result = runner.invoke(args=["seed"])
        assert result.exit_code == 0, result.output
        assert "Grunddata är inlagd." in result.output
    db.session.expire_all()
    assert _count(Component) == 7
    assert _count(MaturityLevel) == 5
    assert _count(RightsArea) == 8
    assert _count(Organisation) == 21


def test_seed_filling_in_two_things_of_an_organisation_logs_one_event(runner):
    """An older database: ASN started later and had no registry codes. Seeding corrects
    both, in one audit line that names both (not two lines that look alike)."""
    import datetime as dt

    from survey.audit.models import AuditEvent

    asn = db.session.scalar(select(Organisation).filter_by(short_name="ASN"))
    asn.valid_from, asn.registry_codes = dt.date(2022, 1, 1), ""
    db.session.commit()
    assert runner.invoke(args=["seed"]).exit_code == 0
    events = db.session.scalars(select(AuditEvent).filter_by(action="organisation.update",
                                                             object_id=asn.id)).all()
    assert len(events) == 1
    assert "giltig från" in events[0].detail and "diariekoder ASN" in events[0].detail


def test_create_user_makes_a_respondent_for_an_organisation_short_name(runner):
    result = _create_user(runner, email="Ny.Svarande@example.org", name="Ny svarande",
                          role="respondent", organisation="asn",
                          password="ett-tillräckligt-långt-lösenord")
    assert result.exit_code == 0, result.output
    assert "ny.svarande@example.org är skapad" in result.output
    db.session.expire_all()
    user = db.session.scalar(select(User).filter_by(email="ny.svarande@example.org"))
    assert user.role == Role.RESPONDENT
    assert user.organisation.short_name == "ASN"


def test_create_user_refuses_a_short_password_in_swedish(runner):
    result = _create_user(runner, email="kort@example.org", name="Kort", role="analyst",
                          password="kort")
    assert result.exit_code != 0
    assert "Lösenordet måste ha minst 12 tecken." in result.output
    assert db.session.scalar(select(User).filter_by(email="kort@example.org")) is None


def test_create_user_refuses_an_unknown_organisation_in_swedish(runner):
    result = _create_user(runner, email="okand@example.org", name="Okänd", role="respondent",
                          organisation="XYZ", password="ett-tillräckligt-långt-lösenord")
    assert result.exit_code != 0
    assert "Ingen organisation med kortnamnet XYZ." in result.output
    assert db.session.scalar(select(User).filter_by(email="okand@example.org")) is None


def test_init_db_creates_the_schema_on_an_empty_sqlite_file(empty_app):
    # `flask --app survey …` pushes the app context; the test runner does not.
    with empty_app.app_context():
        result = empty_app.test_cli_runner().invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "Databasen är uppdaterad till senaste schemat." in result.output
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"organisation", "user_account", "survey_round", "response", "submission",
            "alembic_version"} <= tables


def test_demo_without_serving_builds_a_fresh_database_and_prints_the_logins(empty_app):
    runner = empty_app.test_cli_runner()
    with empty_app.app_context():
        for _ in range(2):  # the second run reuses the database
            result = runner.invoke(args=["demo", "--no-serve"])
            assert result.exit_code == 0, result.output
        assert "malmo-demo-2024" in result.output
        assert "admin@example.org" in result.output and "mkb@example.org" in result.output
        assert _count(User) == 23
        db.session.remove()
        db.engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status
    except OSError:
        return None


def test_readme_demo_command_serves_the_login_page(tmp_path):
    """`flask --app survey demo` as a user types it: builds the database, then serves."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite'}",
               FLASK_SECRET_KEY="demo-test-secret-key-that-is-long-enough",
               FLASK_ARGON2_TIME_COST="1", FLASK_ARGON2_MEMORY_COST="8",
               FLASK_ARGON2_PARALLELISM="1")
    log = tmp_path / "demo.log"
    root = Path(__file__).resolve().parent.parent
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "survey", "demo", "--port", str(port)],
            cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
        try:
            status = None
            deadline = time.monotonic() + 60
            while status is None and server.poll() is None and time.monotonic() < deadline:
                time.sleep(0.3)
                status = _get(f"http://127.0.0.1:{port}/logga-in")
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert status == 200, log.read_text()
    assert "asn@example.org" in log.read_text()
