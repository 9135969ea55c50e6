"""Issue 4 in the browser: an analyst scores a submitted demo response end to end (reads the
suggestions, accepts one, marks a passage, sets levels, finishes), publishes the round, and
the organisation's respondent sees the feedback; another organisation's respondent gets 404.

The scenario uses HVON's 2023 response, which no other browser scenario touches. A second
scenario adds and removes a quote without JavaScript, on BOPLATS's 2023 response.
"""

from __future__ import annotations

import re

import pytest
from support.browser import assert_accessible, expect, login, respondent_email

pytestmark = pytest.mark.browser

ANALYST = "analytiker@example.org"
#: Levels set in the browser; HVON assessed itself MAL 1, KUN 2, KOM 2, MET 2, SAM 2, KSP 1, UPP 1.
LEVELS = {"MAL": 2, "KUN": 2, "KOM": 1, "MET": 2, "SAM": 2, "KSP": 1, "UPP": 1}
MAL_JUSTIFICATION = "Målen finns i verksamhetsplanen men följs inte upp systematiskt."

#: Select characters [start, end) of the first plain (unmarked) text stretch of at least 40
#: characters in an answer, as a mouse would, and fire the mouseup that scoring.js listens to.
SELECT_PASSAGE = """() => {
  for (const box of document.querySelectorAll('[data-answer-id]')) {
    for (const node of box.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      const text = node.textContent;
      const start = text.search(/\\S/);
      if (start < 0 || text.length - start < 40) continue;
      const end = text.lastIndexOf(' ', start + 40);
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      const rect = range.getBoundingClientRect();
      for (const type of ['mousedown', 'mouseup']) {
        box.dispatchEvent(new MouseEvent(type, {bubbles: true, clientX: rect.right,
                                                clientY: rect.bottom}));
      }
      return {answerId: box.getAttribute('data-answer-id'), text: range.toString()};
    }
  }
  return null;
}"""


#: The browser logs the 404 responses this test expects as console errors.
EXPECTED_404 = re.compile(r"^Failed to load resource: .* status of 404")


def _watch_console(page, errors: list) -> None:
    """Every console error (the shared check only catches CSP ones)."""
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" and not EXPECTED_404.search(message.text) else None)


