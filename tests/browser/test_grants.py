"""Development-funds reports in Chromium: a respondent files two works in one round and
submits them with one decision; the analyst's grants dashboard draws its chart; every page
passes axe.

The scenario opens a grants round of its own for Malmö Live Konserthus AB (no other scenario
uses it) and closes it again at the end, so later scenarios see the demo as it was.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from support.browser import assert_accessible, expect, login, respondent_email

from survey.extensions import db
from survey.organisations.services import by_short_name
from survey.questionnaires.models import Round, RoundStatus
from survey.questionnaires.services import create_round
from survey.responses.models import Response, ResponseStatus

pytestmark = pytest.mark.browser

ANALYST = "analytiker@example.org"
KEY = "redovisning-beviljade-medel"
TEXTS = ("maluppfyllelse", "forankring", "tidigare-erfarenheter", "tillvarata",
         "resultat-budget")


@pytest.fixture
def grants_round(db_read):
    """An open grants round for this year; closed again after the test."""
    def open_one():
        year = dt.date.today().year
        round_ = create_round(KEY, year, dt.date.today() - dt.timedelta(days=5),
                              dt.date.today() + dt.timedelta(days=30))
        round_.status = RoundStatus.OPEN
        db.session.commit()
        return round_.id, round_.title, {q.key: q.id for q in round_.questions}

    round_id, title, questions = db_read(open_one)
    yield round_id, title, questions

    def close():
        db.session.get(Round, round_id).status = RoundStatus.CLOSED
        db.session.commit()

    db_read(close)


def fill_report(page, questions: dict[str, int], name: str, granted: str, used: str) -> None:
    page.fill(f"#answer-{questions['namn']}", name)
    page.locator(f"#answer-{questions['omraden']}").check()  # the first area
    page.fill(f"#answer-{questions['beviljat-ar']}", "2025")
    for key in TEXTS:
        page.fill(f"#answer-{questions[key]}", f"{name}: {key}.")
    page.fill(f"#answer-{questions['beviljat-belopp']}", granted)
    page.fill(f"#answer-{questions['anvant-belopp']}", used)
    page.fill(f"#answer-{questions['ansvarig-chef']}", "Kim Chef")
    page.fill(f"#answer-{questions['underskrift-datum']}", dt.date.today().isoformat())
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("main")).to_contain_text(name)


def test_two_works_are_submitted_with_one_decision(new_page, db_read, grants_round):
    round_id, title, questions = grants_round
    page = new_page(bypass_csp=True)  # axe is injected as an inline script
    login(page, respondent_email("LIVE"))

    add_work = page.get_by_role("button", name=f"Lägg till utvecklingsarbete – {title}")
    add_work.click()
    fill_report(page, questions, "Konserter med teckenspråkstolk", "400 000", "167 tkr")
    assert_accessible(page, "a development-work report")
    page.goto("/")
    add_work.click()
    fill_report(page, questions, "Barnens konserthus", "100 000", "120 000")
    expect(page.locator("main")).to_contain_text("är större än beviljat belopp")
    page.goto("/")
    assert_accessible(page, "start page with two reports")

    page.get_by_role("link", name=re.compile("Skicka in flera redovisningar")).click()
    page.get_by_label(re.compile("Konserter med teckenspråkstolk")).check()
    page.get_by_label(re.compile("Barnens konserthus")).check()
    page.get_by_label("Beslutande organ").select_option(label="Styrelse")
    page.get_by_label("Beslutsdatum").fill(dt.date.today().isoformat())
    page.get_by_label("Diarienummer").fill("LIVE-2025-12")
    assert_accessible(page, "submitting several reports")
    page.get_by_role("button", name="Skicka in valda redovisningar").click()

    expect(page.locator("main")).to_contain_text("2 redovisningar är inskickade med samma beslut")
    reports = db_read(lambda: [
        (r.status, r.latest_submission.case_number) for r in db.session.scalars(
            select(Response).filter_by(round_id=round_id,
                                       organisation_id=by_short_name("LIVE").id)
            .order_by(Response.number))])
    assert reports == [(ResponseStatus.SUBMITTED, "LIVE-2025-12")] * 2


def test_the_grants_dashboard_draws_its_chart_and_is_accessible(new_page, db_read):
    round_id = db_read(lambda: db.session.scalar(
        select(Round.id).filter_by(questionnaire_key=KEY, year=2018)))  # the demo's seeds
    url = f"/analys/utvecklingsmedel?round={round_id}"
    page = new_page()  # the real CSP
    login(page, ANALYST)
    page.goto(url)
    expect(page.locator("[data-chart] svg.main-svg").first).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Arbetsmarknads- och socialnämnden")
    expect(page.locator("main")).to_contain_text("202\u00a0000\u00a0kr")
    checked = new_page(bypass_csp=True)
    login(checked, ANALYST)
    checked.goto(url)
    assert_accessible(checked, "grants dashboard")
