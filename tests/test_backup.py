"""`flask --app survey backup DEST`: a consistent copy while the application writes, written
atomically, checked, and a restore drill that proves the copy is a usable database holding
everything committed before the backup began, on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextvars
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support.config import app_config

from survey import create_app
from survey.accounts.models import User
from survey.backup import libpq_target
from survey.extensions import db
from survey.questionnaires.models import RoundQuestion
from survey.responses.models import Answer, AnswerRevision, Response
from survey.responses.services import ResponseConflict, save_answer, start_response

WRITERS = 3
ORGANISATIONS = ("ASN", "FRN", "KN")
needs_pg_tools = pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="pg_dump/pg_restore saknas (Debian: postgresql-client)",
)


def _backup(runner, destination: Path, *options: str):
    return runner.invoke(args=["backup", str(destination), *options])


# --- the command --------------------------------------------------------------------------

def test_backup_writes_the_copy_and_prints_a_swedish_summary(app, runner, tmp_path,
                                                             database_kind):
    if database_kind == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump saknas (Debian: postgresql-client)")
    destination = tmp_path / "kopia.backup"

    result = _backup(runner, destination)

    assert result.exit_code == 0, result.output
    assert f"Säkerhetskopian är sparad i {destination}" in result.output
    assert "tabeller," in result.output and "rader:" in result.output
    assert "organisation" in result.output  # one line per table with its row count
    assert destination.stat().st_size > 0
    assert stat.S_IMODE(destination.stat().st_mode) == 0o600  # answers and password hashes
    assert not list(tmp_path.glob(".*.tmp")), "the temporary file is renamed, not left"
    if database_kind == "sqlite":
        assert "Kontroll: ok" in result.output
    else:
        assert "arkivet går att läsa med pg_restore" in result.output


def test_backup_refuses_to_overwrite_an_existing_file_unless_forced(app, runner, tmp_path,
                                                                    database_kind):
    if database_kind == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump saknas (Debian: postgresql-client)")
    destination = tmp_path / "kopia.backup"
    destination.write_text("en äldre kopia")

    result = _backup(runner, destination)

    assert result.exit_code != 0
    assert "finns redan" in result.output and "--force" in result.output
    assert destination.read_text() == "en äldre kopia"

    result = _backup(runner, destination, "--force")
    assert result.exit_code == 0, result.output
    assert destination.read_bytes() != b"en \xc3\xa4ldre kopia"


@pytest.mark.parametrize("database_kind", ["postgresql"])
def test_backup_without_pg_dump_explains_how_to_run_it(app, runner, tmp_path, monkeypatch):
    monkeypatch.setattr("survey.backup.shutil.which", lambda name: None)
    destination = tmp_path / "kopia.dump"

    result = _backup(runner, destination)

    assert result.exit_code != 0
    assert "pg_dump finns inte i PATH" in result.output
    assert "pg_dump -Fc --file" in result.output and "postgresql://" in result.output
    assert "+psycopg" not in result.output
    assert not destination.exists()


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_sqlite_backup_has_the_saves_a_plain_file_copy_misses(app, runner, tmp_path,
                                                             make_round, make_user,
                                                             organisation):
    """In WAL mode the newest commits live in survey.sqlite-wal until a checkpoint."""
    round_ = make_round()
    user = make_user("respondent", "ASN")
    response = start_response(round_, organisation("ASN"), user)
    db.session.commit()
    question = round_.questions[0]
    save_answer(response, question, "Finns bara i WAL-filen än så länge.", 0, user)
    db.session.commit()
    source = Path(db.engine.url.database)
    assert Path(f"{source}-wal").stat().st_size > 0
    plain_copy = tmp_path / "bara-filen.sqlite"
    shutil.copyfile(source, plain_copy)
    destination = tmp_path / "kopia.sqlite"

    result = _backup(runner, destination)

    assert result.exit_code == 0, result.output
    assert _revision_count(plain_copy) == 0
    assert _revision_count(destination) == 1
    with closing(sqlite3.connect(destination)) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _revision_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        try:
            return connection.execute("SELECT count(*) FROM answer_revision").fetchone()[0]
        except sqlite3.OperationalError:  # not even the tables have left the WAL yet
            return 0


# --- the restore drill --------------------------------------------------------------------

def _prepare(make_round, make_user, organisation) -> tuple[int, list[tuple[int, int]]]:
    """An open round answered by three organisations; (user id, [(response, question)])."""
    round_ = make_round()
    user = make_user("analyst", None)
    targets = []
    for short_name in ORGANISATIONS:
        response = start_response(round_, organisation(short_name), user)
        db.session.flush()
        targets += [(response.id, q.id) for q in round_.questions]
    db.session.commit()
    user_id = user.id
    db.session.close()
    return user_id, targets


class Writers:
    """Threads saving answers like respondents do, until stopped."""

    def __init__(self, app, user_id: int, targets: list[tuple[int, int]]):
        self.app, self.user_id, self.targets = app, user_id, targets
        self.stop = threading.Event()
        self.accepted = 0
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self._write, args=(i,)) for i in range(WRITERS)]

    def _write(self, index: int):
        n = 0
        with self.app.test_request_context(method="POST"):
            while not self.stop.is_set():
                response_id, question_id = self.targets[(index + n) % len(self.targets)]
                n += 1
                try:
                    response = db.session.get(Response, response_id)
                    question = db.session.get(RoundQuestion, question_id)
                    seen = response.answer_for(question).version
                    save_answer(response, question, f"skribent {index}, sparning {n} " * 20,
                                seen, db.session.get(User, self.user_id))
                    db.session.commit()
                    self.accepted += 1
                except ResponseConflict:
                    db.session.rollback()
                except Exception as exc:  # noqa: BLE001 - fails the test
                    db.session.rollback()
                    self.errors.append(repr(exc))
                    return
            db.session.remove()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        deadline = time.monotonic() + 60
        while self.accepted < 10 and time.monotonic() < deadline and not self.errors:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc_info):
        time.sleep(0.2)  # keep writing for a moment after the backup
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def _checksum(texts) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _revisions() -> dict[int, tuple[int, int, str]]:
    """Every revision: id -> (answer id, version, text), read in one transaction."""
    rows = db.session.execute(
        select(AnswerRevision.id, AnswerRevision.answer_id, AnswerRevision.version,
               AnswerRevision.text).order_by(AnswerRevision.id)
    )
    return {row.id: (row.answer_id, row.version, row.text) for row in rows}


def _answers() -> dict[int, tuple[int, str]]:
    rows = db.session.execute(select(Answer.id, Answer.version, Answer.text).order_by(Answer.id))
    return {row.id: (row.version, row.text) for row in rows}


def _state() -> dict:
    db.session.rollback()
    state = {"revisions": _revisions(), "answers": _answers()}
    db.session.rollback()  # no transaction stays open while the writers write
    return state


def _restored_state(url: str) -> dict:
    """Open the restored database as the application's database and read it back."""
    restored = create_app(app_config(url))

    def read():
        with restored.app_context():
            try:
                state = {
                    "revisions": _revisions(), "answers": _answers(),
                    "users": db.session.scalar(select(func.count()).select_from(User)),
                    "login_page": restored.test_client().get("/logga-in").status_code,
                }
            finally:
                db.session.remove()
                db.engine.dispose()
        return state

    return contextvars.Context().run(read)


