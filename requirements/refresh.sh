#!/usr/bin/env bash
# Refresh the lock to the newest versions PyPI serves: `bash requirements/refresh.sh`.
#
# The ranges live in pyproject.toml; this compiles them, for Python 3.11 and up on every
# platform (uv's --universal: Windows-only dependencies keep their markers), with the sha256
# of every file, into plain pip requirement files:
#   requirements/main.txt  the app (and the Redis client),   `flask --app survey demo`, servers
#   requirements/test.txt  the app and its `test` extras,    tests/run.sh and CI
#   requirements/dev.txt   test plus the `dev` extras (ruff)
# uv comes from a throwaway virtual environment that is removed afterwards; nothing else on the
# machine changes. Review the diff, run `bash tests/run.sh`, and commit the three files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python - <<'PY'
import pathlib, tomllib
wanted = tomllib.loads(pathlib.Path("pyproject.toml").read_text())["build-system"]["requires"]
lines = pathlib.Path("requirements/build.in").read_text().splitlines()
locked = [line for line in lines if line.strip() and not line.startswith("#")]
if locked != wanted:
    raise SystemExit(f"requirements/build.in {locked} differs from pyproject's build requires {wanted}")
PY

tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet "uv>=0.5"

compile() {
    local output="$1"
    shift
    "$tools/venv/bin/uv" pip compile pyproject.toml requirements/build.in \
        --universal --python-version 3.11 --generate-hashes --upgrade --quiet \
        --custom-compile-command "bash requirements/refresh.sh" --output-file "$output" "$@"
}
compile requirements/main.txt --extra redis
compile requirements/test.txt --extra test
compile requirements/dev.txt --extra test --extra dev
echo "requirements/refresh.sh: wrote requirements/main.txt, test.txt and dev.txt."