def test_an_analyst_scores_a_response_and_the_organisation_sees_it_after_publishing(
        new_page, site, db_read):
    response_id, round_id = site.ids["score"], site.ids["closed_round"]
    assess_url, feedback_url = f"/bedomning/svar/{response_id}", \
        f"/aterkoppling/svar/{response_id}"
    console: list[str] = []
    page = new_page()  # CSP enforced: the flow itself runs under the real policy
    _watch_console(page, console)
    login(page, ANALYST)
    axe_page = new_page(bypass_csp=True)  # axe is injected, so its page bypasses CSP
    login(axe_page, ANALYST)

    # Before publishing, the respondent sees nothing of the assessment.
    respondent = new_page()
    _watch_console(respondent, console)
    login(respondent, respondent_email("HVON"))

    # 1. The suggestions panel: accept the first suggestion as evidence.
    page.goto(assess_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bedömning:")
    # The analyst's rights areas start from the organisation's own, shown beside them.
    rights = page.locator("#assess-rights-areas")
    given = rights.locator("td[data-organisation='yes']")
    expect(given.first).to_be_attached()
    expect(rights.locator("input[name='rights_area']:checked")).to_have_count(given.count())
    expect(rights.locator("#rights-area-differences")).to_have_count(0)
    suggestions = page.locator("details.suggestions").first
    expect(suggestions).to_be_attached()
    suggestions.locator("summary").click()
    first = suggestions.locator("li.suggestion").first
    expect(first.locator(".badge-suggestion")).to_have_text("Förslag")
    suggested_text = first.locator("blockquote").inner_text()
    component_id = suggestions.evaluate("d => d.closest('fieldset.assess-component').id")
    first.get_by_role("button", name=re.compile("^Använd som belägg")).click()
    expect(page.locator(".flash")).to_contain_text(
        "Förslaget är sparat som belägg.")
    accepted = page.locator(f"#{component_id} ul.quote-list li")
    expect(accepted.first).to_contain_text(suggested_text.strip()[:30])
    expect(accepted.first).to_contain_text("från förslag")
    _expect_back_at(page, component_id)  # not at the top of the page (issue 14)

    # 2. Mark a passage with the mouse's selection and use it as evidence for knowledge.
    expect(page.locator("#quote-toolbar")).to_be_hidden()
    selected = page.evaluate(SELECT_PASSAGE)
    assert selected and len(selected["text"]) > 20, selected
    toolbar = page.locator("#quote-toolbar")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name=re.compile("^Använd som belägg för kunskap")).click()
    expect(page.locator(".flash")).to_contain_text("Belägget är sparat.")
    knowledge_quotes = page.locator("#component-KUN ul.quote-list blockquote")
    expect(knowledge_quotes).to_have_text([selected["text"]])
    _expect_back_at(page, "component-KUN")
    # Chromium focuses a focusable fragment target by itself; scoring.js does it too, for
    # browsers that only scroll there. Its part alone: focus elsewhere, then a hashchange.
    page.evaluate("() => { document.activeElement.blur();"
                  " window.dispatchEvent(new HashChangeEvent('hashchange')); }")
    page.wait_for_function(
        "() => document.activeElement === document.getElementById('component-KUN')")
    expect(page.locator(f"#answer-text-{selected['answerId']} mark").filter(
        has_text=selected["text"][:20])).to_have_count(1)
    stored = db_read(lambda: _quotes(response_id))
    assert (selected["text"], "KUN", False) in stored
    assert any(from_suggestion for _, _, from_suggestion in stored)

    # axe: the assessment page with a quote, a suggestion used and suggestions shown.
    axe_page.goto(assess_url)
    expect(axe_page.locator("details.suggestions").first).to_be_attached()
    assert_accessible(axe_page, "assessment page with quotes and suggestions")

    # 3. Levels for all seven components, by keyboard for the first one.
    _tab_until(page, "input[name='level-MAL']:checked")
    for _ in range(LEVELS["MAL"] + 1):  # none -> 0 -> 1 -> 2
        page.keyboard.press("ArrowDown")
    expect(page.locator("#level-MAL-2")).to_be_checked()
    for code, level in LEVELS.items():
        if code != "MAL":
            page.locator(f"#level-{code}-{level}").check()
        page.locator(f"#justification-{code}").fill(
            MAL_JUSTIFICATION if code == "MAL" else f"Motivering för {code}.")
    page.get_by_role("button", name="Spara", exact=True).first.click()
    expect(page.locator(".flash")).to_contain_text("Bedömningen är sparad.")
    expect(page.locator("#level-MAL-2")).to_be_checked()
    expect(page.locator("#justification-MAL")).to_have_value(MAL_JUSTIFICATION)

    # 4. "Markera som klar", reached and pressed by keyboard.
    page.get_by_role("button", name="Spara", exact=True).first.focus()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Markera som klar")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Bedömningen är markerad som klar.")
    expect(page.get_by_role("button", name="Öppna för ändringar")).to_be_visible()
    assert db_read(lambda: _status(response_id)) == "done"

    # Not published yet: the respondent gets 404 and no link.
    assert respondent.goto(feedback_url).status == 404
    respondent.goto(f"/svar/{response_id}/visa")
    expect(respondent.get_by_role("link", name="Se stadskontorets bedömning")).to_have_count(0)
    respondent.goto("/")
    expect(respondent.locator(f"a[href='{feedback_url}']")).to_have_count(0)

    # 5. Publish the round's assessments.
    page.goto(f"/samstammighet/omgangar/{round_id}")
    page.get_by_role("link", name="Publicera bedömningarna för organisationerna").click()
    page.get_by_role("button", name="Publicera bedömningarna").click()  # the confirmation
    expect(page.locator(".flash")).to_contain_text("Bedömningarna är publicerade")
    expect(page.get_by_role("button", name="Återkalla publiceringen")).to_be_visible()
    axe_page.goto(f"/samstammighet/omgangar/{round_id}")
    assert_accessible(axe_page, "agreement round page, published")

    # 6. The respondent of HVON finds the feedback from the response's page, and from the
    # start page's section (issue 14).
    respondent.goto(f"/svar/{response_id}/visa")
    respondent.get_by_role("link", name="Se stadskontorets bedömning").click()
    respondent.wait_for_url(re.compile(re.escape(feedback_url) + "$"))
    respondent.goto("/")
    section = respondent.get_by_role("region", name="Stadskontorets återkoppling")
    section.locator(f"a[href='{feedback_url}']").click()
    respondent.wait_for_url(re.compile(re.escape(feedback_url) + "$"))
    main = respondent.locator("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Stadskontorets bedömning")
    table = main.locator("table")
    mal_row = table.locator("tr", has=respondent.locator("th", has_text="Mål och styrning"))
    expect(mal_row.first).to_contain_text("2 Påbörjat")
    expect(mal_row.first).to_contain_text("+1 jämfört med er självskattning")
    kom_row = table.locator("tr", has=respondent.locator(
        "th", has_text="Kompetenshöjande insatser"))
    expect(kom_row.first).to_contain_text("−1 jämfört med er självskattning")
    expect(table).to_contain_text("Samma som er självskattning")
    expect(main).to_contain_text(MAL_JUSTIFICATION)
    expect(main.locator("blockquote.evidence-quote", has_text=selected["text"])).to_have_count(1)
    expect(main).to_contain_text("Mognadsindex")

    respondent_axe = new_page(bypass_csp=True)
    login(respondent_axe, respondent_email("HVON"))
    respondent_axe.goto(feedback_url)
    assert_accessible(respondent_axe, "feedback page")
    respondent_axe.goto("/")
    expect(respondent_axe.locator("#feedback")).to_be_visible()
    assert_accessible(respondent_axe, "respondent start page with feedback")

    # 7. Another organisation's respondent gets 404 on that feedback page.
    other = new_page()
    login(other, respondent_email("GSN"))
    response = other.goto(feedback_url)
    assert response.status == 404
    expect(other.locator("main")).not_to_contain_text(MAL_JUSTIFICATION)

    assert not console, f"console errors: {console}"


