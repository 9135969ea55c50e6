"""Two colleagues of the same organisation editing at once: nothing is silently overwritten."""

from __future__ import annotations

import pytest
from support.answering import answer, autosave, form_data, load, other_browser, question_ids, start


@pytest.fixture
def colleagues(app, client, auth, make_user, make_round):
    """Anna (the `client`) and Bertil (another browser), both respondents of ASN."""
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    bertil = make_user("respondent", "ASN", email="bertil@example.org", name="Bertil Berg")
    return rid, other_browser(app, bertil)


def test_stale_autosave_gets_409_with_both_texts_and_first_text_intact(client, colleagues):
    rid, bertil = colleagues
    q1 = question_ids(rid)[0]
    assert autosave(client, rid, f"answer-{q1}", "Annas text", 0).status_code == 200
    reply = autosave(bertil, rid, f"answer-{q1}", "Bertils text", 0)  # began from version 0
    assert reply.status_code == 409
    body = reply.get_json()
    assert body["conflict"] is True and body["field"] == f"answer-{q1}"
    assert body["your_value"] == "Bertils text"
    assert body["current_value"] == "Annas text"
    assert body["current_version"] == 1
    assert body["updated_by"] == "Test Svarande"
    assert body["updated_at"] and body["updated_label"]
    saved = answer(rid, q1)
    assert (saved.text, saved.version) == ("Annas text", 1)


def test_keep_my_text_saves_on_top_of_the_version_seen(client, colleagues):
    rid, bertil = colleagues
    q1 = question_ids(rid)[0]
    autosave(client, rid, f"answer-{q1}", "Annas text", 0)
    conflict = autosave(bertil, rid, f"answer-{q1}", "Bertils text", 0).get_json()
    reply = autosave(bertil, rid, f"answer-{q1}", "Bertils text", conflict["current_version"])
    assert reply.status_code == 200 and reply.get_json()["version"] == 2
    saved = answer(rid, q1)
    assert saved.text == "Bertils text"
    assert [r.text for r in saved.revisions] == ["Bertils text", "Annas text"]  # both kept


def test_self_assessment_conflict_is_409(client, colleagues):
    rid, bertil = colleagues
    autosave(client, rid, "self-KUN", {"level": 2, "evidence": "Enstaka kartläggningar."}, 0)
    reply = autosave(bertil, rid, "self-KUN", {"level": 3, "evidence": "Data per grupp."}, 0)
    assert reply.status_code == 409
    assert reply.get_json()["current_value"] == {"level": 2,
                                                 "evidence": "Enstaka kartläggningar."}


def test_form_post_conflict_shows_both_texts_and_keeps_posted_text(client, colleagues):
    rid, bertil = colleagues
    q1 = question_ids(rid)[0]
    stale = form_data(rid)  # Bertil opened the page at version 0
    autosave(client, rid, f"answer-{q1}", "Annas text", 0)
    stale[f"answer-{q1}"] = "Bertils text utan skript"
    page = bertil.post(f"/svar/{rid}", stale)
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "Din text" in html and "Sparad av Test Svarande" in html
    assert "Annas text" in html
    assert f'name="answer-{q1}"' in html and "\nBertils text utan skript</textarea>" in html
    assert "Behåll min text" in html and "Använd den sparade texten" in html
    assert f'name="version-{q1}" value="1"' in html  # saving again now is a deliberate choice
    assert answer(rid, q1).text == "Annas text"
    # "Behåll min text" without JS: the form again, with the version just seen.
    stale[f"version-{q1}"] = "1"
    again = bertil.post(f"/svar/{rid}", {**stale, "keep": f"answer-{q1}"})
    assert again.status_code == 302
    assert answer(rid, q1).text == "Bertils text utan skript"


def test_form_post_use_saved_keeps_colleagues_text(client, colleagues):
    rid, bertil = colleagues
    q1, q2 = question_ids(rid)
    stale = form_data(rid)
    autosave(client, rid, f"answer-{q1}", "Annas text", 0)
    stale[f"answer-{q1}"] = "Bertils text"
    stale[f"answer-{q2}"] = "Bertils svar på fråga två"
    reply = bertil.post(f"/svar/{rid}", {**stale, "use_saved": f"answer-{q1}"})
    assert reply.status_code == 302
    assert answer(rid, q1).text == "Annas text"
    assert answer(rid, q2).text == "Bertils svar på fråga två"


def test_untouched_field_with_stale_version_is_no_conflict(client, colleagues):
    rid, bertil = colleagues
    q1, q2 = question_ids(rid)
    autosave(client, rid, f"answer-{q1}", "Annas första text", 0)
    stale = form_data(rid)  # Bertil opens the page at version 1
    autosave(client, rid, f"answer-{q1}", "Annas andra text", 1)
    stale[f"answer-{q2}"] = "Bertil skriver bara i fråga två"
    reply = bertil.post(f"/svar/{rid}", stale)
    assert reply.status_code == 302
    assert answer(rid, q1).text == "Annas andra text"
    assert answer(rid, q2).text == "Bertil skriver bara i fråga två"
    assert load(rid).status.value == "draft"
