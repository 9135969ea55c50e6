"""Every route of the app, called by every role, answers as declared here.

The table below is the access-control matrix of the application: one row per endpoint and
method, one expected outcome per role. A route missing from the table fails the test, so a
new route cannot arrive without a declared rule. POST routes are called with POST and a
valid CSRF token (and nothing else: the check is about who gets through, not about forms);
GET on a POST-only route must be 405 for everyone.

Roles (support.walks' ROLES, conftest's `world` and `browser_as`): anonymous; a respondent of
organisation A (ASN, owner of the response); a respondent of organisation B (FRN, who must not
see A's objects); an analyst; an admin.
"""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select
from support.clients import BrowserClient
from support.walks import ROLES

from survey.accounts.models import User
from survey.extensions import db
from survey.moved_urls import ENDPOINT_PREFIX

#: Not logged in: GET redirects to the login page; POST gets 401 (the unauthorized handler
#: gives form posts their text back and script calls JSON, instead of a redirect).
LOGIN = "login"

# (endpoint, method): outcome for (anonymous, respondent A, respondent B, analyst, admin).
# 302 means a redirect that is NOT to the login page.
ACCESS: dict[tuple[str, str], tuple] = {
    # --- accounts and pages
    ("accounts.login", "GET"):            (200, 200, 200, 200, 200),
    ("accounts.login", "POST"):           (200, 200, 200, 200, 200),  # form errors
    ("accounts.logout", "POST"):          (LOGIN,) * 5,  # logged out: to the login page
    ("pages.start", "GET"):               (LOGIN, 200, 200, 200, 200),
    ("pages.accessibility", "GET"):       (200, 200, 200, 200, 200),
    # --- answering: A's response; B must get 404 (ids reveal nothing), staff read only
    ("responses.start", "GET"):           (LOGIN, 302, 200, 403, 403),  # A has a response
    ("responses.start", "POST"):          (LOGIN, 302, 302, 403, 403),
    ("responses.edit", "GET"):            (LOGIN, 200, 404, 302, 302),  # staff -> view
    ("responses.edit", "POST"):           (LOGIN, 302, 404, 403, 403),
    ("responses.autosave", "POST"):       (LOGIN, 400, 404, 403, 403),  # empty payload
    ("responses.csrf_token", "GET"):      (LOGIN, 200, 200, 200, 200),
    ("responses.view", "GET"):            (LOGIN, 200, 404, 200, 200),
    ("responses.history", "GET"):         (LOGIN, 200, 404, 200, 200),
    ("responses.restore", "POST"):        (LOGIN, 400, 404, 403, 403),  # no seen_version
    ("responses.submit", "GET"):          (LOGIN, 200, 404, 403, 403),
    ("responses.submit", "POST"):         (LOGIN, 200, 404, 403, 403),  # form errors
    ("responses.print_view", "GET"):      (LOGIN, 200, 404, 200, 200),
    # rounds of several reports only (the world's round takes one response per organisation)
    ("responses.add_report", "POST"):     (LOGIN, 404, 404, 403, 403),
    ("responses.submit_reports", "GET"):  (LOGIN, 404, 404, 403, 403),
    ("responses.submit_reports", "POST"): (LOGIN, 404, 404, 403, 403),
    ("scoring.work_components", "POST"):  (LOGIN, 403, 403, 404, 404),  # several-report rounds only
    # --- stadskontoret's status pages
    ("status.index", "GET"):              (LOGIN, 403, 403, 302, 302),  # -> open round
    ("status.round_status", "GET"):       (LOGIN, 403, 403, 200, 200),
    ("status.return_response", "GET"):    (LOGIN, 403, 403, 200, 200),
    ("status.return_response", "POST"):   (LOGIN, 403, 403, 200, 200),  # form errors
    ("status.remind", "GET"):             (LOGIN, 403, 403, 200, 200),  # confirmation page
    ("status.remind", "POST"):            (LOGIN, 403, 403, 302, 302),
    ("status.reminders", "GET"):          (LOGIN, 403, 403, 200, 200),
    # --- feedback to the organisation: A's response is not assessed nor published -> 404
    ("feedback.response_feedback", "GET"):  (LOGIN, 404, 404, 404, 404),
    # --- double coding, consensus and publishing: analysts only (A's response: no pair)
    ("agreement.round_page", "GET"):      (LOGIN, 403, 403, 200, 200),
    ("agreement.consensus", "GET"):       (LOGIN, 403, 403, 404, 404),
    ("agreement.consensus", "POST"):      (LOGIN, 403, 403, 404, 404),
    ("agreement.publish", "GET"):         (LOGIN, 403, 403, 200, 200),  # confirmation page
    ("agreement.publish", "POST"):        (LOGIN, 403, 403, 302, 302),  # refused: flash
    ("agreement.unpublish", "POST"):      (LOGIN, 403, 403, 302, 302),
    # --- scoring: analysts only; A's response is a draft, so staff are sent to its view
    ("scoring.assess", "GET"):            (LOGIN, 403, 403, 302, 302),
    ("scoring.assess", "POST"):           (LOGIN, 403, 403, 302, 302),
    # --- dashboards: analysts' pages; respondents get only the benchmarking view
    ("dashboards.plotly_js", "GET"):      (200, 200, 200, 200, 200),  # a public library
    ("dashboards.levels_css", "GET"):     (200, 200, 200, 200, 200),
    ("dashboards.overview", "GET"):       (LOGIN, 403, 403, 200, 200),
    ("dashboards.heatmap", "GET"):        (LOGIN, 403, 403, 200, 200),
    ("dashboards.evidence", "GET"):       (LOGIN, 403, 403, 200, 200),
    ("dashboards.profile", "GET"):        (LOGIN, 403, 403, 200, 200),
    ("dashboards.trends", "GET"):         (LOGIN, 403, 403, 200, 200),
    ("dashboards.rights_areas", "GET"):   (LOGIN, 403, 403, 200, 200),
    ("dashboards.answer_scope", "GET"):   (LOGIN, 403, 403, 200, 200),
    ("dashboards.benchmark", "GET"):      (LOGIN, 200, 200, 200, 200),
    ("agreement.results_public", "POST"): (LOGIN, 403, 403, 302, 302),
    ("dashboards.grants", "GET"):         (LOGIN, 403, 403, 200, 200),
    # --- exports: the annex for analysts, a response for its organisation, import for admins
    ("exports.annex_xlsx", "GET"):        (LOGIN, 403, 403, 200, 200),
    ("exports.annex_csv", "GET"):         (LOGIN, 403, 403, 200, 200),
    ("exports.response_xlsx", "GET"):     (LOGIN, 200, 404, 200, 200),
    ("exports.import_template", "GET"):   (LOGIN, 403, 403, 403, 200),
    ("exports.import_upload", "GET"):     (LOGIN, 403, 403, 403, 200),
    ("exports.import_upload", "POST"):    (LOGIN, 403, 403, 403, 200),  # form errors
    # --- administration: admins only
    ("admin.index", "GET"):               (LOGIN, 403, 403, 403, 200),
    ("admin.organisations", "GET"):       (LOGIN, 403, 403, 403, 200),
    ("admin.organisation_new", "GET"):    (LOGIN, 403, 403, 403, 200),
    ("admin.organisation_new", "POST"):   (LOGIN, 403, 403, 403, 200),
    ("admin.organisation_edit", "GET"):   (LOGIN, 403, 403, 403, 200),
    ("admin.organisation_edit", "POST"):  (LOGIN, 403, 403, 403, 200),
    ("admin.users", "GET"):               (LOGIN, 403, 403, 403, 200),
    ("admin.user_new", "GET"):            (LOGIN, 403, 403, 403, 200),
    ("admin.user_new", "POST"):           (LOGIN, 403, 403, 403, 200),
    ("admin.user_activate", "POST"):      (LOGIN, 403, 403, 403, 302),
    ("admin.user_deactivate", "POST"):    (LOGIN, 403, 403, 403, 302),
    ("admin.user_password", "GET"):       (LOGIN, 403, 403, 403, 200),
    ("admin.user_password", "POST"):      (LOGIN, 403, 403, 403, 200),
    ("admin.rounds", "GET"):              (LOGIN, 403, 403, 403, 200),
    ("admin.round_new", "GET"):           (LOGIN, 403, 403, 403, 200),
    ("admin.round_new", "POST"):          (LOGIN, 403, 403, 403, 200),
    ("admin.round_detail", "GET"):        (LOGIN, 403, 403, 403, 200),
    ("admin.round_open", "GET"):          (LOGIN, 403, 403, 403, 200),  # confirmation page
    ("admin.round_open", "POST"):         (LOGIN, 403, 403, 403, 302),
    ("admin.round_close", "GET"):         (LOGIN, 403, 403, 403, 200),  # confirmation page
    ("admin.round_close", "POST"):        (LOGIN, 403, 403, 403, 302),
    ("admin.round_copy", "GET"):          (LOGIN, 403, 403, 403, 200),  # the proposal
    ("admin.round_copy", "POST"):         (LOGIN, 403, 403, 403, 200),  # form errors
    ("admin.round_edit", "GET"):          (LOGIN, 403, 403, 403, 200),
    ("admin.round_edit", "POST"):         (LOGIN, 403, 403, 403, 200),  # form errors
    ("admin.question_edit", "GET"):       (LOGIN, 403, 403, 403, 200),
    ("admin.question_edit", "POST"):      (LOGIN, 403, 403, 403, 200),
    ("admin.outbox", "GET"):              (LOGIN, 403, 403, 403, 200),
    ("admin.outbox_resend", "POST"):      (LOGIN, 403, 403, 403, 302),
    ("admin.audit", "GET"):               (LOGIN, 403, 403, 403, 200),
}

