"""The answer form: what it shows, saving it without JavaScript, and the rescue pages."""

from __future__ import annotations

from sqlalchemy import select
from support.answering import answer, form_data, load, question_ids, start

from survey.extensions import db
from survey.questionnaires.models import RoundStatus
from survey.reference.models import RightsArea


def test_start_confirms_then_creates_the_response(client, auth, make_round):
    round_ = make_round()
    auth.login_as("respondent", "ASN")
    page = client.get(f"/omgangar/{round_.id}/borja")
    assert page.status_code == 200
    assert "Börja svara" in page.get_data(as_text=True)
    rid = start(client, round_)
    assert load(rid).organisation.short_name == "ASN"
    again = client.get(f"/omgangar/{round_.id}/borja")  # already started: straight to the form
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/svar/{rid}")


def test_start_of_a_closed_round_is_refused(client, auth, make_round):
    round_ = make_round(status=RoundStatus.CLOSED)
    auth.login_as("respondent", "ASN")
    reply = client.post(f"/omgangar/{round_.id}/borja", {})
    assert reply.status_code == 302
    assert "inte öppen" in client.get("/").get_data(as_text=True)
    draft = make_round(2025, RoundStatus.DRAFT)
    assert client.get(f"/omgangar/{draft.id}/borja").status_code == 404


