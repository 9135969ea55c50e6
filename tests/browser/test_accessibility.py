"""axe-core on every main page (WCAG 2.0 and 2.1, A and AA): no serious or critical
violations. States reached by a scenario (errors, conflicts, an expired session, a returned
answer) are checked in the scenario tests themselves."""

from __future__ import annotations

import re

import pytest
from support.browser import Recorder, assert_accessible, expect, login, respondent_email, watch_page

pytestmark = pytest.mark.browser

#: (name, who is logged in, path built from the site's ids, expected HTTP status)
PAGES = [
    ("login", None, lambda ids: "/logga-in", 200),
    ("tillganglighetsredogorelse", None, lambda ids: "/tillganglighet", 200),
    ("404", None, lambda ids: "/finns-inte", 404),
    ("respondent start", "ASN", lambda ids: "/", 200),
    ("start a response", "LEASING", lambda ids: f"/omgangar/{ids['open_round']}/borja", 200),
    ("answer form with a draft", "ASN", lambda ids: f"/svar/{ids['asn_draft']}", 200),
    ("submit page, answers missing", "ASN",
     lambda ids: f"/svar/{ids['asn_draft']}/skicka-in", 200),
    ("submit page", "POM", lambda ids: f"/svar/{ids['axe_submit']}/skicka-in", 200),
    ("read-only view", "ASN", lambda ids: f"/svar/{ids['asn_submitted']}/visa", 200),
    ("print view", "ASN", lambda ids: f"/svar/{ids['asn_draft']}/utskrift", 200),
    ("revision history", "ASN",
     lambda ids: f"/svar/{ids['asn_draft']}/fragor/{ids['first_question']}/historik", 200),
    ("analyst start", "analyst", lambda ids: "/", 200),
    ("all rounds", "analyst", lambda ids: "/status/?alla=1", 200),
    ("status overview", "analyst", lambda ids: f"/status/omgangar/{ids['open_round']}", 200),
    ("analyst reads an answer", "analyst",
     lambda ids: f"/svar/{ids['fn_submitted']}/visa", 200),
    ("return page", "analyst",
     lambda ids: f"/status/svar/{ids['fn_submitted']}/aterlamna", 200),
    ("reminders", "analyst", lambda ids: f"/status/omgangar/{ids['open_round']}/paminnelser", 200),
    ("reminder confirmation", "analyst",
     lambda ids: f"/status/omgangar/{ids['open_round']}/paminn", 200),
    ("agreement round page", "analyst",
     lambda ids: f"/samstammighet/omgangar/{ids['closed_round']}", 200),
    ("publishing confirmation", "analyst",
     lambda ids: f"/samstammighet/omgangar/{ids['closed_round']}/publicera", 200),
    ("consensus page, double coded", "analyst",
     lambda ids: f"/samstammighet/svar/{ids['double_coded']}", 200),
    ("assessment page, done", "analyst",
     lambda ids: f"/bedomning/svar/{ids['double_coded']}", 200),
    ("admin index", "admin", lambda ids: "/admin/", 200),
    ("organisations", "admin", lambda ids: "/admin/organisationer", 200),
    ("organisation form", "admin",
     lambda ids: f"/admin/organisationer/{ids['organisation']}/andra", 200),
    ("users", "admin", lambda ids: "/admin/anvandare", 200),
    ("user form", "admin", lambda ids: "/admin/anvandare/ny", 200),
    ("password form", "admin", lambda ids: f"/admin/anvandare/{ids['admin_user']}/losenord", 200),
    ("rounds", "admin", lambda ids: "/admin/omgangar", 200),
    ("round form", "admin", lambda ids: "/admin/omgangar/ny", 200),
    ("round detail", "admin", lambda ids: f"/admin/omgangar/{ids['open_round']}", 200),
    ("close round confirmation", "admin",
     lambda ids: f"/admin/omgangar/{ids['open_round']}/stang", 200),
    ("reopen round, deadline passed", "admin",
     lambda ids: f"/admin/omgangar/{ids['closed_round']}/oppna", 200),
    ("round edit form", "admin", lambda ids: f"/admin/omgangar/{ids['closed_round']}/andra", 200),
    ("next year's round form", "admin",
     lambda ids: f"/admin/omgangar/{ids['open_round']}/kopiera", 200),
    ("outbox", "admin", lambda ids: "/admin/utkorg", 200),
    ("audit log", "admin", lambda ids: "/admin/logg", 200),
]

LOGINS = {"analyst": "analytiker@example.org", "admin": "admin@example.org"}


@pytest.fixture(scope="module")
def pages_by_login(browser, site):
    """One logged-in page per user, shared by the module's tests (they only read)."""
    made, contexts, recorder, errors = {}, [], Recorder(), []

    def get(who):
        if who not in made:
            context = browser.new_context(base_url=site.base_url, locale="sv-SE",
                                          timezone_id="Europe/Stockholm", bypass_csp=True)
            recorder.watch(context)
            contexts.append(context)
            page = context.new_page()
            watch_page(page, errors)
            if who is not None:
                login(page, LOGINS.get(who) or respondent_email(who))
            made[who] = page
        return made[who]

    yield get
    for context in contexts:
        context.close()
    assert not recorder.outside(site.base_url), recorder.outside(site.base_url)
    assert not errors, errors


@pytest.mark.parametrize(("name", "who", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_accessibility_violations(pages_by_login, site, name, who, path,
                                                      status):
    page = pages_by_login(who)
    response = page.goto(path(site.ids))
    assert response.status == status, f"{name}: HTTP {response.status}"
    assert_accessible(page, name)


def test_login_errors_are_accessible(new_page):
    page = new_page(bypass_csp=True)
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill("ingen@example.org")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#error-summary")).to_contain_text("Fel e-postadress eller lösenord.")
    assert_accessible(page, "login with an error")


def test_the_rescue_page_gives_the_text_back_accessibly(new_context, site):
    """A form post after the session ended shows the typed text on the rescue page."""
    context = new_context(bypass_csp=True)
    page = context.new_page()
    login(page, respondent_email("KN"))
    page.get_by_role("link", name=re.compile("^Fortsätt svara")).first.click()
    area = page.locator(f"#question-{site.ids['questions'][0]} textarea")
    area.fill("Text som inte får försvinna.")
    context.clear_cookies()
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("main")).to_contain_text("Text som inte får försvinna.")
    expect(page.locator("main")).to_contain_text("Din session har gått ut.")
    assert_accessible(page, "rescue page")



def test_the_print_view_is_accessible_as_printed(pages_by_login, site):
    page = pages_by_login("ASN")
    page.goto(f"/svar/{site.ids['asn_draft']}/utskrift")
    page.emulate_media(media="print")
    try:
        assert_accessible(page, "print view, print media")
    finally:
        page.emulate_media(media="screen")
