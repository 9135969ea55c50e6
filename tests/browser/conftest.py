"""Browser tests: the app served on 127.0.0.1 and driven by Debian's Chromium via Playwright.

One live server with the demo data (plus a few responses prepared for the scenarios) and one
browser serve the whole session; every test gets fresh browser contexts. Without Debian's
Chromium or Playwright the tests are skipped, and without axe-core (npm) the accessibility
checks, each with a message saying what to install; under CI they fail instead.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the `browser` fixture skips the tests, or fails them under CI
    expect = sync_playwright = None

from survey import create_app
from survey.accounts.models import Role
from survey.accounts.services import create_user, find_by_email
from survey.demo.build import DEMO_PASSWORD, build_demo
from survey.extensions import db
from survey.organisations.services import by_short_name
from survey.questionnaires.models import Round
from survey.responses.models import DecisionBody, Response
from survey.responses.services import save_answer, start_response, submit

AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PASSWORD = DEMO_PASSWORD
#: Second respondent of the organisation used for the conflict scenario.
COLLEAGUE_EMAIL = "kollega-gyvux@example.org"
TIMEOUT_MS = 15_000


def _in_ci() -> bool:
    """CI=true (any value but empty, 0, false or no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(condition: bool, reason: str) -> None:
    """Skip without the browser tools; under CI, fail so that CI never passes without them."""
    if condition:
        return
    if _in_ci():
        pytest.fail(f"{reason} CI is set, so the browser tests must run.", pytrace=False)
    pytest.skip(reason)


# --- the live server ------------------------------------------------------------------

@dataclass
class Site:
    """The served app and the ids the tests navigate to."""

    base_url: str
    app: object
    ids: dict = field(default_factory=dict)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def _complete_draft(round_: Round, short_name: str) -> Response:
    """A draft with every question answered, ready to be submitted."""
    organisation = by_short_name(short_name)
    user = find_by_email(f"{short_name.lower()}@example.org")
    response = start_response(round_, organisation, user)
    for question in round_.questions:
        answer = response.answer_for(question)
        save_answer(response, question, f"Svar från {short_name} på fråga {question.position}: "
                    "vi arbetar med mål, kunskap och uppföljning.", answer.version, user)
    return response


def _prepare(app) -> dict:
    """Demo data, and responses in the state each scenario starts from."""
    with app.app_context():
        db.create_all()
        build_demo()
        rounds = {r.year: r for r in db.session.scalars(select(Round))}
        open_round, closed_round = rounds[2024], rounds[2023]
        gyvux = by_short_name("GYVUX")
        create_user(COLLEAGUE_EMAIL, "Kollega GYVUX", PASSWORD, Role.RESPONDENT, gyvux.id)
        ids = {"open_round": open_round.id, "closed_round": closed_round.id}
        for key, short_name in [("session", "FSN"), ("conflict", "GYVUX"),
                                ("submit", "SBN"), ("keyboard", "TEATER"),
                                ("network", "MKP"), ("axe_submit", "POM")]:
            ids[key] = start_response(open_round, by_short_name(short_name),
                                      find_by_email(f"{short_name.lower()}@example.org")).id
        for short_name in ("SBN", "POM"):
            _complete_draft(open_round, short_name)
        returned = _complete_draft(open_round, "MN")
        submit(returned, find_by_email("mn@example.org"), DecisionBody.NAMND,
               dt.date.today() - dt.timedelta(days=3), f"MN-{dt.date.today().year}-120")
        ids["to_return"] = returned.id
        asn = by_short_name("ASN")
        ids["asn_draft"] = db.session.scalar(select(Response.id).filter_by(
            round_id=open_round.id, organisation_id=asn.id))
        ids["asn_submitted"] = db.session.scalar(select(Response.id).filter_by(
            round_id=closed_round.id, organisation_id=asn.id))
        ids["fn_submitted"] = db.session.scalar(select(Response.id).filter_by(
            round_id=open_round.id, organisation_id=by_short_name("FN").id))
        ids["first_question"] = open_round.questions[0].id
        ids["questions"] = [q.id for q in open_round.questions]
        ids["admin_user"] = find_by_email("admin@example.org").id
        ids["organisation"] = asn.id
        ids.update(_prepare_scoring(closed_round))
        db.session.commit()
        db.session.remove()
    return ids


#: The second analyst of the double-coded response (scoring scenarios).
SECOND_ANALYST_EMAIL = "analytiker2@example.org"


def _prepare_scoring(closed_round: Round) -> dict:
    """Scoring scenarios, on 2023 responses no other scenario touches: HVON's is scored in
    the browser; TN's is double coded (two DONE independent assessments that differ)."""
    from survey.assessments.services import mark_done, save_assessment, start_assessment

    def response_of(short_name):
        return db.session.scalar(select(Response).filter_by(
            round_id=closed_round.id, organisation_id=by_short_name(short_name).id))

    first = find_by_email("analytiker@example.org")
    second = create_user(SECOND_ANALYST_EMAIL, "Andra analytikern", PASSWORD, Role.ANALYST, None)
    double = response_of("TN")
    codes = ["MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP"]
    for analyst, levels in [(first, [1, 1, 2, 2, 2, 1, 1]), (second, [1, 2, 2, 3, 2, 1, 1])]:
        assessment = start_assessment(double, analyst)
        save_assessment(assessment, assessment.version, analyst,
                        dict(zip(codes, levels, strict=True)),
                        {code: f"Motivering av {analyst.name}." for code in codes}, [], [])
        mark_done(assessment, analyst)
    return {"score": response_of("HVON").id, "double_coded": double.id}


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "browser.sqlite"
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "browser-test-secret-key-that-is-long-enough",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
    })
    ids = _prepare(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}", app, ids)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def db_read(site):
    """Run a read against the live server's database in a short app context of its own."""

    def read(fn):
        with site.app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    return read


