"""Each questionnaire speaks of a response in its own words (issue 14, finding 9): the
särskild fråga of "svaret", the development-funds report of "redovisningen"; the words come
from the definition's [wording] table. The report asks for the signing manager's name, so
neither the page's notice nor the field's warnings forbid a name there."""

from __future__ import annotations

import html

import pytest
from support.answering import autosave, form_data, load, question_ids, start

from survey.questionnaires.definitions import DefinitionError, all_definitions, load_definition

GRANTS = "redovisning-beviljade-medel"
DECISION = {"decision_body": "namnd", "decision_date": "2024-03-05",
            "case_number": "ASN-2024-1234"}
LONG_TEXTS = ("maluppfyllelse", "forankring", "tidigare-erfarenheter", "tillvarata",
              "resultat-budget")
#: The särskild fråga's texts as they were before the wording became data.
SPECIAL_NOTICE = ("<p><strong>Skriv inte namn på enskilda personer</strong> och inga "
                  "personuppgifter (personnummer, e-postadresser, telefonnummer). Svaret blir "
                  "en allmän handling när det skickas in.</p>")
SPECIAL_INTRO = ("Ange beslutet om svaret. När svaret är inskickat kan det inte ändras; det "
                 "blir en allmän handling och sparas exakt som det skickades in.")


