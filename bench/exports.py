"""Benchmark of the annual-report annex (exports.annex.write_annex) on a large round, against a
bare openpyxl write-only loop writing the same cells.

    python bench/exports.py [--responses 60000] [--rounds 2] [--repeat 1] [--keep DIR]
                            [--writer exports.annex:write_annex]

It builds a SQLite database with `seed-synthetic` (enough synthetic organisations for about
--responses submitted responses in the newest round, and --rounds rounds so that the change
since the previous round is computed), then, each in a fresh Python process:
  annex: write_annex(newest round, no filters, …) to a file;
  bare:  the same sheets with the same values, row by row, into Workbook(write_only=True)
         without styles, number formats, widths or charts (the values are read back from the
         annex with load_workbook(read_only=True) beforehand, outside the measurement, and
         streamed from a pickle file).
It prints wall time and peak memory (how far the process's peak RSS rose above its RSS just
before the export, the process's whole peak RSS, and with --tracemalloc the Python heap's peak)
and the ratios annex/bare. It is a benchmark,
not a test: the exit code is 0 unless a step crashes.

--keep DIR keeps the built database in DIR and reuses it next time (the 60 000 build takes a
few minutes and a few GB); --writer names another function with write_annex's signature
(module:function or path/to/file.py:function), e.g. a stub while the annex is being written.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import math
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before bench/, so that `exports` is the package, not this file

QUESTIONNAIRE = "sarskild-fraga"
#: Shares from survey/demo/synthetic.py: answered × submitted of those answered.
SUBMITTED_SHARE = 0.90 * 0.85


# --- the parent: build, extract, run the children, report -------------------------------------

def make_app(url: str):
    from survey import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-to-be-accepted",
        "SKIP_SCHEMA_CHECK": True,  # the bench builds the schema with this app
    })


def build(url: str, orgs: int, rounds: int, seed: int) -> None:
    from survey.demo.synthetic import seed_synthetic
    from survey.extensions import db
    from survey.provisioning import init_database

    app = make_app(url)
    with app.app_context():
        init_database()
        summary = seed_synthetic(orgs, rounds, seed=seed, echo=print)
        print("\n".join(summary.lines()))
        db.session.remove()
        db.engine.dispose()


def database(args, folder: Path) -> str:
    orgs = math.ceil(args.responses / SUBMITTED_SHARE)
    path = folder / f"exports_{orgs}x{args.rounds}_seed{args.seed}.sqlite"
    marker = path.with_suffix(".built")
    url = f"sqlite:///{path}"
    if args.keep and marker.exists():
        print(f"Reusing {path}.")
        return url
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    print(f"Building {path}: {orgs} organisations × {args.rounds} rounds …")
    started = time.perf_counter()
    build(url, orgs, args.rounds, args.seed)
    marker.write_text("built\n", encoding="utf-8")
    size = sum(Path(str(path) + s).stat().st_size for s in ("", "-wal")
               if Path(str(path) + s).exists()) / 1e6
    print(f"Built in {time.perf_counter() - started:.0f} s, {size:,.0f} MB.")
    return url


def extract_rows(xlsx: Path, rows_file: Path) -> dict[str, tuple[int, int]]:
    """Every sheet's values, as (sheet, row) pickles one after the other; rows and columns per
    sheet. Charts and styles are left behind: the bare loop writes values only."""
    from openpyxl import load_workbook

    shape = {}
    workbook = load_workbook(xlsx, read_only=True)
    try:
        with rows_file.open("wb") as out:
            for sheet in workbook.worksheets:
                count, width = 0, 0
                pickle.dump(("sheet", sheet.title), out)
                for row in sheet.iter_rows(values_only=True):
                    values = list(row)
                    while values and values[-1] is None:
                        values.pop()
                    pickle.dump(("row", values), out)
                    count, width = count + 1, max(width, len(values))
                shape[sheet.title] = (count, width)
    finally:
        workbook.close()
    return shape


def child(kind: str, out: Path, args, url: str, rows_file: Path, traced: bool) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind,
               "--out", str(out), "--url", url, "--rows-file", str(rows_file),
               "--writer", args.writer]
    if traced:
        command.append("--tracemalloc")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"The {kind} run failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: dict[str, list[dict]], traced: dict[str, dict]) -> None:
    def median(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in results[kind])

    figures = {kind: {"time s": median(kind, "seconds"), "RSS growth MB": median(kind, "rss_mb"),
                      "peak RSS MB": median(kind, "peak_rss_mb"),
                      "file MB": median(kind, "file_mb")} for kind in ("annex", "bare")}
    if traced:
        for kind in figures:
            figures[kind]["heap peak MB"] = traced[kind]["heap_mb"]
    columns = list(figures["annex"])
    print(f"\n{'':<14}" + "".join(f"{c:>14}" for c in columns))
    for kind, values in figures.items():
        print(f"{kind:<14}" + "".join(f"{values[c]:>14.2f}" for c in columns))
    ratios = [figures["annex"][c] / figures["bare"][c] if figures["bare"][c] else math.nan
              for c in columns]
    print(f"{'annex / bare':<14}" + "".join(f"{r:>14.2f}" for r in ratios))
    print("(medians of the runs; RSS growth: the process's peak resident set during the "
          "export minus its resident set just before; peak RSS: the whole process's peak)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=60_000,
                        help="submitted responses wanted in the exported round (about)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each writer")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="one more run of each with tracemalloc, for the Python heap's peak")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the built database")
    parser.add_argument("--writer", default="exports.annex:write_annex")
    parser.add_argument("--child", choices=["annex", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--rows-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as temporary:
        scratch = Path(temporary)
        folder = Path(args.keep) if args.keep else scratch
        folder.mkdir(parents=True, exist_ok=True)
        url = database(args, folder)
        annex_file, bare_file = scratch / "annex.xlsx", scratch / "bare.xlsx"
        rows_file = scratch / "rows.pickle"
        results: dict[str, list[dict]] = {"annex": [], "bare": []}
        for run in range(args.repeat):
            results["annex"].append(child("annex", annex_file, args, url, rows_file, False))
            if run == 0:
                started = time.perf_counter()
                shape = extract_rows(annex_file, rows_file)
                print(f"Round {results['annex'][0]['round']}: "
                      f"{results['annex'][0]['responses']:,} submitted responses. Sheets "
                      + ", ".join(f"{name} {rows:,}×{cols}" for name, (rows, cols)
                                  in shape.items())
                      + f" (read back in {time.perf_counter() - started:.0f} s).")
            results["bare"].append(child("bare", bare_file, args, url, rows_file, False))
            print(f"run {run + 1}: annex {results['annex'][-1]['seconds']:.1f} s, "
                  f"bare {results['bare'][-1]['seconds']:.1f} s")
        traced = {kind: child(kind, scratch / f"traced-{kind}.xlsx", args, url, rows_file, True)
                  for kind in ("annex", "bare")} if args.tracemalloc else {}
        report(results, traced)


# --- the children: one measured export each, in a fresh process ------------------------------

def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak_rss() -> float:
    """Start the peak over from the current resident set (Linux: clear_refs 5 resets VmHWM),
    so that what the app's start-up briefly took does not hide the export's peak; the
    baseline in MB. Elsewhere the baseline is the peak so far (getrusage)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        return _status_mb("VmRSS")
    except OSError:
        return peak_rss_mb()


