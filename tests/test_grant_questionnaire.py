"""The follow-up report of granted development funds: its definition, and a respondent
filling it in through the answer form (form post and autosave), the read-only pages and the
submission, with the multiple-choice areas, the grant year and the amounts."""

from __future__ import annotations

import html

import pytest
from support.answering import answer, autosave, form_data, load, start

from survey.questionnaires.definitions import get_definition
from survey.questionnaires.models import QuestionType
from survey.questionnaires.question_types import AMOUNT_EXAMPLE, YEAR_EXAMPLE

KEY = "redovisning-beviljade-medel"
NBSP = "\u00a0"
AREAS = ["Jämställdhet", "Antidiskriminering", "Barnrätt", "Nationella minoriteter"]
# (key, type, text): the template's questions verbatim (seeds 001 and 003) and the added ones.
QUESTIONS = [
    ("namn", QuestionType.SHORT_TEXT, "Utvecklingsarbetets namn"),
    ("omraden", QuestionType.MULTI_CHOICE, "Vilket eller vilka områden beviljades medlen för?"),
    ("beviljat-ar", QuestionType.YEAR, "År då medlen beviljades"),
    ("maluppfyllelse", QuestionType.LONG_TEXT, "Utvecklingsarbetets måluppfyllelse"),
    ("forankring", QuestionType.LONG_TEXT,
     "Hur har utvecklingsarbetet förankrats i den aktuella nämnden/bolaget/föreningen?"),
    ("tidigare-erfarenheter", QuestionType.LONG_TEXT,
     "På vilket sätt har tidigare erfarenheter från arbetet med jämställdhet, "
     "antidiskriminering och barnrätt använts i utvecklingsarbetet?"),
    ("tillvarata", QuestionType.LONG_TEXT,
     "Hur kommer nämnden att tillvarata de erfarenheter som gjorts i samband med "
     "utvecklingsarbetet?"),
    ("resultat-budget", QuestionType.LONG_TEXT,
     "Vilket är resultatet i förhållande till utvecklingsarbetets budget?"),
    ("beviljat-belopp", QuestionType.AMOUNT, "Beviljat belopp"),
    ("anvant-belopp", QuestionType.AMOUNT, "Använt belopp"),
    ("ansvarig-chef", QuestionType.SHORT_TEXT, "Underskrift ansvarig chef"),
    ("underskrift-datum", QuestionType.DATE, "Datum för underskrift"),
]


def test_the_definition_has_the_templates_questions_in_order():
    definition = get_definition(KEY)
    assert not definition.self_assessment and not definition.rights_areas
    assert "en redovisning per utvecklingsarbete" in definition.introduction
    assert "kommunstyrelsen" in definition.introduction
    assert [(q.key, q.type, q.text) for q in definition.questions] == QUESTIONS
    assert [q.order for q in definition.questions] == list(range(1, 13))
    areas = next(q for q in definition.questions if q.key == "omraden")
    assert list(areas.choices) == AREAS
    required = {q.key for q in definition.questions if q.required}
    assert {"namn", "omraden", "beviljat-ar", "beviljat-belopp", "anvant-belopp",
            "ansvarig-chef", "underskrift-datum"} <= required


def test_a_round_copies_every_question(make_round):
    round_ = make_round(year=2018, questionnaire=KEY)
    assert round_.questionnaire_key == KEY
    assert round_.title == "Redovisning av beviljade utvecklingsmedel 2018"
    assert not round_.self_assessment and not round_.rights_areas
    assert [(q.key, q.qtype, q.text) for q in round_.questions] == QUESTIONS
    assert round_.questions[1].choices == AREAS


@pytest.fixture
def report(client, auth, make_round):
    """ASN's respondent's started report in an open round; (response id, ids by key).
    2024: the seeded organisations are valid from 2022 (the 2018 seeds need that changed)."""
    round_ = make_round(year=2024, questionnaire=KEY)
    auth.login_as("respondent", "ASN")
    rid = start(client, round_)
    return rid, {q.key: q.id for q in load(rid).round.questions}


