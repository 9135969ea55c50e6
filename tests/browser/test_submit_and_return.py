"""Submitting with the board's decision, stadskontoret sending an answer back, and the
whole answer form used with the keyboard alone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from support.browser import assert_accessible, expect, login, respondent_email

from survey.extensions import db
from survey.responses.models import Response, ResponseStatus

pytestmark = pytest.mark.browser

DECIDED = (dt.date.today() - dt.timedelta(days=2)).isoformat()


def status_of(db_read, response_id: int) -> ResponseStatus:
    return db_read(lambda: db.session.scalar(select(Response.status).filter_by(id=response_id)))


def test_a_mistyped_case_number_gets_a_suggestion_and_a_good_one_submits(
        new_page, site, db_read):
    page = new_page(bypass_csp=True)
    response_id = site.ids["submit"]
    login(page, respondent_email("SBN"))
    page.goto(f"/svar/{response_id}")
    page.get_by_role("link", name="Skicka in svaret").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skicka in svaret")

    page.get_by_label("Beslutande organ").select_option(label="Nämnd")
    page.get_by_label("Beslutsdatum").fill(DECIDED)
    page.get_by_label("Diarienummer").fill("STK 2018-74")
    page.get_by_role("button", name="Skicka in").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Diarienumret har fel form. Menade du STK-2018-74?")
    case_number = page.get_by_label("Diarienummer")
    expect(case_number).to_have_attribute("aria-invalid", "true")
    expect(case_number).to_have_value("STK 2018-74")
    assert status_of(db_read, response_id) == ResponseStatus.DRAFT
    assert_accessible(page, "submit page with errors")

    case_number.fill("STK-2018-74")
    page.get_by_role("button", name="Skicka in").click()
    expect(page.get_by_role("status").filter(has_text="Svaret är inskickat.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("STK-2018-74")
    assert status_of(db_read, response_id) == ResponseStatus.SUBMITTED


def test_an_analyst_sends_an_answer_back_and_the_respondent_sees_why(new_page, site, db_read):
    reason = "Fråga 2 saknar stadsövergripande utmaningar. Komplettera gärna med exempel."
    analyst = new_page()
    login(analyst, "analytiker@example.org")
    analyst.get_by_role("link", name="Svarsstatus").click()
    expect(analyst.get_by_role("heading", level=1)).to_contain_text("Svarsstatus")
    analyst.get_by_role("link", name="Skicka tillbaka svaret från Miljönämnden").click()
    expect(analyst.get_by_role("heading", level=1)).to_have_text(
        "Skicka tillbaka svar för komplettering")
    analyst.get_by_label("Anledning").fill(reason)
    analyst.get_by_role("button", name="Skicka tillbaka").click()
    expect(analyst.locator(".flashes")).to_contain_text(
        "Svaret från Miljönämnden är återsänt för komplettering.")
    assert status_of(db_read, site.ids["to_return"]) == ResponseStatus.RETURNED

    respondent = new_page(bypass_csp=True)
    login(respondent, respondent_email("MN"))
    respondent.get_by_role("link", name=re.compile("^Fortsätt svara")).first.click()
    notice = respondent.get_by_role("region", name="Svaret har skickats tillbaka för komplettering")
    expect(notice).to_contain_text(reason)
    expect(notice).to_contain_text("Analytiker, stadskontoret")
    assert_accessible(respondent, "answer form of a returned response")


# --- the keyboard alone ------------------------------------------------------------------

def focused(page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, backwards: bool = False, limit: int = 200) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches the selector."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} was never reached with {key}")


def date_keys(page, iso: str) -> str:
    """What a person types for the date in the browser's own date layout.

    Chromium lays out <input type=date> by its UI language: yyyy-mm-dd in Swedish,
    mm/dd/yyyy in the en-US build Debian ships without chromium-l10n. A probe input on a
    blank page tells which.
    """
    probe = page.context.new_page()
    probe.set_content('<input type="date" id="probe">')
    probe.focus("#probe")
    probe.keyboard.type("02/01/2003")
    layout = probe.input_value("#probe")
    probe.close()
    year, month, day = iso.split("-")
    return {"2003-02-01": f"{month}/{day}/{year}",
            "2003-01-02": f"{day}/{month}/{year}"}.get(layout, iso)


def test_the_answer_can_be_written_and_submitted_with_the_keyboard_alone(
        new_page, site, db_read):
    page = new_page()
    response_id = site.ids["keyboard"]
    page.goto("/logga-in")
    tab_to(page, "input[type=email]")
    page.keyboard.type(respondent_email("TEATER"))
    page.keyboard.press("Tab")
    page.keyboard.type("malmo-demo-2024")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Malmö Stadsteater AB")

    tab_to(page, f'a[href$="/svar/{response_id}"]')
    page.keyboard.press("Enter")
    expect(page.locator("#answer-form")).to_be_visible()

    answers = ["Styrelsen har beslutat om en plan för jämställdhet och tillgänglighet.",
               "Möjligheter finns i samarbete med andra bolag; utmaningen är resurser."]
    for question_id, text in zip(site.ids["questions"], answers, strict=True):
        tab_to(page, f"#question-{question_id} textarea")
        page.keyboard.type(text)
    tab_to(page, f"#question-{site.ids['questions'][0]} textarea", backwards=True)
    page.keyboard.type(" Planen följs upp årligen.")
    answers[0] += " Planen följs upp årligen."

    # The first component's maturity level: Tab into the radio group, Space, then arrows.
    tab_to(page, 'input[type=radio][name^="level-"]')
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    checked = page.locator('input[type=radio][name^="level-"]:checked')
    expect(checked).to_have_count(1)
    expect(checked).to_have_value("2")
    expect(checked).to_be_focused()

    tab_to(page, "#rights-areas input[type=checkbox]")
    page.keyboard.press("Space")
    expect(page.locator("#rights-areas input[type=checkbox]").first).to_be_checked()
    for status in page.locator("[data-status]").all():
        expect(status).not_to_have_text(re.compile("Sparar|Inte sparat|Kunde inte|session"))
    expect(page.locator("#rights-areas [data-status]")).to_have_text(
        re.compile(r"^Sparat \d{2}:\d{2}$"))
    for question_id in site.ids["questions"]:
        expect(page.locator(f"#question-{question_id} [data-status]")).to_have_text(
            re.compile(r"^Sparat \d{2}:\d{2}$"))

    tab_to(page, "a[href$=skicka-in]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skicka in svaret")
    tab_to(page, "select")
    page.keyboard.type("Styrelse")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Beslutande organ")).to_have_value("styrelse")
    expect(page.get_by_label("Beslutsdatum")).to_be_focused()
    page.keyboard.type(date_keys(page, DECIDED))
    expect(page.get_by_label("Beslutsdatum")).to_have_value(DECIDED)
    tab_to(page, "input[name=case_number]")
    page.keyboard.type("MST-2024-12")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Svaret är inskickat.")).to_be_visible()

    assert status_of(db_read, response_id) == ResponseStatus.SUBMITTED
    page.goto(f"/svar/{response_id}/visa")
    for text in answers:
        expect(page.locator("main")).to_contain_text(text)
    expect(page.locator("tbody tr").first.locator("td").first).to_have_text("2 – Påbörjat")
    expect(page.locator("main")).to_contain_text("MST-2024-12")
