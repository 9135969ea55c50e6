"""The English addresses the pages had until December 2026 still work: each answers 308 to
the page's Swedish address, with the same path values and query string, for every method and
whoever asks; a form posted to an old address still reaches its view."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from survey.accounts.models import User
from survey.extensions import db
from survey.moved_urls import ENDPOINT_PREFIX, moved_targets

#: Every old address, as the app had it (and as links in mail sent before the change hold).
OLD_ADDRESSES = {
    "/login", "/logout",
    "/responses/<int:response_id>", "/responses/<int:response_id>/autosave",
    "/responses/csrf-token", "/responses/<int:response_id>/view",
    "/responses/<int:response_id>/questions/<int:question_id>/history",
    "/responses/<int:response_id>/revisions/<int:revision_id>/restore",
    "/responses/<int:response_id>/submit", "/responses/<int:response_id>/print",
    "/rounds/<int:round_id>/start", "/rounds/<int:round_id>/reports",
    "/rounds/<int:round_id>/submit-reports",
    "/status/rounds/<int:round_id>", "/status/rounds/<int:round_id>/remind",
    "/status/rounds/<int:round_id>/reminders", "/status/responses/<int:response_id>/return",
    "/samstammighet/rounds/<int:round_id>", "/samstammighet/responses/<int:response_id>",
    "/samstammighet/rounds/<int:round_id>/publish",
    "/samstammighet/rounds/<int:round_id>/unpublish",
    "/samstammighet/rounds/<int:round_id>/results-public",
    "/aterkoppling/responses/<int:response_id>",
    "/bedomning/responses/<int:response_id>", "/bedomning/responses/<int:response_id>/komponenter",
    "/dashboards/", "/dashboards/heatmap", "/dashboards/trender", "/dashboards/rattighetsomraden",
    "/dashboards/omfang", "/dashboards/jamforelse", "/dashboards/utvecklingsmedel",
    "/dashboards/organisationer/<int:organisation_id>",
    "/dashboards/svar/<int:response_id>/belagg", "/dashboards/plotly.min.js",
    "/dashboards/levels.css",
    "/exports/annex/<int:round_id>.xlsx", "/exports/annex/<int:round_id>.csv",
    "/exports/responses/<int:response_id>.xlsx", "/exports/import",
    "/exports/import/template.xlsx",
    "/admin/organisations", "/admin/organisations/new",
    "/admin/organisations/<int:organisation_id>/edit", "/admin/users", "/admin/users/new",
    "/admin/users/<int:user_id>/activate", "/admin/users/<int:user_id>/deactivate",
    "/admin/users/<int:user_id>/password", "/admin/rounds", "/admin/rounds/new",
    "/admin/rounds/<int:round_id>", "/admin/rounds/<int:round_id>/open",
    "/admin/rounds/<int:round_id>/close", "/admin/rounds/<int:round_id>/copy",
    "/admin/rounds/<int:round_id>/questions/<int:question_id>",
    "/admin/outbox", "/admin/audit",
}


def _moved_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(ENDPOINT_PREFIX)]


def test_every_old_address_is_kept_and_every_current_one_is_swedish(app):
    assert set(moved_targets(app)) == OLD_ADDRESSES
    english = ("/login", "/logout", "/responses", "/rounds", "/dashboards", "/exports",
               "/users", "/organisations", "/outbox", "/audit", "/heatmap", "/print", "/view")
    current = [rule.rule for rule in app.url_map.iter_rules()
               if not rule.endpoint.startswith(ENDPOINT_PREFIX)]
    assert not [rule for rule in current if any(word in rule for word in english)]


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_each_old_address_redirects_to_its_page_for_every_method(app, world, browser_as, role):
    browser = browser_as(role)
    wrong = []
    for rule in _moved_rules(app):
        target = moved_targets(app)[rule.rule]
        values = {name: world[name] for name in rule.arguments}
        with app.test_request_context():
            old = url_for(rule.endpoint, **values)
            new = url_for(target, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            reply = browser.open(old + "?round=7&q=%C3%A5r+2025", method=method)
            expected = new + "?round=7&q=%C3%A5r+2025"
            if reply.status_code != 308 or reply.headers["Location"] != expected:
                wrong.append(f"{method} {old}: {reply.status_code} "
                             f"{reply.headers.get('Location')}, expected 308 {expected}")
    assert not wrong, "\n".join(wrong)


def test_a_form_posted_to_an_old_address_reaches_its_view(client, make_user):
    user = make_user("respondent", "ASN")
    reply = client.post("/login", {"email": user.email, "password": "ett-långt-lösenord-2024"},
                        follow_redirects=False)
    assert reply.status_code == 308 and reply.headers["Location"] == "/logga-in"
    # The browser posts the same body again to the new address, CSRF token and all.
    reply = client.post("/login", {"email": user.email, "password": "ett-långt-lösenord-2024"},
                        follow_redirects=True)
    assert reply.request.path == "/" and reply.status_code == 200
    assert db.session.scalar(select(User.last_login_at).filter_by(id=user.id)) is not None


def test_a_hostile_path_or_query_on_an_old_address_never_fails(client):
    assert client.get("/responses/99999999999999999999").status_code == 404
    # Raw bytes, as a careless client may send them (WSGI hands them over as latin-1).
    raw = client.get("/dashboards/heatmap",
                     environ_overrides={"QUERY_STRING": "q=%ZZ&\xff\xfe=<script>"})
    assert raw.status_code == 308
    location = raw.headers["Location"]
    assert location.isascii() and location.startswith("/analys/varmekarta?")
    assert "<" not in location