def _assert_restored(before: dict, after_writes: dict, restored: dict) -> None:
    # Everything committed before the backup began is there, unchanged.
    assert set(before["revisions"]) <= set(restored["revisions"])
    assert _checksum(restored["revisions"][i][2] for i in sorted(before["revisions"])) == \
        _checksum(text for _, _, text in (before["revisions"][i]
                                          for i in sorted(before["revisions"])))
    for answer_id, (version, _) in before["answers"].items():
        assert restored["answers"][answer_id][0] >= version
    # A consistent snapshot: each answer's history is exactly versions 1..version, and the
    # current text is that of its newest revision ...
    history: dict[int, list[tuple[int, str]]] = {}
    for answer_id, version, text in restored["revisions"].values():
        history.setdefault(answer_id, []).append((version, text))
    for answer_id, (version, text) in restored["answers"].items():
        versions = sorted(history.get(answer_id, []))
        assert [v for v, _ in versions] == list(range(1, version + 1))
        assert version == 0 or versions[-1][1] == text
    assert len(restored["revisions"]) == sum(v for v, _ in restored["answers"].values())
    # ... and the source held exactly these texts at those versions (revisions are
    # append-only, so the source's history after the writes shows its state at backup time).
    by_version = {(a, v): t for a, v, t in after_writes["revisions"].values()}
    expected = [by_version.get((answer_id, version), "") for answer_id, (version, _)
                in sorted(restored["answers"].items())]
    assert _checksum(text for _, text in (restored["answers"][i]
                                          for i in sorted(restored["answers"]))) == \
        _checksum(expected)
    # The drill got somewhere: writes happened after the backup, and the copy is usable.
    assert len(after_writes["revisions"]) > len(before["revisions"])
    assert restored["users"] >= 1 and restored["login_page"] == 200


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_restore_drill_sqlite_backup_taken_during_writes(app, runner, tmp_path, make_round,
                                                         make_user, organisation):
    user_id, targets = _prepare(make_round, make_user, organisation)
    destination = tmp_path / "drill.sqlite"

    with Writers(app, user_id, targets) as writers:
        before = _state()
        result = _backup(runner, destination)
    assert writers.errors == []
    assert result.exit_code == 0, result.output
    after_writes = _state()

    with closing(sqlite3.connect(destination)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    _assert_restored(before, after_writes, _restored_state(f"sqlite:///{destination}"))


@needs_pg_tools
@pytest.mark.parametrize("database_kind", ["postgresql"])
def test_restore_drill_pg_dump_taken_during_writes_restores_with_pg_restore(
        app, runner, tmp_path, make_round, make_user, organisation, postgres_server):
    user_id, targets = _prepare(make_round, make_user, organisation)
    destination = tmp_path / "drill.dump"

    with Writers(app, user_id, targets) as writers:
        before = _state()
        result = _backup(runner, destination)
    assert writers.errors == []
    assert result.exit_code == 0, result.output
    after_writes = _state()

    scratch = postgres_server.scratch_database()
    url = postgres_server.create_database(scratch)
    try:
        target, environment = libpq_target(db.engine.url.set(database=scratch))
        restore = subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", target,
             str(destination)],
            capture_output=True, text=True, env={**os.environ, **environment},
        )
        assert restore.returncode == 0, restore.stderr
        restored = _restored_state(url)
    finally:
        postgres_server.drop_database(scratch)

    _assert_restored(before, after_writes, restored)
    # The counts the command printed come from the dump's own snapshot.
    printed = {line.split()[0]: int("".join(line.split()[1:]))
               for line in result.output.splitlines()[2:-1]}
    assert printed["answer_revision"] == len(restored["revisions"])
    assert printed["answer"] == len(restored["answers"])
