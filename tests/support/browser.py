"""Driving Debian's Chromium via Playwright: the launch options, what a page may not do,
logging in, and the axe-core accessibility check. Without the tools a test is skipped with a
message saying what to install; under CI it fails instead."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the `browser` fixture skips the tests, or fails them under CI
    expect = sync_playwright = None

from support.ci import in_ci
from support.live import PASSWORD

AXE = Path(__file__).parents[1] / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
TIMEOUT_MS = 15_000


def require(condition: bool, reason: str) -> None:
    """Skip without the browser tools; under CI, fail so that CI never passes without them."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} CI is set, so the browser tests must run.", pytrace=False)
    pytest.skip(reason)


class Recorder:
    """The URLs that the pages of the watched browser contexts requested."""

    def __init__(self):
        self.urls: list[str] = []

    def watch(self, context):
        context.on("request", lambda request: self.urls.append(request.url))

    def outside(self, base_url: str) -> list[str]:
        return [u for u in self.urls if not (u == base_url or u.startswith(base_url + "/"))
                and not u.startswith(("data:", "blob:", "about:"))]


def watch_page(page, errors: list) -> None:
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    # The answer form asks before leaving with unsaved text; tests leave on purpose.
    page.on("dialog", lambda dialog: dialog.accept())


def login(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the form, as a person does."""
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(r"^(?!.*/logga-in).*$"))


def respondent_email(short_name: str) -> str:
    return f"{short_name.lower()}@example.org"


SERIOUS = ("serious", "critical")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page (WCAG 2.0/2.1 A and AA rules); return all violations.

    Without axe-core (npm is missing) the test is skipped here, with a message."""
    require(AXE.exists(), f"axe-core is missing at {AXE}: install npm (sudo apt-get install "
            "npm), then `npm ci --prefix tests/browser` (bash tests/run.sh does that).")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: tags, resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({"
        "id: v.id, impact: v.impact, help: v.help,"
        "targets: v.nodes.map(n => n.target.join(' '))})))",
        WCAG_TAGS,
    )


def assert_accessible(page, label: str = "") -> list[dict]:
    """Fail on serious or critical violations; return the minor ones for the record."""
    violations = axe_violations(page)
    if os.environ.get("AXE_LOG"):
        with open(os.environ["AXE_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{label or page.url}\t{violations}\n")
    serious = [v for v in violations if v["impact"] in SERIOUS]
    message = "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} – {', '.join(v['targets'][:8])}"
        for v in serious
    )
    assert not serious, f"axe violations on {label or page.url}:\n{message}"
    return [v for v in violations if v["impact"] not in SERIOUS]
