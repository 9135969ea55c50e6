"""The pytest plugin of the test support (tests/conftest.py loads it): marks each database
test's run, and reports the hostile-input walk's counts at the end."""

from __future__ import annotations

from support.walks import HOSTILE_WALK_COUNTS


def pytest_collection_modifyitems(items):
    """Mark each database test's run `sqlite` or `postgresql`, for -m selection."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        kind = callspec.params.get("database_kind") if callspec else None
        if kind in ("sqlite", "postgresql"):
            item.add_marker(kind)


def pytest_terminal_summary(terminalreporter):
    for kind, (requests, seconds) in sorted(HOSTILE_WALK_COUNTS.items()):
        terminalreporter.write_line(
            f"hostile-input walk: {requests} requests on {kind} in {seconds:.1f} s")
