"""Benchmark of the dashboard pages on the demo data and on synthetic data at scale.

    python bench/dashboards.py [--orgs 6000 --rounds 10] [--repeat 5] [--keep DIR]
                               [--database-url postgresql+psycopg://postgres@127.0.0.1/bench]

For each scenario ("demo": the demo database; "synthetic": `seed-synthetic` with the given
sizes) it builds a fresh database (migrations, then the data), logs in with Flask's test client
and requests every URL of URLS once to warm up and then --repeat times, printing status, median,
p95 and max in ms and the page size. The goal is a median under 300 ms on the demo data and
under 1 s on the synthetic data. It is a benchmark, not a test: the exit code is 0 either way.

--keep DIR keeps the built SQLite files in DIR and reuses them next time (the synthetic build
takes a minute or more); with --database-url the databases <name>_demo and
<name>_synthetic_<orgs>x<rounds> are created on that server and, with --keep, left there.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, make_url, select
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey import create_app  # noqa: E402
from survey.accounts.models import Role  # noqa: E402
from survey.accounts.services import create_user, find_by_email  # noqa: E402
from survey.config import normalise_database_url  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.organisations.models import Organisation  # noqa: E402
from survey.provisioning import init_database  # noqa: E402
from survey.questionnaires.models import Round  # noqa: E402
from survey.responses.models import Response, ResponseStatus  # noqa: E402

#: (URL, who asks). {round}: the newest round of the särskild fråga with submitted responses;
#: {org}: an organisation with a submitted response in it (the respondent's own).
URLS = [
    ("/analys/?round={round}", "analyst"),
    ("/analys/?round={round}&kind=bolag&source=assessment", "analyst"),
    ("/analys/varmekarta?round={round}", "analyst"),
    ("/analys/varmekarta?round={round}&sort=name&page=2", "analyst"),
    ("/analys/organisationer/{org}?round={round}", "analyst"),
    ("/analys/trender", "analyst"),
    ("/analys/rattighetsomraden", "analyst"),
    ("/analys/omfang?round={round}", "analyst"),
    ("/analys/jamforelse?round={round}", "respondent"),
]
GOAL_MS = {"demo": 300, "synthetic": 1000}
QUESTIONNAIRE = "sarskild-fraga"
PASSWORD = "bench-lösenord-för-mätning-2024"
LOGINS = {"analyst": "bench-analytiker@example.org", "respondent": "bench-svarande@example.org"}


@dataclass
class Target:
    """Where a scenario's database lives and whether an earlier run already built it."""

    url: str
    marker: Path | None = None  # SQLite: a file beside the database, written when built
    admin_url: str | None = None  # PostgreSQL: the server's maintenance database
    keep: bool = False

    @property
    def name(self) -> str:
        return make_url(self.url).database

    def _admin(self):
        return create_engine(self.admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def built(self) -> bool:
        if self.marker is not None:
            return self.keep and self.marker.exists()
        with self._admin().connect() as connection:
            exists = connection.exec_driver_sql(
                "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": self.name}
            ).first()
        return self.keep and exists is not None and _marked(self.url)

    def create(self) -> None:
        if self.marker is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(self.name + suffix).unlink(missing_ok=True)
            self.marker.unlink(missing_ok=True)
            return
        with self._admin().connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{self.name}"')

    def mark_built(self) -> None:
        if self.marker is not None:
            self.marker.write_text("built\n", encoding="utf-8")
        else:
            engine = create_engine(self.url, poolclass=NullPool)
            with engine.begin() as connection:
                connection.exec_driver_sql("CREATE TABLE bench_built (done integer)")
            engine.dispose()

    def finish(self) -> None:
        if self.marker is None and not self.keep:
            with self._admin().connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def size(self) -> str:
        if self.marker is None:
            return ""
        megabytes = sum(Path(self.name + s).stat().st_size for s in ("", "-wal")
                        if Path(self.name + s).exists()) / 1e6
        return f", {megabytes:,.0f} MB"


def _marked(url: str) -> bool:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'bench_built'"
            ).scalar() == 1
    finally:
        engine.dispose()


def target_for(scenario: str, label: str, args, folder: Path) -> Target:
    if args.database_url:
        url = make_url(normalise_database_url(args.database_url))
        name = f"{url.database}_{label}"
        admin = url.set(database="postgres").render_as_string(hide_password=False)
        return Target(url.set(database=name).render_as_string(hide_password=False),
                      admin_url=admin, keep=bool(args.keep))
    path = folder / f"{label}.sqlite"
    return Target(f"sqlite:///{path}", marker=folder / f"{label}.built", keep=bool(args.keep))