def _page(client, url):
    reply = client.get(url)
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def test_areas_render_as_checkboxes_in_a_fieldset_and_the_year_as_a_numeric_input(client,
                                                                                  report):
    rid, q = report
    page = _page(client, f"/svar/{rid}")
    areas, year = f"answer-{q['omraden']}", f"answer-{q['beviljat-ar']}"
    assert f'<fieldset class="choice-group" id="{areas}-group"' in page
    assert ('<legend class="question-text">Vilket eller vilka områden beviljades medlen för?'
            '</legend>') in page
    for index, area in enumerate(AREAS, start=1):
        box = areas if index == 1 else f"{areas}-{index}"
        assert f'<input type="checkbox" id="{box}" name="{areas}" value="{area}">' in page
        assert f'<label for="{box}">{area}</label>' in page
    assert f'<input type="hidden" name="{areas}" value="">' in page
    assert f'data-field="{areas}" data-kind="multi" data-qtype="multi_choice"' in page
    assert (f'id="{year}" name="{year}" class="answer-input answer-line answer-year" '
            'type="text" inputmode="numeric" autocomplete="off" value=""') in page
    assert "Årtal med fyra siffror, till exempel 2018." in page
    assert "Vid vilken nämnd" not in page  # answered by the response's organisation


def _post(client, rid, q, **answers):
    data = form_data(rid, **{f"answer-{q[key]}": value for key, value in answers.items()})
    return client.post(f"/svar/{rid}", data)


def test_a_saved_report_is_stored_normalised_and_shown_in_swedish(client, report):
    rid, q = report
    reply = _post(client, rid, q, **{
        "namn": "HBtQ-certifiering", "omraden": ["Barnrätt", "Jämställdhet", ""],
        "beviljat-ar": " 2018 ", "beviljat-belopp": "400 000", "anvant-belopp": "167 tkr",
        "underskrift-datum": "5/3/2019"})
    assert reply.status_code == 302
    stored = {key: answer(rid, q[key]).text for key in q}
    assert stored["omraden"] == "Jämställdhet\nBarnrätt"  # the options' order
    assert (stored["beviljat-ar"], stored["beviljat-belopp"], stored["anvant-belopp"],
            stored["underskrift-datum"]) == ("2018", "400000", "167000", "2019-03-05")
    edit = _page(client, f"/svar/{rid}")
    areas = f"answer-{q['omraden']}"
    assert f'name="{areas}" value="Jämställdhet" checked>' in edit
    assert f'name="{areas}" value="Barnrätt" checked>' in edit
    assert f'name="{areas}" value="Antidiskriminering">' in edit
    assert f'value="167{NBSP}000"' in edit and f'value="400{NBSP}000"' in edit
    for url in (f"/svar/{rid}/visa", f"/svar/{rid}/utskrift"):
        page = _page(client, url)
        assert '<div class="answer-text answer-box">Jämställdhet, Barnrätt</div>' in page
        assert '<div class="answer-text answer-box">2018</div>' in page
        assert f'<div class="answer-text answer-box">167{NBSP}000{NBSP}kr</div>' in page
        assert f'<div class="answer-text answer-box">400{NBSP}000{NBSP}kr</div>' in page
    # Posting the page back unchanged makes no new revision.
    assert _post(client, rid, q).status_code == 302
    assert answer(rid, q["omraden"]).version == 1


def test_unticking_every_area_clears_the_answer(client, report):
    rid, q = report
    assert _post(client, rid, q, omraden=["Barnrätt", ""]).status_code == 302
    assert answer(rid, q["omraden"]).text == "Barnrätt"
    assert _post(client, rid, q, omraden="").status_code == 302  # only the hidden input
    saved = answer(rid, q["omraden"])
    assert (saved.text, saved.version) == ("", 2)


def test_bad_values_get_swedish_errors_and_nothing_typed_is_lost(client, report):
    rid, q = report
    reply = _post(client, rid, q, **{
        "namn": "Program för barnets rättigheter", "omraden": ["Jämställdhet", "Miljö", ""],
        "beviljat-ar": "18", "beviljat-belopp": "-5 000", "anvant-belopp": "mycket"})
    assert reply.status_code == 422
    page = html.unescape(reply.get_data(as_text=True))
    for key, message in (("omraden", "Välj bland alternativen i listan."),
                         ("beviljat-ar", YEAR_EXAMPLE),
                         ("beviljat-belopp", "Beloppet kan inte vara negativt."),
                         ("anvant-belopp", AMOUNT_EXAMPLE)):
        name = f"answer-{q[key]}"
        assert f'<p class="error-message" id="{name}-error">' in page
        assert f'<a href="#{name}">Fråga ' in page and message in page
        assert answer(rid, q[key]).text == ""
    assert YEAR_EXAMPLE == "Ange ett årtal med fyra siffror, till exempel 2018."
    # What was typed is in the inputs again, and the valid answer was saved.
    assert 'value="18"' in page and 'value="-5 000"' in page and 'value="mycket"' in page
    assert f'name="answer-{q["omraden"]}" value="Jämställdhet" checked aria-invalid="true">' \
        in page
    assert answer(rid, q["namn"]).text == "Program för barnets rättigheter"


