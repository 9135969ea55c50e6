"""Nothing leaves the server: no CDN, no web fonts, no analytics. Every browser context of
the suite records its requests and fails its test if one goes elsewhere (see conftest.py);
this test walks through the pages a respondent uses and looks at what was requested.

Charts (plotly.js dashboards) do not exist yet; when they come, add them here."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from support.browser import expect, login, respondent_email

pytestmark = pytest.mark.browser


def test_a_respondent_session_requests_nothing_from_other_hosts(new_context, site):
    context = new_context()
    requests = []
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    response_id = site.ids["network"]

    login(page, respondent_email("MKP"))
    page.goto(f"/svar/{response_id}")
    box = page.locator(f"#question-{site.ids['questions'][0]}")
    box.locator("textarea").fill("Bolaget har en plan för tillgänglighet i parkeringshusen.")
    expect(box.locator("[data-status]")).to_have_text(re.compile(r"^Sparat \d{2}:\d{2}$"))
    for path in (f"/svar/{response_id}/visa", f"/svar/{response_id}/utskrift",
                 f"/svar/{response_id}/fragor/{site.ids['questions'][0]}/historik",
                 f"/svar/{response_id}/skicka-in", "/tillganglighet"):
        page.goto(path)

    hosts = {urlsplit(r.url).netloc for r in requests}
    assert hosts == {urlsplit(site.base_url).netloc}, hosts
    kinds = {r.resource_type for r in requests}
    assert {"document", "stylesheet", "script", "fetch"} <= kinds, kinds
    assert "font" not in kinds or all(r.url.startswith(site.base_url) for r in requests)