def test_without_javascript_a_quote_returns_to_its_component(new_page, site):
    """Issue 14, finding 2, without JavaScript: the redirect's fragment scrolls the page to
    the component the quote was added to or removed from, and Tab goes on from there."""
    url = f"/bedomning/svar/{site.ids['quote_without_script']}"
    page = new_page(javascript=False)
    login(page, ANALYST)
    page.goto(url)
    manual = page.locator("details.manual-quote").first
    manual.locator("summary").click()
    manual.get_by_label("Från tecken").fill("0")
    manual.get_by_label("Till tecken").fill("25")
    manual.get_by_label("Belägg för").select_option("MET")
    manual.get_by_role("button", name="Använd som belägg").click()
    expect(page.locator(".flash")).to_contain_text("Belägget är sparat.")
    section = page.locator("#component-MET")
    expect(section.locator("ul.quote-list li")).to_have_count(1)
    _expect_scrolled_to(page, "component-MET")

    section.get_by_role("button", name=re.compile("^Ta bort")).click()
    expect(page.locator(".flash")).to_contain_text("Belägget är borttaget.")
    expect(section.locator("ul.quote-list")).to_have_count(0)
    _expect_scrolled_to(page, "component-MET")


def _expect_scrolled_to(page, section_id: str) -> None:
    """The page was sent to #section_id: scrolled down to that section, and the next Tab
    lands inside it (the fragment moves the focus, or at least Tab's starting point)."""
    page.wait_for_url(re.compile(f"#{section_id}$"))
    expect(page.locator(f"#{section_id}")).to_be_in_viewport()
    assert page.evaluate("() => window.scrollY") > 0
    page.keyboard.press("Tab")
    assert page.evaluate("id => document.getElementById(id).contains(document.activeElement)",
                         section_id), page.evaluate("() => document.activeElement.outerHTML")


def _expect_back_at(page, section_id: str) -> None:
    """After a quote, the page is scrolled down to the quote's section and scoring.js has put
    the focus on it (so screen readers and the keyboard go on from there)."""
    page.wait_for_url(re.compile(f"#{section_id}$"))
    page.wait_for_function(
        "id => document.activeElement === document.getElementById(id)", arg=section_id)
    expect(page.locator(f"#{section_id}")).to_be_in_viewport()
    assert page.evaluate("() => window.scrollY") > 0


def _tab_until(page, selector: str, limit: int = 150) -> None:
    """Press Tab from the top of the page until the element matching selector has focus."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def _quotes(response_id: int) -> list[tuple[str, str, bool]]:
    from sqlalchemy import select

    from survey.assessments.models import Assessment, EvidenceQuote
    from survey.extensions import db

    rows = db.session.execute(
        select(EvidenceQuote).join(Assessment).where(Assessment.response_id == response_id))
    return [(q.text, q.component.code if q.component else None, q.from_suggestion)
            for (q,) in rows]


def _status(response_id: int) -> str:
    from sqlalchemy import select

    from survey.assessments.models import Assessment
    from survey.extensions import db

    return db.session.scalar(
        select(Assessment.status).where(Assessment.response_id == response_id)).value
