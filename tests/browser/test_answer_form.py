"""The answer form in a real browser: autosave, an expired session, and two colleagues
saving the same answer."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select
from support.browser import assert_accessible, expect, login, respondent_email
from support.live import COLLEAGUE_EMAIL

from survey.extensions import db
from survey.responses.models import Answer, AnswerRevision

pytestmark = pytest.mark.browser

SAVED = re.compile(r"^Sparat \d{2}:\d{2}$")


def question(page, site, number: int = 1):
    return page.locator(f"#question-{site.ids['questions'][number - 1]}")


def saved_text(db_read, response_id: int, question_id: int) -> str:
    return db_read(lambda: db.session.scalar(select(Answer.text).filter_by(
        response_id=response_id, question_id=question_id)))


def test_autosave_shows_the_time_and_the_text_survives_a_reload(new_page, site, db_read):
    page = new_page()
    login(page, respondent_email("KS"))
    page.get_by_role("link", name=re.compile("^Börja svara")).first.click()
    page.get_by_role("button", name="Börja svara").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Särskild fråga")

    box = question(page, site)
    text = "Kommunstyrelsen följer upp policyn i årsanalysen och i varje nämnds internkontroll."
    box.locator("textarea").press_sequentially(text, delay=5)
    expect(box.locator("[data-status]")).to_have_text(SAVED)
    expect(box.locator("[data-word-count]")).to_have_text("11 ord")

    page.reload()
    expect(question(page, site).locator("textarea")).to_have_value(text)
    response_id = int(re.search(r"/svar/(\d+)", page.url).group(1))
    assert saved_text(db_read, response_id, site.ids["questions"][0]) == text


def test_an_expired_session_keeps_the_text_and_saves_after_a_new_login(
        new_context, site, db_read):
    context = new_context(bypass_csp=True)
    page = context.new_page()
    response_id = site.ids["session"]
    login(page, respondent_email("FSN"))
    page.goto(f"/svar/{response_id}")
    box = question(page, site)
    area, status = box.locator("textarea"), box.locator("[data-status]")

    first = "Funktionsstödsnämnden har en handlingsplan för funktionsrätt."
    area.fill(first)
    expect(status).to_have_text(SAVED)

    context.clear_cookies()  # the session ends while the respondent writes on
    more = " Planen följs upp varje kvartal i nämndens ledningsgrupp."
    area.press_sequentially(more, delay=5)
    expect(status).to_contain_text("Din session har gått ut – texten finns kvar.")
    expect(area).to_have_value(first + more)
    kept = page.evaluate("key => localStorage.getItem(key)",
                         f"mr-unsaved:{response_id}:answer-{site.ids['questions'][0]}")
    assert json.loads(kept)["value"] == first + more
    assert saved_text(db_read, response_id, site.ids["questions"][0]) == first
    assert_accessible(page, "answer form with an expired session")

    with context.expect_page() as opened:
        status.get_by_role("link", name="Logga in i en ny flik").click()
    tab = opened.value
    tab.get_by_label("E-postadress").fill(respondent_email("FSN"))
    tab.get_by_label("Lösenord").fill("malmo-demo-2024")
    tab.get_by_role("button", name="Logga in").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Funktionsstödsnämnden")
    tab.close()

    page.bring_to_front()
    last = " Resultatet redovisas i årsanalysen."
    area.press_sequentially(last, delay=5)
    expect(status).to_have_text(SAVED)
    full = first + more + last
    expect(area).to_have_value(full)
    assert saved_text(db_read, response_id, site.ids["questions"][0]) == full
    page.reload()
    expect(question(page, site).locator("textarea")).to_have_value(full)


def test_colleagues_saving_the_same_answer_see_both_texts_and_choose(
        new_context, site, db_read):
    response_id = site.ids["conflict"]
    question_id = site.ids["questions"][0]
    first, second = new_context().new_page(), new_context(bypass_csp=True).new_page()
    login(first, respondent_email("GYVUX"))
    login(second, COLLEAGUE_EMAIL)
    for page in (first, second):
        page.goto(f"/svar/{response_id}")

    theirs = "Förvaltningen har utsett en samordnare för mänskliga rättigheter."
    question(first, site).locator("textarea").fill(theirs)
    expect(question(first, site).locator("[data-status]")).to_have_text(SAVED)

    mine = "Vi arbetar med barnkonsekvensanalyser inför alla större beslut."
    box = question(second, site)
    box.locator("textarea").fill(mine)
    expect(box.locator("[data-status]")).to_contain_text("en kollega har sparat en annan version")
    panel = box.locator("[data-conflict-for]")
    expect(panel).to_contain_text("Någon annan har sparat samtidigt som du.")
    expect(panel.locator(".conflict-column").nth(0)).to_contain_text(mine)
    expect(panel.locator(".conflict-column").nth(1)).to_contain_text("Handläggare GYVUX")
    expect(panel.locator(".conflict-column").nth(1)).to_contain_text(theirs)
    expect(box.locator("textarea")).to_have_value(mine)
    assert saved_text(db_read, response_id, question_id) == theirs  # nothing overwritten yet
    assert_accessible(second, "answer form with a conflict")

    panel.get_by_role("button", name="Behåll min text").click()
    expect(box.locator("[data-status]")).to_have_text(SAVED)
    expect(panel).to_have_count(0)
    assert saved_text(db_read, response_id, question_id) == mine

    def revisions():
        answer_id = db.session.scalar(select(Answer.id).filter_by(
            response_id=response_id, question_id=question_id))
        return list(db.session.scalars(select(AnswerRevision.text).filter_by(
            answer_id=answer_id).order_by(AnswerRevision.version)))

    assert db_read(revisions)[-2:] == [theirs, mine]  # the colleague's text stays in history