def make_app(url: str):
    return create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-to-be-accepted",
        "SKIP_SCHEMA_CHECK": True,  # the bench builds the schema with this app
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        # Cheap password hashing: only the two logins pay for it, not the pages measured.
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1,
    })


def build(app, scenario: str, args) -> None:
    from survey.demo.build import build_demo
    from survey.demo.synthetic import seed_synthetic

    with app.app_context():
        init_database()
        if scenario == "demo":
            build_demo()
        else:
            summary = seed_synthetic(args.orgs, args.rounds, seed=args.seed, echo=print)
            print("\n".join(summary.lines()))
        db.session.remove()
        db.engine.dispose()


def prepare(app) -> dict[str, int]:
    """The round and organisation to ask about; the analyst and respondent logins."""
    with app.app_context():
        round_id, year = db.session.execute(
            select(Round.id, Round.year).join(Response, Response.round_id == Round.id)
            .where(Round.questionnaire_key == QUESTIONNAIRE,
                   Response.status == ResponseStatus.SUBMITTED)
            .order_by(Round.year.desc()).limit(1)).one()
        org_id = db.session.scalar(
            select(func.min(Response.organisation_id))
            .where(Response.round_id == round_id, Response.status == ResponseStatus.SUBMITTED))
        if find_by_email(LOGINS["analyst"]) is None:
            create_user(LOGINS["analyst"], "Bench analytiker", PASSWORD, Role.ANALYST)
        if find_by_email(LOGINS["respondent"]) is None:
            create_user(LOGINS["respondent"], "Bench svarande", PASSWORD, Role.RESPONDENT,
                        org_id)
        db.session.commit()
        org = db.session.get(Organisation, org_id)
        print(f"Round {round_id} ({year}); organisation {org_id} ({org.name}).")
        db.session.remove()
    return {"round": round_id, "org": org_id}


def logged_in_clients(app) -> dict:
    clients = {}
    for role, email in LOGINS.items():
        client = app.test_client()
        reply = client.post("/logga-in", data={"email": email, "password": PASSWORD})
        if reply.status_code != 302:
            print(f"Login as {role} failed: status {reply.status_code}")
        clients[role] = client
    return clients


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(app, ids: dict[str, int], repeat: int, goal_ms: int) -> None:
    clients = logged_in_clients(app)
    print(f"{'URL':<58} {'who':<10} {'status':>6} {'median':>8} {'p95':>8} {'max':>8} "
          f"{'KB':>7}")
    over, failed = [], []
    for template, role in URLS:
        url = template.format(**ids)
        client = clients[role]
        client.get(url)  # warm-up: templates, caches, the database's pages
        times, status, size = [], None, 0
        for _ in range(repeat):
            started = time.perf_counter()
            reply = client.get(url)
            times.append(1000 * (time.perf_counter() - started))
            status, size = reply.status_code, len(reply.get_data())
        median = statistics.median(times)
        print(f"{url:<58} {role:<10} {status:>6} {median:>8.1f} {percentile(times, 0.95):>8.1f} "
              f"{max(times):>8.1f} {size / 1024:>7.1f}")
        if status != 200:
            failed.append(f"{url} ({status})")
        elif median >= goal_ms:
            over.append(f"{url} ({median:.0f} ms)")
    if failed:
        print(f"NOT MEASURED (status other than 200): {', '.join(failed)}")
    if over:
        print(f"GOAL MISSED: median at or over {goal_ms} ms: {', '.join(over)}")
    elif not failed:
        print(f"GOAL MET: every median is under {goal_ms} ms.")
    else:
        print(f"Every page that answered 200 has a median under {goal_ms} ms.")


def run(scenario: str, args, folder: Path) -> None:
    label = "demo" if scenario == "demo" else \
        f"synthetic_{args.orgs}x{args.rounds}_seed{args.seed}"
    print(f"\n=== {scenario} ({label}) ===")
    target = target_for(scenario, label, args, folder)
    try:
        if target.built():
            print("Reusing the database built earlier.")
        else:
            target.create()
            started = time.perf_counter()
            build(make_app(target.url), scenario, args)
            target.mark_built()
            print(f"Built in {time.perf_counter() - started:.1f} s{target.size()}.")
        app = make_app(target.url)
        ids = prepare(app)
        measure(app, ids, args.repeat, GOAL_MS[scenario])
        with app.app_context():
            db.engine.dispose()
    finally:
        target.finish()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scenario", choices=["demo", "synthetic", "both"], default="both")
    parser.add_argument("--database-url", help="PostgreSQL server to build on (default SQLite)")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) built databases")
    args = parser.parse_args()
    scenarios = ["demo", "synthetic"] if args.scenario == "both" else [args.scenario]
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        folder = Path(args.keep) if args.keep else Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        for scenario in scenarios:
            run(scenario, args, folder)


if __name__ == "__main__":
    main()