def test_autosave_takes_the_areas_one_per_line_and_refuses_unknown_ones(client, report):
    rid, q = report
    name = f"answer-{q['omraden']}"
    reply = autosave(client, rid, name, "Nationella minoriteter\nJämställdhet", 0)
    assert reply.status_code == 200
    assert reply.get_json()["value"] == "Jämställdhet\nNationella minoriteter"
    reply = autosave(client, rid, name, "Jämställdhet\nKultur", 1)
    assert reply.status_code == 422
    assert reply.get_json()["message"] == "Välj bland alternativen i listan."
    year = f"answer-{q['beviljat-ar']}"
    assert autosave(client, rid, year, "2101", 0).get_json()["message"] == YEAR_EXAMPLE
    assert autosave(client, rid, year, "2017", 0).get_json()["value"] == "2017"
    assert (answer(rid, q["omraden"]).text, answer(rid, q["beviljat-ar"]).text) == (
        "Jämställdhet\nNationella minoriteter", "2017")


def test_a_full_report_is_submitted_with_its_values_in_the_snapshot(client, report):
    rid, q = report
    texts = {key: f"Text om {key}." for key in ("maluppfyllelse", "forankring",
                                                  "tidigare-erfarenheter", "tillvarata",
                                                  "resultat-budget")}
    _post(client, rid, q, namn="Program för barnets rättigheter i stadsutveckling",
          omraden=["Barnrätt", "Antidiskriminering", ""], **{
              "beviljat-ar": "2018", "beviljat-belopp": "202 000", "anvant-belopp": "194 000 kr",
              "ansvarig-chef": "Anna Andersson", "underskrift-datum": "2019-01-31"}, **texts)
    assert "Svar saknas" not in _page(client, f"/svar/{rid}/skicka-in")
    reply = client.post(f"/svar/{rid}/skicka-in", {
        "decision_body": "namnd", "decision_date": "2024-02-20",
        "case_number": "ASN-2024-1234"})
    assert reply.status_code == 302
    response = load(rid)
    assert response.status.value == "submitted"
    content = {a["key"]: a["text"] for a in response.latest_submission.content["answers"]}
    assert content["omraden"] == "Antidiskriminering\nBarnrätt"
    assert (content["beviljat-ar"], content["beviljat-belopp"], content["anvant-belopp"]) == (
        "2018", "202000", "194000")
    assert content["maluppfyllelse"] == "Text om maluppfyllelse."
    page = _page(client, f"/svar/{rid}/visa")
    assert "Antidiskriminering, Barnrätt" in page and f"194{NBSP}000{NBSP}kr" in page


def test_submit_lists_unanswered_areas_and_year(client, report):
    rid, q = report
    page = _page(client, f"/svar/{rid}/skicka-in")
    assert "Svar saknas" in page
    for key in ("omraden", "beviljat-ar", "beviljat-belopp"):
        assert f'#question-{q[key]}"' in page


def test_more_used_than_granted_is_allowed_but_flagged_to_the_respondent(client, report):
    rid, q = report
    texts = {key: f"Text om {key}." for key in ("maluppfyllelse", "forankring",
                                                  "tidigare-erfarenheter", "tillvarata",
                                                  "resultat-budget")}
    _post(client, rid, q, namn="HBtQ-certifiering", omraden=["Antidiskriminering", ""], **{
        "beviljat-ar": "2018", "beviljat-belopp": "100 000", "anvant-belopp": "120 tkr",
        "ansvarig-chef": "Joanna Eriksson", "underskrift-datum": "2019-01-17"}, **texts)
    warning = (f"Använt belopp (120{NBSP}000{NBSP}kr) är större än beviljat belopp "
               f"(100{NBSP}000{NBSP}kr).")
    assert warning in _page(client, f"/svar/{rid}")
    assert warning in _page(client, f"/svar/{rid}/skicka-in")

    reply = client.post(f"/svar/{rid}/skicka-in", {
        "decision_body": "namnd", "decision_date": "2024-01-31", "case_number": "ASN-2024-412"})

    assert reply.status_code == 302 and load(rid).status.value == "submitted"
    assert warning in _page(client, f"/svar/{rid}/visa")


def test_used_within_the_grant_raises_no_warning(client, report):
    rid, q = report
    _post(client, rid, q, **{"beviljat-belopp": "400 000", "anvant-belopp": "167 tkr"})
    assert "är större än beviljat belopp" not in _page(client, f"/svar/{rid}")