#: Routes called the way the page's script calls them: JSON with the X-CSRFToken header.
JSON_ROUTES = {"responses.autosave"}
#: Routes that change who is logged in run last.
LAST = {"accounts.logout"}


def _skipped(endpoint: str) -> bool:
    # Static files; and the old addresses, which only redirect (test_moved_urls).
    return (endpoint == "static" or endpoint.endswith(".static")
            or endpoint.startswith(ENDPOINT_PREFIX))


def _rules(app):
    for rule in app.url_map.iter_rules():
        if not _skipped(rule.endpoint):
            yield rule


def _url(app, rule, ids: dict) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})


def _call(browser: BrowserClient, endpoint: str, method: str, url: str):
    if method == "GET":
        return browser.get(url)
    if endpoint in JSON_ROUTES:
        return browser.post_json(url, {})
    return browser.post(url, {})


def _outcome(reply, expected):
    """The reply in the table's terms, compared with what the table expects."""
    location = reply.headers.get("Location", "")
    to_login = reply.status_code == 302 and "/logga-in" in location
    if expected == LOGIN:
        return to_login or reply.status_code == 401
    if expected == 302:
        return reply.status_code == 302 and not to_login
    return reply.status_code == expected


def test_every_route_has_a_declared_rule(app):
    declared = {endpoint for endpoint, _ in ACCESS}
    missing = sorted(
        f"{rule.endpoint} {method} {rule.rule}"
        for rule in _rules(app) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (rule.endpoint, method) not in ACCESS
    )
    assert not missing, "new route without a declared rule: " + ", ".join(missing)
    stale = declared - {rule.endpoint for rule in _rules(app)}
    assert not stale, f"rules for routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_declared_answer_on_every_route(app, world, browser_as, role):
    position = ROLES.index(role)
    calls = []  # (runs last, is a POST, endpoint, method, url, expected)
    for rule in _rules(app):
        url = _url(app, rule, world)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            expected = ACCESS.get((rule.endpoint, method), ("undeclared",) * len(ROLES))
            calls.append((rule.endpoint in LAST, method == "POST", rule.endpoint, method, url,
                          expected[position]))
        if "GET" not in rule.methods:
            calls.append((False, False, rule.endpoint, "GET", url, 405))
    wrong = []
    # Reads first, then writes, and logging out last: earlier calls must not change the
    # outcome of later ones.
    for _, _, endpoint, method, url, expected in sorted(calls, key=lambda call: call[:4]):
        reply = _call(browser_as(role), endpoint, method, url)
        reply.close()  # downloads stream from files that close with the reply
        if not _outcome(reply, expected):
            wrong.append(f"{method} {url} ({endpoint}) as {role}: expected {expected}, got "
                         f"{reply.status_code} {reply.headers.get('Location', '')}")
    assert not wrong, "\n".join(wrong)


def test_a_deactivated_user_is_treated_as_anonymous(app, world, browser_as):
    browser = browser_as("respondent_a")
    user = db.session.scalar(select(User).filter_by(email="respondent-asn@example.org"))
    user.active = False
    db.session.commit()
    page = browser.get(f"/svar/{world['response_id']}")
    assert page.status_code == 302 and "/logga-in" in page.headers["Location"]
