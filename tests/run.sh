#!/usr/bin/env bash
# Install what the test suite needs and run every test: `bash tests/run.sh`.
#
# - Debian's Chromium (never a browser downloaded by a test tool) for the browser tests;
# - Debian's LibreOffice Calc (headless) to check that exported workbooks open cleanly;
# - axe-core from npm, pinned in tests/browser/package-lock.json;
# - the package with its test extras;
# - pytest, once: each database test runs on SQLite and on the PostgreSQL server named by
#   TEST_POSTGRES_URL (default: the local one); without a reachable server those runs are
#   skipped with a message, and under CI=true they fail instead.
# Exits non-zero when anything fails, including when pytest collects no tests (exit 5).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
        echo "tests/run.sh: chromium is missing; install Debian's chromium package (sudo apt-get install chromium)." >&2
    fi
fi

if ! command -v soffice >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            libreoffice-calc-nogui >/dev/null
    else
        echo "tests/run.sh: soffice is missing; install Debian's libreoffice-calc-nogui package." >&2
    fi
fi

if command -v npm >/dev/null 2>&1; then
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
else
    echo "tests/run.sh: npm is missing; the accessibility tests need axe-core from npm." >&2
fi

python -m pip install --quiet -e '.[test]'

status=0
python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "tests/run.sh: pytest collected no tests; failing." >&2
    exit 1
fi
exit "$status"
