"""The look before submitting (issue 14, finding 4): the submit page sums up each question
(answered, and how long), the self-assessed level per component and the rights areas, and
warns, without blocking, when levels or rights areas are missing; each warning links to the
place on the answer page where it can be put right. The page that submits several
development-work reports does the same per report."""

from __future__ import annotations

import html
import re

from sqlalchemy import select
from support.answering import autosave, form_data, load, question_ids, start

from survey.extensions import db
from survey.reference.models import Component, RightsArea

NBSP = "\u00a0"
DECISION = {"decision_body": "namnd", "decision_date": "2024-03-05",
            "case_number": "ASN-2024-1234"}
GRANTS = "redovisning-beviljade-medel"


def _page(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, reply.status_code
    return html.unescape(reply.get_data(as_text=True))


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def _fragments(page: str, rid: int) -> set[str]:
    return set(re.findall(rf'href="/svar/{rid}#([^"]+)"', page))


def _answered(client, auth, make_round, first: str = "Vi arbetar systematiskt.") -> int:
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1, q2 = question_ids(rid)
    autosave(client, rid, f"answer-{q1}", first, 0)
    autosave(client, rid, f"answer-{q2}", "Resurser är en utmaning.", 0)
    return rid


def _codes() -> list[str]:
    return list(db.session.scalars(select(Component.code).order_by(Component.position)))


def test_missing_levels_and_rights_areas_warn_with_links_but_do_not_block(client, auth,
                                                                          make_round):
    rid = _answered(client, auth, make_round)
    page = _page(client, f"/svar/{rid}/skicka-in")

    assert "<h2 id=\"summary-warnings-title\">Kontrollera innan du skickar in</h2>" in page
    assert "Varning: självskattning saknas för 7 av 7 komponenter" in page
    assert "Varning: inga rättighetsområden är valda." in page
    assert "0 av 7 komponenter har en vald mognadsnivå." in page
    assert "Inga rättighetsområden valda." in page
    # Every link of the summary leads to a place that exists on the answer page.
    targets = _fragments(page, rid)
    assert {f"component-{code}" for code in _codes()} | {"rights-areas"} <= targets
    assert targets <= _ids(_page(client, f"/svar/{rid}"))
    assert 'name="case_number"' in page  # warnings, not a block

    reply = client.post(f"/svar/{rid}/skicka-in", DECISION)
    assert reply.status_code == 302 and load(rid).status.value == "submitted"


def test_the_summary_gives_each_answers_length_and_the_chosen_levels_and_areas(client, auth,
                                                                                make_round):
    rid = _answered(client, auth, make_round, first="x" * 1234)
    for code in _codes():
        assert autosave(client, rid, f"self-{code}", {"level": 3, "evidence": ""},
                        0).status_code == 200
    area = db.session.scalars(select(RightsArea).order_by(RightsArea.position)).first()
    assert autosave(client, rid, "rights-areas", [area.id], 0).status_code == 200

    page = _page(client, f"/svar/{rid}/skicka-in")

    assert f"Besvarad, 1{NBSP}234 tecken" in page
    assert "Besvarad, 24 tecken" in page  # "Resurser är en utmaning."
    assert "2 av 2 frågor är besvarade." in page
    assert "7 av 7 komponenter har en vald mognadsnivå." in page
    assert page.count("3 – Etablerat") == 7
    assert f"<li>{area.name}</li>" in page
    assert "Kontrollera innan du skickar in" not in page and "Varning:" not in page


def test_some_levels_missing_names_only_those_components(client, auth, make_round):
    rid = _answered(client, auth, make_round)
    first, *rest = _codes()
    autosave(client, rid, f"self-{first}", {"level": 2, "evidence": ""}, 0)
    page = _page(client, f"/svar/{rid}/skicka-in")
    assert "självskattning saknas för 6 av 7 komponenter" in page
    warning = page.split('id="summary-warnings-title"')[1].split("</div>")[0]
    assert f"#component-{first}" not in warning
    assert all(f"#component-{code}" in warning for code in rest)
    assert "Saknas – ingen nivå vald" in page


def test_a_missing_required_answer_still_blocks_and_the_summary_says_which(client, auth,
                                                                           make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1, q2 = question_ids(rid)
    autosave(client, rid, f"answer-{q1}", "Bara första frågan.", 0)
    page = _page(client, f"/svar/{rid}/skicka-in")
    assert "Svar saknas" in page and 'name="case_number"' not in page
    assert "Inte besvarad (obligatorisk)" in page and "1 av 2 frågor är besvarade." in page
    assert f'href="/svar/{rid}#question-{q2}"' in page  # the blocking list
    assert f'href="/svar/{rid}#answer-{q2}"' in page  # the summary: straight to the field
    assert f'href="/svar/{rid}#answer-{q1}"' not in page  # answered: nothing to fill in
    assert _fragments(page, rid) <= _ids(_page(client, f"/svar/{rid}"))
    client.post(f"/svar/{rid}/skicka-in", DECISION)
    assert load(rid).status.value == "draft"


def test_the_summary_is_a_section_under_the_pages_heading(client, auth, make_round):
    rid = _answered(client, auth, make_round)
    page = _page(client, f"/svar/{rid}/skicka-in")
    headings = re.findall(r"<h([1-6])[^>]*>([^<]*)<", page)
    assert [h for h in headings if h[0] != "1"][:5] == [
        ("2", "Kontrollera innan du skickar in"), ("2", "Sammanfattning"), ("3", "Frågor"),
        ("3", "Självskattning"), ("3", "Rättighetsområden")]
    assert ("2", "Beslut") in headings


def test_hostile_answers_are_summarised_as_text(client, auth, make_round):
    rid = _answered(client, auth, make_round, first="<script>alert(1)</script>\x00" * 3)
    reply = client.get(f"/svar/{rid}/skicka-in")
    assert reply.status_code == 200
    assert "<script>alert(1)" not in reply.get_data(as_text=True)


# --- the development-funds reports: no self-assessment, no rights areas --------------

def _report(client, auth, make_round):
    round_ = make_round(2024, questionnaire=GRANTS)
    auth.login_as("respondent", "ASN")
    rid = start(client, round_)
    return round_, rid, {q.key: q.id for q in load(rid).round.questions}


def test_a_report_is_summarised_without_self_assessment_or_rights_areas(client, auth,
                                                                          make_round):
    _, rid, q = _report(client, auth, make_round)
    data = form_data(rid, **{f"answer-{q['namn']}": "Barnrätt i planeringen",
                             f"answer-{q['beviljat-belopp']}": "202 000"})
    assert client.post(f"/svar/{rid}", data).status_code == 302
    page = _page(client, f"/svar/{rid}/skicka-in")
    assert "2 av 12 frågor är besvarade." in page
    assert "Besvarad: Barnrätt i planeringen" in page
    assert f"Besvarad: 202{NBSP}000{NBSP}kr" in page
    assert "Självskattning" not in page and "Rättighetsområden" not in page
    assert "Kontrollera innan du skickar in" not in page


def test_the_several_reports_page_says_per_report_which_questions_are_answered(client, auth,
                                                                               make_round):
    round_, rid, q = _report(client, auth, make_round)
    data = form_data(rid, **{f"answer-{q['namn']}": "Barnrätt i planeringen"})
    assert client.post(f"/svar/{rid}", data).status_code == 302
    page = _page(client, f"/omgangar/{round_.id}/skicka-in-redovisningar")
    summary = page.split(f'id="report-{rid}-summary">')[1].split("</p>")[0]
    assert summary.startswith("1 av 12 frågor besvarade. Obesvarade:")
    assert f'href="/svar/{rid}#answer-{q["namn"]}"' not in summary
    assert f'href="/svar/{rid}#answer-{q["ansvarig-chef"]}"' in summary
    assert _fragments(summary, rid) <= _ids(_page(client, f"/svar/{rid}"))