def peak_rss_mb() -> float:
    hwm = _status_mb("VmHWM")
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def load_writer(spec: str):
    module_name, _, function = spec.rpartition(":")
    if module_name.endswith(".py"):
        found = importlib.util.spec_from_file_location("bench_writer", module_name)
        module = importlib.util.module_from_spec(found)
        found.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
    return getattr(module, function)


def run_child(args) -> None:
    import tracemalloc

    out = Path(args.out)
    if args.child == "annex":
        measured, facts = annex_export(args, out)
    else:
        measured, facts = bare_export(Path(args.rows_file), out)
    if args.tracemalloc:
        tracemalloc.start()
    import gc

    gc.collect()
    baseline = reset_peak_rss()
    started = time.perf_counter()
    measured()
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    result = {"seconds": seconds, "rss_mb": peak - baseline, "peak_rss_mb": peak,
              "file_mb": out.stat().st_size / 1e6, **facts}
    if args.tracemalloc:
        result["heap_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    print(json.dumps(result))


def annex_export(args, out: Path):
    """The export as the command line runs it, with the app, the round and the modules
    loaded first so that the baseline holds what any export needs."""
    from sqlalchemy import func, select

    from survey.analysis.filters import DashboardFilter
    from survey.extensions import db
    from survey.questionnaires.models import Round
    from survey.responses.models import Response, ResponseStatus

    write = load_writer(args.writer)
    app = make_app(args.url)
    context = app.app_context()
    context.push()
    round_ = db.session.scalar(select(Round).filter_by(questionnaire_key=QUESTIONNAIRE)
                               .order_by(Round.year.desc()).limit(1))
    responses = db.session.scalar(select(func.count(Response.id)).where(
        Response.round_id == round_.id, Response.status == ResponseStatus.SUBMITTED))

    def measured() -> None:
        with out.open("wb") as stream:
            write(round_, DashboardFilter(round_id=round_.id), "Bench analytiker", stream)

    return measured, {"round": round_.year, "responses": responses}


def bare_export(rows_file: Path, out: Path):
    """The same sheets and values, streamed from the pickle file into a write-only workbook."""
    from openpyxl import Workbook

    def measured() -> None:
        workbook = Workbook(write_only=True)
        sheet = None
        with rows_file.open("rb") as rows:
            while True:
                try:
                    kind, value = pickle.load(rows)
                except EOFError:
                    break
                if kind == "sheet":
                    sheet = workbook.create_sheet(value)
                else:
                    sheet.append(value)
        workbook.save(out)

    return measured, {}


if __name__ == "__main__":
    main()
