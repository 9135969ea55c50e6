"""The dashboards in Chromium, under the app's real Content-Security-Policy: every chart is
drawn by the app's own plotly.js, each has its table, the filters live in the URL, a heatmap
cell opens the evidence, and axe finds no serious violation."""

from __future__ import annotations

import re

import pytest
from support.browser import assert_accessible, expect, login, respondent_email

pytestmark = pytest.mark.browser

ANALYST = "analytiker@example.org"

#: (name, who, path built from the site's ids)
DASHBOARDS = [
    ("overview, closed round", ANALYST, lambda ids: f"/analys/?round={ids['closed_round']}"),
    ("overview, open round", ANALYST, lambda ids: f"/analys/?round={ids['open_round']}"),
    ("heatmap", ANALYST, lambda ids: f"/analys/varmekarta?round={ids['closed_round']}"),
    ("evidence", ANALYST,
     lambda ids: f"/analys/svar/{ids['asn_submitted']}/belagg?component=MAL"),
    ("organisation profile", ANALYST,
     lambda ids: f"/analys/organisationer/{ids['organisation']}?round={ids['closed_round']}"),
    ("trends", ANALYST, lambda ids: "/analys/trender"),
    ("rights areas", ANALYST, lambda ids: "/analys/rattighetsomraden"),
    ("answer scope", ANALYST, lambda ids: f"/analys/omfang?round={ids['closed_round']}"),
    ("benchmark", respondent_email("ASN"),
     lambda ids: f"/analys/jamforelse?round={ids['closed_round']}"),
]


def charts_drawn(page) -> None:
    """Every chart placeholder holds a plotly SVG, and its table is on the page."""
    charts = page.locator("[data-chart]")
    count = charts.count()
    for index in range(count):
        expect(charts.nth(index).locator("svg.main-svg").first).to_be_visible()
    for link in page.locator(".chart-table-link a").all():
        target = link.get_attribute("href")
        assert page.locator(f"table{target}").count() == 1, f"no table {target}"


@pytest.mark.parametrize(("name", "who", "path"), DASHBOARDS, ids=[d[0] for d in DASHBOARDS])
def test_dashboard_draws_its_charts_and_is_accessible(new_page, site, name, who, path):
    page = new_page()  # the real CSP: plotly.js must work under it
    login(page, who)
    response = page.goto(path(site.ids))
    assert response.status == 200, f"{name}: HTTP {response.status}"
    charts_drawn(page)
    checked = new_page(bypass_csp=True)  # axe is injected as an inline script
    login(checked, who)
    checked.goto(path(site.ids))
    charts_drawn(checked)
    assert_accessible(checked, f"dashboard: {name}")


def test_filters_survive_a_reload(new_page, site):
    page = new_page()
    login(page, ANALYST)
    page.goto(f"/analys/?round={site.ids['closed_round']}")
    page.get_by_label("Typ", exact=True).select_option("namnd")
    page.get_by_label("Nivåer", exact=True).select_option("self_assessment")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"kind=namnd.*source=self_assessment"))
    page.reload()
    expect(page.get_by_label("Typ", exact=True)).to_have_value("namnd")
    expect(page.get_by_label("Nivåer", exact=True)).to_have_value("self_assessment")
    charts_drawn(page)


def test_a_heatmap_cell_opens_the_evidence(new_page, site):
    page = new_page()
    login(page, ANALYST)
    page.goto(f"/analys/varmekarta?round={site.ids['closed_round']}&sort=name")
    plot = page.locator("#heatmap-chart .nsewdrag").first
    expect(plot).to_be_visible()
    box = plot.bounding_box()
    # The first row (top) and first column (left) of the grid: a submitted organisation.
    page.mouse.click(box["x"] + 5, box["y"] + 5)
    expect(page).to_have_url(re.compile(r"/analys/svar/\d+/belagg\?component=[A-Z]+"))
    expect(page.locator("h1")).to_contain_text("Belägg")


def test_a_respondent_is_turned_away_from_the_analysts_pages(new_page):
    page = new_page()
    login(page, respondent_email("ASN"))
    response = page.goto("/analys/")
    assert response.status == 403
    expect(page.get_by_role("link", name="Jämförelse")).to_be_visible()
