"""The lock: requirements/*.txt pin every dependency with hashes, cover what pyproject.toml
asks for, and are what the README, tests/run.sh and CI install."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Each lock file and the extras compiled into it (requirements/refresh.sh).
LOCKS = {"main.txt": ["redis"], "test.txt": ["test"], "dev.txt": ["test", "dev"]}
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def locked(name: str) -> dict[str, list[str]]:
    """The lock's packages: canonical name -> the sha256 hashes listed for it."""
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    packages: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line[0].isspace():
            if stripped.startswith("--hash=sha256:"):
                packages[current].append(stripped.split(":", 1)[1].rstrip(" \\"))
            continue
        found = _PIN.match(line)
        assert found, f"requirements/{name}: not an exact pin: {line!r}"
        current = canonicalize_name(found["name"])
        packages[current] = []
    return packages


def wanted(extras: list[str]) -> set[str]:
    names = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        names += PYPROJECT["project"]["optional-dependencies"][extra]
    names += PYPROJECT["build-system"]["requires"]
    return {canonicalize_name(Requirement(name).name) for name in names}


@pytest.mark.parametrize("name", sorted(LOCKS))
def test_every_locked_package_is_pinned_with_hashes(name):
    packages = locked(name)
    assert packages
    for package, hashes in packages.items():
        assert hashes, f"{package} has no hash in requirements/{name}"
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), package


@pytest.mark.parametrize("name", sorted(LOCKS))
def test_the_lock_covers_what_pyproject_asks_for(name):
    missing = wanted(LOCKS[name]) - set(locked(name))
    assert not missing, (f"requirements/{name} lacks {sorted(missing)}: "
                         "run `bash requirements/refresh.sh`")


def test_the_build_requirements_agree_with_pyproject():
    lines = (ROOT / "requirements" / "build.in").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line.strip() and not line.startswith("#")] == \
        PYPROJECT["build-system"]["requires"]


def test_readme_tests_and_ci_install_from_the_lock():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    demo = re.search(r"```sh\n(.*?)\n```", readme, re.S)[1]
    assert demo.startswith("python -m pip install --require-hashes -r requirements/main.txt && "
                           "python -m pip install --no-deps --no-build-isolation -e . && ")
    assert "\n" not in demo
    run = (ROOT / "tests" / "run.sh").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/test.txt" in run
    assert "--no-deps --no-build-isolation -e ." in run
    assert "exec bash tests/run.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
