"""Submitting with the decision data, validation in Swedish, and read-only afterwards."""

from __future__ import annotations

import datetime as dt

from support.answering import answer, autosave, form_data, load, question_ids, start
from support.clients import PASSWORD, BrowserClient

from survey.extensions import db
from survey.responses.services import return_for_completion


def _answered(client, auth, make_round, both=True):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1, q2 = question_ids(rid)
    autosave(client, rid, f"answer-{q1}", "Vi arbetar systematiskt.", 0)
    if both:
        autosave(client, rid, f"answer-{q2}", "Resurser är en utmaning.", 0)
    return rid


def _decision(**overrides):
    data = {"decision_body": "namnd", "decision_date": "2024-03-05",
            "case_number": "ASN-2024-1234"}
    data.update(overrides)
    return data


def test_submit_lists_missing_answers_with_links(client, auth, make_round):
    rid = _answered(client, auth, make_round, both=False)
    q2 = question_ids(rid)[1]
    page = client.get(f"/svar/{rid}/skicka-in").get_data(as_text=True)
    assert "Svar saknas" in page and "Fråga 2" in page
    assert f'href="/svar/{rid}#question-{q2}"' in page
    assert 'name="case_number"' not in page
    client.post(f"/svar/{rid}/skicka-in", _decision())
    assert load(rid).status.value == "draft"


def test_bad_case_number_suggests_the_corrected_form(client, auth, make_round):
    rid = _answered(client, auth, make_round)
    page = client.post(f"/svar/{rid}/skicka-in", _decision(case_number="STK 2018-74"))
    html = page.get_data(as_text=True)
    assert "Menade du STK-2018-74?" in html
    assert 'value="STK 2018-74"' in html  # what was typed stays in the field
    assert load(rid).status.value == "draft"


def test_invalid_and_future_dates_are_refused_in_swedish(client, auth, make_round):
    rid = _answered(client, auth, make_round)
    page = client.post(f"/svar/{rid}/skicka-in", _decision(decision_date="2024-02-30"))
    assert "Ange ett giltigt datum" in page.get_data(as_text=True)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    page = client.post(f"/svar/{rid}/skicka-in", _decision(decision_date=future))
    assert "Beslutsdatum kan inte ligga i framtiden." in page.get_data(as_text=True)
    page = client.post(f"/svar/{rid}/skicka-in", _decision(decision_body=""))
    assert "Välj vilket organ" in page.get_data(as_text=True)
    assert load(rid).status.value == "draft"


def test_submit_succeeds_then_the_response_is_read_only(client, auth, make_round):
    rid = _answered(client, auth, make_round)
    q1 = question_ids(rid)[0]
    reply = client.post(f"/svar/{rid}/skicka-in", _decision(case_number="ASN-2024-1234"))
    assert reply.status_code == 302 and reply.headers["Location"].endswith(f"/svar/{rid}/visa")
    view = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Svaret är inskickat" in view
    assert "ASN-2024-1234" in view and "2024-03-05" in view and "Nämnd" in view
    response = load(rid)
    assert response.status.value == "submitted"
    assert response.submissions[0].content["answers"][0]["text"] == "Vi arbetar systematiskt."
    # Read-only from now on: the edit page leads to the view, saves are refused.
    edit = client.get(f"/svar/{rid}")
    assert edit.status_code == 302 and edit.headers["Location"].endswith("/visa")
    assert "<textarea" not in client.get(f"/svar/{rid}/visa").get_data(as_text=True)
    late = autosave(client, rid, f"answer-{q1}", "Sen ändring", 1)
    assert late.status_code == 409 and late.get_json()["error"] == "not_editable"
    posted = client.post(f"/svar/{rid}", form_data(rid, **{f"answer-{q1}": "Sen ändring"}))
    assert posted.status_code == 409
    assert "Sen ändring" in posted.get_data(as_text=True)  # given back, not lost
    assert answer(rid, q1).text == "Vi arbetar systematiskt."
    again = client.get(f"/svar/{rid}/skicka-in")
    assert again.status_code == 302


def test_returned_response_shows_reason_and_can_be_edited_again(client, auth, make_round,
                                                                 make_user):
    rid = _answered(client, auth, make_round)
    client.post(f"/svar/{rid}/skicka-in", _decision())
    analyst = make_user("analyst", None)
    return_for_completion(load(rid), analyst, "Beskriv uppföljningen av målen tydligare.")
    db.session.commit()
    edit = client.get(f"/svar/{rid}")
    assert edit.status_code == 200
    assert "Beskriv uppföljningen av målen tydligare." in edit.get_data(as_text=True)
    view = client.get(f"/svar/{rid}/visa").get_data(as_text=True)
    assert "skickats tillbaka för komplettering" in view
    assert "Beskriv uppföljningen av målen tydligare." in view


def test_analyst_cannot_submit(client, auth, make_round):
    rid = _answered(client, auth, make_round)
    auth.logout()
    auth.login_as("analyst", None)
    assert client.get(f"/svar/{rid}/skicka-in").status_code == 403
    assert client.post(f"/svar/{rid}/skicka-in", _decision()).status_code == 403
    assert load(rid).status.value == "draft"