def _page(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, reply.status_code
    return html.unescape(reply.get_data(as_text=True))


def _section(page: str, qid: int) -> str:
    return page.split(f'id="question-{qid}"')[1].split("</section>")[0]


# --- the definitions ---------------------------------------------------------------------

def test_each_shipped_questionnaire_has_its_wording_and_only_the_manager_gives_a_name():
    definitions = all_definitions()
    special, grants = definitions["sarskild-fraga"].wording, definitions[GRANTS].wording
    assert (special.noun, special.submit_button, special.submitted_banner) == (
        "svaret", "Skicka in", "Svaret är inskickat.")
    assert (grants.noun, grants.submit_button, grants.submitted_banner) == (
        "redovisningen", "Skicka in redovisningen", "Redovisningen är inskickad.")
    named = {(key, q.key) for key, d in definitions.items() for q in d.questions
             if q.asks_for_name}
    assert named == {(GRANTS, "ansvarig-chef")}


@pytest.mark.parametrize("wording, message", [
    ('noun = "svaret"', "wording.indefinite is missing"),
    ('noun = "svaret"\nindefinite = "svar"\npronoun = "hen"\nsubmitted = "x"\n'
     'submit_button = "x"\nsubmitted_banner = "x"\ndecision_intro = "x"\npublic_record = "x"',
     "pronoun is 'det' or 'den'"),
    ('noun = "svaret"\ncolour = "red"', "wording.indefinite is missing"),
    ('noun = " "', "wording.noun is missing or empty"),
])
def test_an_incomplete_wording_table_is_refused(tmp_path, wording, message):
    path = tmp_path / "bad.toml"
    path.write_text(f'key = "bad"\ntitle = "Bad"\n\n[wording]\n{wording}\n', encoding="utf-8")
    with pytest.raises(DefinitionError, match=message):
        load_definition(path)


# --- the särskild fråga keeps its texts ----------------------------------------------------

def test_the_special_questions_pages_keep_their_texts(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    round_ = make_round()
    start_page = _page(client, f"/omgangar/{round_.id}/borja")
    assert "Du börjar svaret för" in start_page
    assert "Svaret är gemensamt för ASN: dina kollegor med konto kan skriva i samma svar." \
        in start_page
    assert "har beslutat om svaret skickar ni in det med beslutsdatum" in start_page
    rid = start(client, round_)
    q1, q2 = question_ids(rid)
    edit = _page(client, f"/svar/{rid}")
    assert SPECIAL_NOTICE in edit
    assert ">Skicka in svaret</a>" in edit and ">Visa svaret</a>" in edit
    assert "Vilka rättighetsområden tar svaret upp?" in edit
    posted = client.post(f"/svar/{rid}", form_data(rid, **{f"answer-{q1}": "Text ett.",
                                                            f"answer-{q2}": "Text två."}))
    assert "Svaret är sparat." in _page(client, posted.headers["Location"])

    submit = _page(client, f"/svar/{rid}/skicka-in")
    assert "<h1>Skicka in svaret</h1>" in submit and SPECIAL_INTRO in submit
    assert '<button type="submit" class="button">Skicka in</button>' in submit
    assert ">Tillbaka till svaret</a>" in submit
    reply = client.post(f"/svar/{rid}/skicka-in", DECISION)
    view = _page(client, reply.headers["Location"])
    assert "Svaret är inskickat." in view
    assert "Svaret är inskickat och kan inte ändras. Om något behöver rättas kan " \
           "stadskontoret skicka tillbaka det för komplettering." in view


def test_the_special_questions_field_warning_still_forbids_names(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    reply = autosave(client, rid, f"answer-{q1}", "Skriv till anna.berg@malmo.se.", 0)
    assert reply.get_json()["warnings"] == [
        "Texten verkar innehålla en e-postadress (anna.berg@malmo.se). Skriv inte "
        "personuppgifter eller namn på enskilda personer i svaret."]


# --- the development-funds report ------------------------------------------------------------

@pytest.fixture
def report(client, auth, make_round):
    round_ = make_round(2024, questionnaire=GRANTS)
    auth.login_as("respondent", "ASN")
    rid = start(client, round_)
    return round_, rid, {q.key: q.id for q in load(rid).round.questions}


def test_the_report_pages_speak_of_the_report(client, report):
    round_, rid, q = report
    edit = _page(client, f"/svar/{rid}")
    assert ">Skicka in redovisningen</a>" in edit and ">Visa redovisningen</a>" in edit
    assert "svaret" not in edit.lower()
    answers = {"namn": "Barnrätt i planeringen", "omraden": ["Barnrätt", ""],
               "beviljat-ar": "2018", "beviljat-belopp": "202 000", "anvant-belopp": "194 000",
               "ansvarig-chef": "Anna Andersson", "underskrift-datum": "2019-01-31",
               **{key: f"Text om {key}." for key in LONG_TEXTS}}
    posted = client.post(f"/svar/{rid}", form_data(
        rid, **{f"answer-{q[key]}": value for key, value in answers.items()}))
    assert "Redovisningen är sparad." in _page(client, posted.headers["Location"])

    submit = _page(client, f"/svar/{rid}/skicka-in")
    assert "<h1>Skicka in redovisningen</h1>" in submit
    assert ("Ange beslutet om redovisningen. När redovisningen är inskickad kan den inte "
            "ändras; den blir en allmän handling") in submit
    assert '<button type="submit" class="button">Skicka in redovisningen</button>' in submit
    assert "svaret" not in submit.lower()
    reply = client.post(f"/svar/{rid}/skicka-in", DECISION)
    assert reply.status_code == 302
    view = _page(client, reply.headers["Location"])
    assert "Redovisningen är inskickad." in view
    assert "Redovisningen är inskickad och kan inte ändras." in view
    assert "svaret" not in view.lower()


def test_no_name_warning_on_the_managers_name_question(client, report):
    _, rid, q = report
    manager = q["ansvarig-chef"]
    edit = _page(client, f"/svar/{rid}")
    notice = edit.split('id="no-names-notice"')[1].split("</div>")[0]
    assert (f'utom där frågan ber om ett namn (<a href="#question-{manager}">fråga 11</a>)'
            in notice)
    assert "Redovisningen blir en allmän handling när den skickas in." in notice
    assert "namn" not in _section(edit, manager).replace("Namnet på den chef", "")

    # A name alone is what the question asks for: no warning.
    reply = autosave(client, rid, f"answer-{manager}", "Anna Andersson", 0)
    assert reply.status_code == 200 and reply.get_json()["warnings"] == []
    # Other personal data is still pointed out, without forbidding the name.
    reply = autosave(client, rid, f"answer-{manager}", "Anna Andersson, anna@malmo.se", 1)
    [warning] = reply.get_json()["warnings"]
    assert "e-postadress" in warning and "namn på enskilda personer" not in warning
    section = _section(_page(client, f"/svar/{rid}"), manager)
    assert "e-postadress" in section and "namn på enskilda personer" not in section


def test_the_reports_free_text_questions_still_warn_against_names(client, report):
    _, rid, q = report
    reply = autosave(client, rid, f"answer-{q['maluppfyllelse']}", "Ring 040-34 10 00.", 0)
    [warning] = reply.get_json()["warnings"]
    assert warning.endswith("Skriv inte personuppgifter eller namn på enskilda personer i "
                            "redovisningen.")


def test_the_reports_start_page_speaks_of_the_report(client, auth, make_round):
    round_ = make_round(2024, questionnaire=GRANTS)
    auth.login_as("respondent", "ASN")
    page = _page(client, f"/omgangar/{round_.id}/borja")
    assert "Du börjar redovisningen för" in page
    assert ("Redovisningen är gemensam för ASN: dina kollegor med konto kan skriva i samma "
            "redovisning.") in page
    assert "har beslutat om redovisningen skickar ni in den med beslutsdatum" in page
