"""Browser tests: the app served on 127.0.0.1 and driven by Debian's Chromium via Playwright.

One live server with the demo data (plus a few responses prepared for the scenarios) and one
browser serve the whole session; every test gets fresh browser contexts. Without Debian's
Chromium or Playwright the tests are skipped, and without axe-core (npm) the accessibility
checks, each with a message saying what to install; under CI they fail instead. What the
fixtures are built from, and what the tests call, is in support.live and support.browser.
"""

from __future__ import annotations

import threading

import pytest
from support.browser import (
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    Recorder,
    expect,
    require,
    sync_playwright,
    watch_page,
)
from support.live import QuietHandler, Site, prepare
from werkzeug.serving import make_server

from survey import create_app
from survey.extensions import db

# --- the live server ------------------------------------------------------------------

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
    ids = prepare(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
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


@pytest.fixture
def new_context(browser, site):
    """Make browser contexts (separate cookie jars) that are closed after the test.

    Every request is recorded; after the test, none may have left the live server, and no
    page may have thrown an uncaught script error. `javascript=False` makes a context with
    scripts off, for the pages that must work without them.
    """
    contexts, errors, own = [], [], Recorder()

    def make(bypass_csp: bool = False, javascript: bool = True):
        context = browser.new_context(base_url=site.base_url, locale="sv-SE",
                                      timezone_id="Europe/Stockholm", bypass_csp=bypass_csp,
                                      java_script_enabled=javascript)
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


@pytest.fixture
def new_page(new_context):
    def make(bypass_csp: bool = False, javascript: bool = True):
        return new_context(bypass_csp, javascript).new_page()

    return make
