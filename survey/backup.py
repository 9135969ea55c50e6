"""Consistent backups of the running application's database (`flask --app survey backup`).

SQLite: the online backup API copies one consistent snapshot, including what is still in the
WAL (copying the main file alone can lose recent saves), into a temporary file beside DEST;
the copy is switched to a single-file journal, checked with `PRAGMA integrity_check`, synced
and renamed onto DEST, so DEST is either the old file or a complete backup, never half of one.

PostgreSQL: `pg_dump -Fc` of an exported snapshot, so that the row counts reported are exactly
those in the dump; the archive is checked with `pg_restore --list` before it is renamed onto
DEST. Without pg_dump on PATH, BackupError explains in Swedish how to run it by hand.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from survey.formatting import number_sv

SQLITE_BUSY_TIMEOUT_S = 30


class BackupError(RuntimeError):
    """The backup could not be made; the message is Swedish, for the operator."""


@dataclass
class BackupSummary:
    path: Path
    engine: str
    size: int
    tables: list[tuple[str, int]] = field(default_factory=list)
    check: str = ""

    @property
    def rows(self) -> int:
        return sum(count for _, count in self.tables)

    def lines(self) -> list[str]:
        width = max((len(name) for name, _ in self.tables), default=0)
        return [
            f"Säkerhetskopian är sparad i {self.path} ({self.engine}, {size_sv(self.size)}).",
            f"{number_sv(len(self.tables))} tabeller, {number_sv(self.rows)} rader:",
            *(f"  {name:<{width}}  {number_sv(count):>9}" for name, count in self.tables),
            f"Kontroll: {self.check}",
        ]


def size_sv(size: int) -> str:
    """1,5 MB: sizes with a decimal comma."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= factor:
            return f"{number_sv(size / factor, 1)} {unit}"
    return f"{number_sv(size)} byte"


def backup_database(engine: Engine, destination: str | os.PathLike, force: bool = False
                    ) -> BackupSummary:
    """Back up the database `engine` points at into `destination`."""
    destination = Path(destination).expanduser().absolute()
    if destination.is_dir():
        raise BackupError(f"{destination} är en mapp; ange ett filnamn för säkerhetskopian.")
    if destination.exists() and not force:
        raise BackupError(
            f"{destination} finns redan. Välj ett annat filnamn eller ange --force för att "
            "skriva över den."
        )
    if not destination.parent.is_dir():
        raise BackupError(f"Mappen {destination.parent} finns inte.")
    dialect = engine.dialect.name
    try:
        if dialect == "sqlite":
            return _backup_sqlite(engine.url, destination)
        if dialect == "postgresql":
            return _backup_postgresql(engine, destination)
    except OSError as exc:
        raise BackupError(f"Säkerhetskopian kunde inte skrivas: {exc}") from exc
    raise BackupError(f"Säkerhetskopiering av {dialect}-databaser stöds inte.")


def _temporary(destination: Path) -> Path:
    """An empty file beside DEST (so the final rename is atomic: one file system) that
    only the owner can read: a backup holds draft answers and password hashes."""
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    _remove(temporary)
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return temporary


def _replace(temporary: Path, destination: Path) -> None:
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, destination)
    directory = os.open(destination.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


# --- SQLite -------------------------------------------------------------------------------

def _backup_sqlite(url: URL, destination: Path) -> BackupSummary:
    if url.database in (None, "", ":memory:") or url.database.startswith("file::memory:"):
        raise BackupError("En databas i minnet kan inte säkerhetskopieras.")
    source_path = Path(url.database)
    if not source_path.is_file():
        raise BackupError(f"Databasfilen {source_path} finns inte.")
    if source_path.resolve() == destination.resolve():
        raise BackupError("Säkerhetskopian kan inte skrivas över själva databasen.")
    temporary = _temporary(destination)
    try:
        source = sqlite3.connect(source_path, timeout=SQLITE_BUSY_TIMEOUT_S)
        try:
            target = sqlite3.connect(temporary)
            try:
                # pages=-1: one step, so the whole copy is one read transaction, one snapshot;
                # writers carry on meanwhile (WAL).
                source.backup(target, pages=-1)
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                summary = _sqlite_summary(target)
            finally:
                target.close()
        finally:
            source.close()
        if summary.check != "ok":
            raise BackupError(
                f"Kopian klarade inte integritetskontrollen ({summary.check}); "
                "ingen säkerhetskopia sparades."
            )
        _replace(temporary, destination)
    except sqlite3.Error as exc:
        raise BackupError(f"Säkerhetskopieringen misslyckades: {exc}") from exc
    finally:
        _remove(temporary)
    summary.path, summary.size = destination, destination.stat().st_size
    return summary


def _sqlite_summary(connection: sqlite3.Connection) -> BackupSummary:
    check = "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )]
    tables = [(name, connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
              for name in names]
    return BackupSummary(path=Path(), engine="SQLite", size=0, tables=tables, check=check)


# --- PostgreSQL -----------------------------------------------------------------------------

def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """The URL as libpq reads it (no +psycopg driver part) and the password as environment.

    The password goes in PGPASSWORD rather than on the command line, where `ps` shows it.
    """
    plain = url.set(drivername="postgresql", password=None)
    environment = {"PGPASSWORD": str(url.password)} if url.password else {}
    return plain.render_as_string(hide_password=False), environment


def pg_dump_instructions(url: URL, destination: Path) -> str:
    target, environment = libpq_target(url)
    password = "PGPASSWORD=… " if environment else ""
    return (
        "pg_dump finns inte i PATH, så ingen säkerhetskopia gjordes. Installera PostgreSQL-"
        "klienten (Debian: apt-get install postgresql-client, samma huvudversion som servern) "
        "och kör igen, eller kör själv:\n"
        f"  {password}pg_dump -Fc --file {shlex.quote(str(destination))} {shlex.quote(target)}\n"
        "Återställ med pg_restore --no-owner -d <tom databas> "
        f"{shlex.quote(str(destination))}"
    )


def _backup_postgresql(engine: Engine, destination: Path) -> BackupSummary:
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if pg_dump is None:
        raise BackupError(pg_dump_instructions(engine.url, destination))
    target, environment = libpq_target(engine.url)
    environment = {**os.environ, **environment}
    temporary = _temporary(destination)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            with conn.begin():
                # The counts and pg_dump read the same snapshot: they describe the same data.
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                names = conn.execute(text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "ORDER BY tablename"
                )).scalars().all()
                tables = [(name, conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
                          for name in names]
                _run([pg_dump, "-Fc", f"--snapshot={snapshot}", "--file", str(temporary),
                      "--dbname", target], environment, "pg_dump")
        check = "pg_dump klar"
        if pg_restore is not None:
            listing = _run([pg_restore, "--list", str(temporary)], environment, "pg_restore")
            entries = sum(1 for line in listing.splitlines() if " TABLE DATA " in line)
            check = f"arkivet går att läsa med pg_restore ({number_sv(entries)} tabeller med data)"
        _replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
    return BackupSummary(path=destination, engine="PostgreSQL, pg_dump -Fc",
                         size=destination.stat().st_size, tables=tables, check=check)


def _run(command: list[str], environment: dict[str, str], name: str) -> str:
    result = subprocess.run(command, env=environment, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise BackupError(f"{name} misslyckades (kod {result.returncode}): "
                          f"{result.stderr.strip()}")
    return result.stdout
