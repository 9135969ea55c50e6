"""Autosave: JSON saves of one field, versions and revisions, expired sessions and tokens."""

from __future__ import annotations

from itsdangerous.timed import TimestampSigner
from sqlalchemy import select
from support.answering import answer, autosave, load, question_ids, start

from survey.extensions import db
from survey.reference.models import RightsArea


def test_autosave_saves_and_reload_shows_text(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    text = "Vi har en handlingsplan för barnets rättigheter."
    reply = autosave(client, rid, f"answer-{q1}", text, 0)
    assert reply.status_code == 200
    body = reply.get_json()
    assert body["ok"] is True and body["version"] == 1
    assert body["saved_label"].startswith("Sparat ") and body["saved_at"]
    assert body["warnings"] == []
    page = client.get(f"/svar/{rid}").get_data(as_text=True)
    assert "Vi har en handlingsplan för barnets rättigheter." in page
    assert f'name="version-{q1}" value="1"' in page
    assert "7 ord" in page


def test_autosave_increments_version_and_stores_revision(client, auth, make_round):
    user = auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    assert autosave(client, rid, f"answer-{q1}", "Första", 0).get_json()["version"] == 1
    assert autosave(client, rid, f"answer-{q1}", "Andra", 1).get_json()["version"] == 2
    saved = answer(rid, q1)
    assert saved.text == "Andra" and saved.version == 2
    assert [(r.version, r.text, r.user_id) for r in saved.revisions] == [
        (2, "Andra", user.id), (1, "Första", user.id)]


def test_autosave_self_assessment_and_rights_areas(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    reply = autosave(client, rid, "self-MAL", {"level": 3, "evidence": "Handlingsplan antagen."}, 0)
    assert reply.status_code == 200 and reply.get_json()["version"] == 1
    areas = list(db.session.scalars(select(RightsArea).order_by(RightsArea.position)))[:2]
    reply = autosave(client, rid, "rights-areas", [a.id for a in areas], 0)
    assert reply.status_code == 200 and reply.get_json()["version"] == 1
    response = load(rid)
    mal = next(s for s in response.self_assessments if s.component.code == "MAL")
    assert (mal.level, mal.evidence) == (3, "Handlingsplan antagen.")
    assert [a.id for a in response.rights_areas] == [a.id for a in areas]
    page = client.get(f"/svar/{rid}").get_data(as_text=True)
    assert 'id="level-MAL-3" name="level-MAL" value="3" checked' in page
    first = areas[0].id
    assert f'id="rights-area-{first}" name="rights_area" value="{first}" checked' in page


def test_autosave_of_overlong_answer_is_refused_with_message(app, client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    app.config["MAX_ANSWER_LENGTH"] = 20
    reply = autosave(client, rid, f"answer-{q1}", "x" * 25, 0)
    assert reply.status_code == 422
    body = reply.get_json()
    assert body["error"] == "invalid"
    assert "högst 20 tecken" in body["message"] and "Texten är kvar i fältet" in body["message"]
    assert answer(rid, q1).text == ""


def test_autosave_warns_about_personal_data(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    reply = autosave(client, rid, f"answer-{q1}", "Kontakta anna@example.org eller 811218-9876.", 0)
    assert reply.status_code == 200  # a warning, never a block
    warnings = reply.get_json()["warnings"]
    assert any("Texten verkar innehålla ett personnummer" in w for w in warnings)
    assert any("e-postadress" in w for w in warnings)


def test_autosave_with_bad_csrf_token_answers_json_and_keeps_text(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    assert autosave(client, rid, f"answer-{q1}", "Sparad text", 0).status_code == 200
    reply = autosave(client, rid, f"answer-{q1}", "Ny text", 1,
                     headers={"X-CSRFToken": "manipulerad-token"})
    assert reply.status_code == 400
    assert reply.get_json()["error"] == "csrf"
    assert answer(rid, q1).text == "Sparad text"  # nothing lost, nothing half-saved
    token = client.get("/svar/csrf-token", headers={"Accept": "application/json"})
    assert token.status_code == 200
    reply = autosave(client, rid, f"answer-{q1}", "Ny text", 1,
                     headers={"X-CSRFToken": token.get_json()["token"]})
    assert reply.status_code == 200
    assert answer(rid, q1).text == "Ny text"


def test_autosave_with_expired_csrf_token_then_fresh_token_succeeds(client, auth, make_round,
                                                                    monkeypatch):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    # Nine hours later: the page's token (eight-hour limit) has expired.
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 9 * 3600)
    reply = autosave(client, rid, f"answer-{q1}", "Skrivet under en lång eftermiddag", 0)
    assert reply.status_code == 400 and reply.get_json()["error"] == "csrf"
    assert "texten du skrev finns kvar" in reply.get_json()["message"].lower()
    assert answer(rid, q1).text == ""
    fresh = client.get("/svar/csrf-token", headers={"Accept": "application/json"})
    reply = autosave(client, rid, f"answer-{q1}", "Skrivet under en lång eftermiddag", 0,
                     headers={"X-CSRFToken": fresh.get_json()["token"]})
    assert reply.status_code == 200
    assert answer(rid, q1).text == "Skrivet under en lång eftermiddag"


def test_unauthenticated_autosave_answers_401_json(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    auth.logout()
    reply = autosave(client, rid, f"answer-{q1}", "Text efter utloggning", 0)
    assert reply.status_code == 401
    assert reply.is_json and reply.get_json()["error"] == "login"
    token = client.get("/svar/csrf-token", headers={"Accept": "application/json"})
    assert token.status_code == 401 and token.is_json
    # Logging in again (another tab) and saving once more keeps the text.
    auth.login_as("respondent", "ASN")
    assert autosave(client, rid, f"answer-{q1}", "Text efter utloggning", 0).status_code == 200
    assert answer(rid, q1).text == "Text efter utloggning"


def test_autosave_with_malformed_payload_is_400(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    assert autosave(client, rid, "answer-999999", "x", 0).status_code == 400
    assert autosave(client, rid, "self-MAL", {"level": "hög"}, 0).status_code == 400
    assert autosave(client, rid, f"answer-{question_ids(rid)[0]}", "x", "1").status_code == 400
    assert autosave(client, rid, "self-MAL", {"level": 7, "evidence": ""}, 0).status_code == 422


def test_answer_pages_are_not_cached(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    for url in (f"/svar/{rid}", f"/svar/{rid}/visa", f"/svar/{rid}/utskrift"):
        assert client.get(url).headers["Cache-Control"] == "no-store"
    reply = autosave(client, rid, f"answer-{question_ids(rid)[0]}", "x", 0)
    assert reply.headers["Cache-Control"] == "no-store"


def test_answer_page_loads_the_autosave_script(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    page = client.get(f"/svar/{rid}").get_data(as_text=True)
    assert 'src="/static/js/answer.js"' in page
    assert f'data-autosave-url="/svar/{rid}/autospara"' in page
    assert 'data-token-url="/svar/csrf-token"' in page
    assert "<script>" not in page and "onclick" not in page
    script = client.get("/static/js/answer.js")
    assert script.status_code == 200 and b"localStorage" in script.data
    script.close()