# --- decision data (issue 12, finding 6) ---------------------------------------------

def _submission(rid):
    response = load(rid)
    return response.submissions[0] if response.submissions else None


def test_arabic_indic_digits_are_refused_and_the_ascii_form_suggested(client, auth,
                                                                      make_round):
    rid = _answered(client, auth, make_round)
    page = client.post(f"/svar/{rid}/skicka-in", _decision(case_number="ASN-٢٠٢٤-15"))
    html = page.get_data(as_text=True)
    assert "Diarienumret får bara ha bokstäverna A–Ö och siffrorna 0–9, inte ٢ ٠ ٤." in html
    assert "Menade du ASN-2024-15?" in html
    assert "Menade du ASN-٢٠٢٤-15" not in html
    assert load(rid).status.value == "draft"


def test_superscript_and_fullwidth_digits_are_refused(client, auth, make_round):
    rid = _answered(client, auth, make_round)
    for typed in ("ASN-²⁰²⁴-15", "ASN-２０２４-15"):
        html = client.post(f"/svar/{rid}/skicka-in",
                           _decision(case_number=typed)).get_data(as_text=True)
        assert "Menade du ASN-2024-15?" in html
        assert load(rid).status.value == "draft"


def test_a_running_number_with_leading_zeros_is_stored_as_typed(client, auth, make_round):
    """Issue 12 changed the rule: `ASN-2024-0074` used to be refused (and `asn 2024 074`
    suggested without the zero); zeros are now part of the number as registered."""
    rid = _answered(client, auth, make_round)
    html = client.post(f"/svar/{rid}/skicka-in",
                       _decision(case_number="asn 2024 074")).get_data(as_text=True)
    assert "Menade du ASN-2024-074?" in html
    reply = client.post(f"/svar/{rid}/skicka-in", _decision(case_number="ASN-2024-0074"))
    assert reply.status_code == 302
    assert _submission(rid).case_number == "ASN-2024-0074"


def test_a_decision_before_the_year_before_the_round_is_refused(client, auth, make_round):
    rid = _answered(client, auth, make_round)  # the round asks about 2024
    page = client.post(f"/svar/{rid}/skicka-in", _decision(decision_date="2022-12-31"))
    assert ("Beslutsdatum kan inte ligga före 2023-01-01 i omgången för 2024."
            in page.get_data(as_text=True))
    assert load(rid).status.value == "draft"
    reply = client.post(f"/svar/{rid}/skicka-in", _decision(decision_date="2023-01-01"))
    assert reply.status_code == 302
    assert _submission(rid).decision_date == dt.date(2023, 1, 1)


def test_another_registry_code_warns_but_submits(client, auth, make_round):
    rid = _answered(client, auth, make_round)
    form = client.get(f"/svar/{rid}/skicka-in").get_data(as_text=True)
    assert "Kända diariekoder för Arbetsmarknads- och socialnämnden: ASN." in form
    reply = client.post(f"/svar/{rid}/skicka-in", _decision(case_number="GSN-2024-15"))
    assert reply.status_code == 302
    assert _submission(rid).case_number == "GSN-2024-15"
    view = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert ("Diarienumrets kod GSN hör inte till nämndens kända diariekoder (ASN). "
            "Kontrollera att numret är rätt." in view)
    assert 'class="flash flash-warning"' in view


def test_the_own_registry_code_gives_no_warning(client, auth, make_round):
    rid = _answered(client, auth, make_round)
    reply = client.post(f"/svar/{rid}/skicka-in", _decision(case_number="ASN-2024-15"))
    view = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Svaret är inskickat" in view and "kända diariekoder" not in view


def test_the_warning_follows_the_codes_an_admin_edits(app, client, auth, make_round,
                                                      make_user, organisation):
    asn = organisation("ASN")
    admin = BrowserClient(app.test_client())
    make_user("admin", None, email="admin-codes@example.org")
    assert admin.post("/logga-in", {"email": "admin-codes@example.org",
                                 "password": PASSWORD}).status_code == 302
    edit = admin.get(f"/admin/organisationer/{asn.id}/andra").get_data(as_text=True)
    assert "Diariekoder" in edit and 'value="ASN"' in edit
    fields = {"name": asn.name, "short_name": "ASN", "kind": "namnd",
              "valid_from": asn.valid_from.isoformat(), "valid_to": ""}
    refused = admin.post(f"/admin/organisationer/{asn.id}/andra",
                         {**fields, "registry_codes": "ASN, ASN2"})
    assert "ASN2 är ingen diariekod" in refused.get_data(as_text=True)
    saved = admin.post(f"/admin/organisationer/{asn.id}/andra",
                       {**fields, "registry_codes": "asn gsn"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert organisation("ASN").registry_codes == "ASN, GSN"

    rid = _answered(client, auth, make_round)
    reply = client.post(f"/svar/{rid}/skicka-in", _decision(case_number="GSN-2024-15"))
    view = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Svaret är inskickat" in view and "kända diariekoder" not in view