# --- the browser ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser(require_tool):
    chromium = require_tool("chromium", "chromium")
    require(sync_playwright is not None, "Playwright for Python is missing: install the test "
            "lock with `python -m pip install --require-hashes -r requirements/test.txt`.")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


class Recorder:
    """The URLs that the pages of the watched browser contexts requested."""

    def __init__(self):
        self.urls: list[str] = []

    def watch(self, context):
        context.on("request", lambda request: self.urls.append(request.url))

    def outside(self, base_url: str) -> list[str]:
        return [u for u in self.urls if not (u == base_url or u.startswith(base_url + "/"))
                and not u.startswith(("data:", "blob:", "about:"))]


@pytest.fixture
def new_context(browser, site):
    """Make browser contexts (separate cookie jars) that are closed after the test.

    Every request is recorded; after the test, none may have left the live server, and no
    page may have thrown an uncaught script error.
    """
    contexts, errors, own = [], [], Recorder()

    def make(bypass_csp: bool = False):
        context = browser.new_context(base_url=site.base_url, locale="sv-SE",
                                      timezone_id="Europe/Stockholm", bypass_csp=bypass_csp)
        context.set_default_timeout(TIMEOUT_MS)
        own.watch(context)
        context.on("page", lambda page: watch_page(page, errors))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not own.outside(site.base_url), f"requests left the server: {own.outside(site.base_url)}"
    assert not errors, f"script errors on the pages: {errors}"


def watch_page(page, errors: list) -> None:
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    # The answer form asks before leaving with unsaved text; tests leave on purpose.
    page.on("dialog", lambda dialog: dialog.accept())


@pytest.fixture
def new_page(new_context):
    def make(bypass_csp: bool = False):
        return new_context(bypass_csp).new_page()

    return make


# --- actions --------------------------------------------------------------------------

def login(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the form, as a person does."""
    page.goto("/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


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