def test_edit_page_shows_questions_self_assessment_and_rights_areas(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1, q2 = question_ids(rid)
    page = client.get(f"/svar/{rid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kommunstyrelsen leder, stödjer" in html  # round introduction
    assert "Hur arbetar ni systematiskt" in html and "Anvisning" in html
    assert "Beskriv hur arbetet är organiserat" in html  # guidance
    assert f'<label class="label question-text" for="answer-{q1}">' in html
    assert f'name="answer-{q2}"' in html and f'name="version-{q2}" value="0"' in html
    assert f'aria-describedby="answer-{q1}-hint answer-{q1}-count answer-{q1}-status"' in html
    assert "0 ord" in html
    assert "Skriv inte namn på enskilda personer" in html
    for code in ("MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP"):
        assert f'name="level-{code}"' in html and f'name="evidence-{code}"' in html
        assert f'name="self-version-{code}" value="0"' in html
    assert "3 – Etablerat." in html
    assert "Systematiskt arbete med ansvar, rutiner" in html  # level descriptor
    assert "<summary>Indikatorer för mål och styrning</summary>" in html
    assert "Barnets rättigheter" in html and 'name="rights_area"' in html
    assert 'name="tags_version" value="0"' in html
    assert 'aria-live="polite"' in html


def test_form_post_saves_everything_without_javascript(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1, q2 = question_ids(rid)
    area = db.session.scalar(select(RightsArea).filter_by(name="Jämställdhet"))
    data = form_data(rid, **{
        f"answer-{q1}": "Svar ett\r\nmed två rader", f"answer-{q2}": "Svar två",
        "level-MAL": "2", "evidence-MAL": "Enstaka projekt.", "rights_area": [str(area.id)],
    })
    reply = client.post(f"/svar/{rid}", data)
    assert reply.status_code == 302
    assert answer(rid, q1).text == "Svar ett\nmed två rader" and answer(rid, q1).version == 1
    assert answer(rid, q2).text == "Svar två"
    response = load(rid)
    mal = next(s for s in response.self_assessments if s.component.code == "MAL")
    assert (mal.level, mal.evidence, mal.version) == (2, "Enstaka projekt.", 1)
    assert [a.name for a in response.rights_areas] == ["Jämställdhet"]
    page = client.get(f"/svar/{rid}").get_data(as_text=True)
    assert "Svaret är sparat." in page and "Svar ett\nmed två rader" in page
    # Posting the same form again changes nothing and makes no new revision.
    client.post(f"/svar/{rid}", form_data(rid))
    assert answer(rid, q1).version == 1


def test_overlong_answer_is_refused_and_the_text_kept(app, client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1, q2 = question_ids(rid)
    app.config["MAX_ANSWER_LENGTH"] = 30
    long_text = "Ett mycket långt svar som inte får plats här"
    reply = client.post(f"/svar/{rid}", form_data(rid, **{
        f"answer-{q1}": long_text, f"answer-{q2}": "Kort svar"}))
    html = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert "högst 30 tecken" in html and "Texten är kvar i fältet" in html
    assert f"\n{long_text}</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert answer(rid, q1).text == ""
    assert answer(rid, q2).text == "Kort svar"  # the rest was saved


def test_personal_data_warning_is_shown_after_saving(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    client.post(f"/svar/{rid}", form_data(rid, **{
        f"answer-{q1}": "Ring handläggaren på 070-123 45 67."}))
    page = client.get(f"/svar/{rid}").get_data(as_text=True)
    assert "Texten verkar innehålla ett telefonnummer" in page
    assert answer(rid, q1).text == "Ring handläggaren på 070-123 45 67."  # never blocked


def test_form_post_with_invalid_csrf_token_gives_the_text_back(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    data = form_data(rid, **{f"answer-{q1}": "Två timmars skrivande", "csrf_token": "gammal"})
    reply = client.post(f"/svar/{rid}", data)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "Din text är inte förlorad" in html
    assert "Två timmars skrivande" in html
    assert f'<input type="hidden" name="version-{q1}" value="0">' in html
    assert 'target="_blank"' in html
    assert answer(rid, q1).text == ""
    # The rescue page's own form saves the text once the session is valid again.
    resend = {name: value for name, value in data.items() if name != "csrf_token"}
    assert client.post(f"/svar/{rid}", resend).status_code == 302
    assert answer(rid, q1).text == "Två timmars skrivande"


def test_unauthenticated_form_post_gives_the_text_back(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    data = form_data(rid, **{f"answer-{q1}": "Skrivet medan sessionen gick ut"})
    auth.logout()
    reply = client.post(f"/svar/{rid}", data)
    assert reply.status_code == 401
    html = reply.get_data(as_text=True)
    assert "Skrivet medan sessionen gick ut" in html and "Logga in i en ny flik" in html


def test_unauthenticated_page_redirects_to_login_with_next(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    auth.logout()
    reply = client.get(f"/svar/{rid}")
    assert reply.status_code == 302
    assert f"/logga-in?next=/svar/{rid}" in reply.headers["Location"].replace("%2F", "/")


def test_view_shows_answers_decisions_and_history(client, auth, make_round, app):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    client.post(f"/svar/{rid}", form_data(rid, **{f"answer-{q1}": "Läsbart svar"}))
    page = client.get(f"/svar/{rid}/visa").get_data(as_text=True)
    assert "Läsbart svar" in page and "Självskattning" in page
    assert "Påbörjad" in page  # the event history
    assert "Svaret har inte skickats in ännu." in page
    assert "Skicka tillbaka" not in page
    printed = client.get(f"/svar/{rid}/utskrift").get_data(as_text=True)
    assert "Arbetsmarknads- och socialnämnden" in printed and "Läsbart svar" in printed
    assert "css/print.css" in printed and "Ännu inte inskickat" in printed


def test_analyst_gets_return_button_only_for_submitted_responses(client, auth, make_round, app):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1, q2 = question_ids(rid)
    client.post(f"/svar/{rid}",
                form_data(rid, **{f"answer-{q1}": "Ett", f"answer-{q2}": "Två"}))
    auth.logout()
    auth.login_as("analyst", None)
    assert "Skicka tillbaka" not in client.get(f"/svar/{rid}/visa").get_data(as_text=True)
    auth.logout()
    auth.login_as("respondent", "ASN")
    client.post(f"/svar/{rid}/skicka-in", {"decision_body": "namnd",
                                             "decision_date": "2024-03-05",
                                             "case_number": "ASN-2024-77"})
    auth.logout()
    auth.login_as("analyst", None)
    page = client.get(f"/svar/{rid}/visa").get_data(as_text=True)
    has_endpoint = "status.return_response" in app.view_functions
    assert ("Skicka tillbaka" in page) == has_endpoint
    assert "ASN-2024-77" in page
