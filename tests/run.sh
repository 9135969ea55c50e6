#!/usr/bin/env bash
# Install what the test suite needs and run every test: `bash tests/run.sh [pytest arguments]`.
#
# - The locked dependencies, requirements/test.txt (every file checked against its sha256),
#   into the Python that runs this script (`python`, or `python3`, or $PYTHON: activate a
#   virtual environment first to keep them apart), then the project itself, editable, with
#   --no-deps so that nothing is resolved again outside the lock.
# - Debian's Chromium (never a browser downloaded by a test tool) for the browser tests, Debian's
#   LibreOffice Calc (headless) to check that exported workbooks open cleanly, and npm for
#   axe-core (pinned in tests/browser/package-lock.json): installed when run as root. Not as
#   root, a missing one is named with the command that installs it, and the tests that need it
#   are skipped with the same message; under CI=true they fail instead.
# - pytest, once: each database test runs on SQLite and on the PostgreSQL server named by
#   TEST_POSTGRES_URL (default: the local one); without a reachable server those runs are
#   skipped with a message, and under CI=true they fail instead.
#
# `bash tests/run.sh --latest [pytest arguments]` tests the newest releases instead of the lock:
# it installs `-e .[test]` unpinned into a fresh virtual environment under /tmp (removed
# afterwards), lists what differs from the lock, and runs pytest there. Not part of CI's default
# run: upgrades are taken on purpose, with `bash requirements/refresh.sh`.
#
# Exits non-zero when anything fails, including when pytest collects no tests (exit 5).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

latest=0
if [ "${1:-}" = "--latest" ]; then
    latest=1
    shift
fi

python="${PYTHON:-}"
if [ -z "$python" ]; then
    if command -v python >/dev/null 2>&1; then python=python; else python=python3; fi
fi

# --- system packages ------------------------------------------------------------------------

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "tests/run.sh: installing Debian packages: ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    else
        echo "tests/run.sh: missing Debian packages: ${missing[*]}. Install them with" >&2
        echo "    sudo apt-get install ${missing[*]}" >&2
        echo "or run this script as root; until then the tests that need them are skipped" \
             "(under CI=true they fail)." >&2
    fi
fi

if command -v npm >/dev/null 2>&1; then
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi

# --- Python packages ------------------------------------------------------------------------

install_failed() {
    echo "tests/run.sh: installing into $("$python" -c 'import sys; print(sys.executable)') failed." \
         "If this is the system's own Python (\"externally managed\"), make a virtual" \
         "environment first: python3 -m venv .venv && . .venv/bin/activate" \
         "(on Debian: sudo apt-get install python3-venv)." >&2
    exit 1
}

if [ "$latest" -eq 1 ]; then
    venv="$(mktemp -d /tmp/mr-latest.XXXXXX)"
    trap 'rm -rf "$venv"' EXIT
    "$python" -m venv "$venv"
    python="$venv/bin/python"
    "$python" -m pip install --quiet --upgrade pip setuptools
    "$python" -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]' \
        || install_failed
    "$python" - <<'PY'
import re
from importlib.metadata import distributions

locked = dict(re.findall(r"^([a-z0-9_.-]+)==([^ ;\\\n]+)", open("requirements/test.txt").read(), re.M))
changes = []
for dist in sorted(distributions(), key=lambda d: d.metadata["Name"].lower()):
    name = re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()
    if name in locked and locked[name] != dist.version:
        changes.append(f"  {name} {locked[name]} -> {dist.version}")
print("tests/run.sh --latest: newest releases that differ from requirements/test.txt:")
print("\n".join(changes) if changes else "  none")
PY
else
    "$python" -m pip install --quiet --require-hashes -r requirements/test.txt || install_failed
    "$python" -m pip install --quiet --no-deps --no-build-isolation -e . || install_failed
fi

# --- the tests ------------------------------------------------------------------------------

status=0
"$python" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "tests/run.sh: pytest collected no tests; failing." >&2
    exit 1
fi
exit "$status"
