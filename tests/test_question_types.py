"""Typed questions: each type normalises and validates what is typed, renders its own input,
and shows its value on the read-only pages; autosave and the form post go through it."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from support.answering import answer, autosave, form_data, load, other_browser, start

from survey.extensions import db
from survey.questionnaires.definitions import DefinitionError, load_definition
from survey.questionnaires.models import QuestionType, RoundQuestion, RoundStatus
from survey.questionnaires.question_types import (
    AMOUNT_EXAMPLE,
    DATE_EXAMPLE,
    YEAR_EXAMPLE,
    InvalidAnswer,
    field_for,
)
from survey.questionnaires.services import create_round

DEFINITION = Path(__file__).with_name("data") / "typed-questionnaire.toml"
NBSP = "\u00a0"
CHOICES = ["Enligt plan", "Försenat", "Avbrutet"]


def _field(qtype: QuestionType, **kwargs):
    return field_for(RoundQuestion(qtype=qtype, **kwargs))


# --- normalise, one type at a time ---------------------------------------------------------

@pytest.mark.parametrize("raw, stored", [
    ("167 000", "167000"), ("167000", "167000"), ("167 000 kr", "167000"),
    (f"167{NBSP}000{NBSP}kr", "167000"), ("167\u202f000", "167000"), ("167000kr", "167000"),
    ("167 tkr", "167000"), ("1,5 mkr", "1500000"), ("1,5 mnkr", "1500000"),
    ("1.5 mkr", "1500000"), ("2,25 tkr", "2250"), ("0", "0"), ("  42 kronor ", "42"),
    ("", ""), ("   ", ""),
])
def test_amount_accepts_swedish_ways_of_writing_kronor(raw, stored):
    assert _field(QuestionType.AMOUNT).normalise(raw) == stored


@pytest.mark.parametrize("raw, message", [
    ("-5", "Beloppet kan inte vara negativt."),
    ("\u22125 000 kr", "Beloppet kan inte vara negativt."),
    ("-2 tkr", "Beloppet kan inte vara negativt."),
    ("abc", AMOUNT_EXAMPLE), ("12,50", AMOUNT_EXAMPLE), ("12.50 kr", AMOUNT_EXAMPLE),
    ("167.000", AMOUNT_EXAMPLE), ("1,2345 tkr", AMOUNT_EXAMPLE), ("5 öre", AMOUNT_EXAMPLE),
    ("1 2 3 kr kr", AMOUNT_EXAMPLE), ("9" * 16, AMOUNT_EXAMPLE),
])
def test_amount_refuses_negative_decimal_and_non_numeric_values(raw, message):
    with pytest.raises(InvalidAnswer) as error:
        _field(QuestionType.AMOUNT).normalise(raw)
    assert str(error.value) == message


def test_amount_is_shown_in_swedish_and_its_input_value_normalises_back():
    field = _field(QuestionType.AMOUNT)
    assert field.display("167000") == f"167{NBSP}000{NBSP}kr"
    assert field.display("167 tkr") == f"167{NBSP}000{NBSP}kr"
    assert field.display("12,50") == "12,50" and field.display("") == ""
    assert field.input_value("1500000") == f"1{NBSP}500{NBSP}000"
    for stored in ("0", "167000", "1500000"):
        assert field.normalise(field.input_value(stored)) == stored


@pytest.mark.parametrize("raw, stored", [
    ("2024-03-05", "2024-03-05"), (" 2024-3-5 ", "2024-03-05"), ("5/3/2024", "2024-03-05"),
    ("05/03/2024", "2024-03-05"), ("5 mars 2024", "2024-03-05"), ("29/2/2024", "2024-02-29"),
    ("", ""),
])
def test_date_accepts_iso_and_day_month_year_and_stores_iso(raw, stored):
    assert _field(QuestionType.DATE).normalise(raw) == stored


@pytest.mark.parametrize("raw", [
    "2024-02-30", "2023-02-29", "30/2/2024", "2024-13-01", "3/5/24", "i morgon", "5 mar 2024",
    "20240305", "2024-W10-2",
])
def test_date_refuses_impossible_or_unclear_dates(raw):
    with pytest.raises(InvalidAnswer, match="Ange datum som ÅÅÅÅ-MM-DD") as error:
        _field(QuestionType.DATE).normalise(raw)
    assert str(error.value) == DATE_EXAMPLE


@pytest.mark.parametrize("raw, stored", [
    ("Barnrättsprojektet", "Barnrättsprojektet"),
    ("Rad ett\nrad två\r\n\r\nrad tre", "Rad ett rad två rad tre"),
    ("  luft runt  ", "luft runt"), ("", ""),
])
def test_short_text_collapses_newlines_to_spaces(raw, stored):
    assert _field(QuestionType.SHORT_TEXT).normalise(raw) == stored


def test_short_text_is_at_most_500_characters_unless_the_question_says_otherwise():
    assert _field(QuestionType.SHORT_TEXT).normalise("x" * 500) == "x" * 500
    with pytest.raises(InvalidAnswer, match=f"högst 500{NBSP}?tecken|högst 500 tecken"):
        _field(QuestionType.SHORT_TEXT).normalise("x" * 501)
    with pytest.raises(InvalidAnswer, match="högst 20 tecken"):
        _field(QuestionType.SHORT_TEXT, max_length=20).normalise("x" * 21)


def test_choice_must_be_one_of_the_questions_choices():
    field = _field(QuestionType.CHOICE, choices=CHOICES)
    assert field.normalise("Försenat") == "Försenat"
    assert field.normalise("") == ""
    for wrong in ("Försenad", "försenat", "Annat"):
        with pytest.raises(InvalidAnswer, match="Välj ett av alternativen"):
            field.normalise(wrong)


def test_long_text_is_kept_as_written():
    text = "Första stycket.\r\n\r\n  Andra stycket med  luft. "
    assert _field(QuestionType.LONG_TEXT).normalise(text) == text.replace("\r\n", "\n")


AREAS = ["Jämställdhet", "Antidiskriminering", "Barnrätt", "Nationella minoriteter"]


@pytest.mark.parametrize("raw, stored", [
    ("Barnrätt\nJämställdhet", "Jämställdhet\nBarnrätt"),  # the options' order, not the posted
    ("Jämställdhet\r\nJämställdhet\n\n", "Jämställdhet"), (" Barnrätt ", "Barnrätt"),
    ("Nationella minoriteter\nAntidiskriminering\nBarnrätt\nJämställdhet", "\n".join(AREAS)),
    ("", ""), ("\n", ""),
])
def test_multi_choice_stores_the_chosen_options_one_per_line_in_order(raw, stored):
    assert _field(QuestionType.MULTI_CHOICE, choices=AREAS).normalise(raw) == stored


@pytest.mark.parametrize("raw", ["Jämställdhet\nMiljö", "jämställdhet", "Barnrätt, Jämställdhet"])
def test_multi_choice_refuses_an_option_not_in_the_list(raw):
    with pytest.raises(InvalidAnswer) as error:
        _field(QuestionType.MULTI_CHOICE, choices=AREAS).normalise(raw)
    assert str(error.value) == "Välj bland alternativen i listan."


def test_multi_choice_is_shown_as_a_comma_separated_list():
    field = _field(QuestionType.MULTI_CHOICE, choices=AREAS)
    assert field.display("Jämställdhet\nBarnrätt") == "Jämställdhet, Barnrätt"
    assert field.display("") == ""
    assert field.selected("Jämställdhet\nBarnrätt") == ["Jämställdhet", "Barnrätt"]


@pytest.mark.parametrize("raw, stored", [
    ("2018", "2018"), (" 2018 ", "2018"), ("1990", "1990"), ("2100", "2100"), ("", ""),
])
def test_year_takes_four_digits_between_1990_and_2100(raw, stored):
    assert _field(QuestionType.YEAR).normalise(raw) == stored


@pytest.mark.parametrize("raw", [
    "18", "1989", "2101", "20180", "2018-01", "år 2018", "tjugoarton", "２０１８", "-2018",
])
def test_year_refuses_anything_else_with_a_swedish_example(raw):
    with pytest.raises(InvalidAnswer) as error:
        _field(QuestionType.YEAR).normalise(raw)
    assert str(error.value) == YEAR_EXAMPLE == "Ange ett årtal med fyra siffror, till exempel 2018."


def test_year_input_is_text_with_a_numeric_keyboard():
    assert _field(QuestionType.YEAR).input_attrs() == {
        "type": "text", "inputmode": "numeric", "autocomplete": "off"}


@pytest.mark.parametrize("question, message", [
    ('type = "multi_choice"', "lists no choices"),
    ('type = "choice"\nchoices = []', "lists no choices"),
    ('type = "multi_choice"\nchoices = ["A", "A"]', "lists a choice twice"),
    ('type = "multi_choice"\nchoices = ["A", "B\\nC"]', "multi-line choice"),
    ('type = "multi_choice"\nchoices = ["A", " "]', "empty or multi-line choice"),
    ('type = "year"\nchoices = ["2018"]', "takes no choices"),
    ('type = "rating"', "has no valid type"),
])
def test_a_definition_with_unusable_choices_is_refused(tmp_path, question, message):
    path = tmp_path / "bad.toml"
    path.write_text('key = "bad"\ntitle = "Bad"\n\n[[questions]]\nkey = "q"\norder = 1\n'
                    f'text = "?"\n{question}\n', encoding="utf-8")
    with pytest.raises(DefinitionError, match=message):
        load_definition(path)


@pytest.mark.parametrize("qtype, raw", [
    (QuestionType.AMOUNT, "1,5 mkr"), (QuestionType.DATE, "5 mars 2024"),
    (QuestionType.SHORT_TEXT, "a\nb"), (QuestionType.CHOICE, "Avbrutet"),
    (QuestionType.LONG_TEXT, "text\n"), (QuestionType.YEAR, " 2018 "),
    (QuestionType.MULTI_CHOICE, "Avbrutet\nEnligt plan"),
])
def test_normalising_twice_changes_nothing(qtype, raw):
    field = _field(qtype, choices=CHOICES)
    once = field.normalise(raw)
    assert field.normalise(once) == once


# --- through HTTP ------------------------------------------------------------------------

@pytest.fixture
def typed(app, client, auth):
    """An open round of the test-only typed questionnaire, started by ASN's respondent."""
    round_ = create_round(load_definition(DEFINITION), 2024, dt.date(2024, 1, 15),
                          dt.date(2024, 2, 28))
    round_.status = RoundStatus.OPEN
    db.session.commit()
    auth.login_as("respondent", "ASN")
    rid = start(client, round_)
    ids = {q.key: q.id for q in load(rid).round.questions}
    return rid, ids


def _page(client, url):
    reply = client.get(url)
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def test_each_type_renders_its_own_input(client, typed):
    rid, q = typed
    page = _page(client, f"/svar/{rid}")
    assert f'<textarea id="answer-{q["beskrivning"]}"' in page
    assert f'id="answer-{q["projektnamn"]}" name="answer-{q["projektnamn"]}"' in page
    assert 'answer-short_text" type="text" autocomplete="off" value=""' in page
    assert f'id="answer-{q["beslutsdatum"]}" name="answer-{q["beslutsdatum"]}"' in page
    assert 'answer-date" type="date" value=""' in page
    assert 'inputmode="numeric"' in page
    assert "Belopp i hela kronor, till exempel 167 000" in page
    amount = f"answer-{q['belopp']}"
    assert (f'aria-describedby="{amount}-hint {amount}-format {amount}-status"') in page
    # Word counts only for long texts.
    assert page.count("data-word-count") == 1


def test_choice_renders_as_radios_with_the_question_as_legend(client, typed):
    rid, q = typed
    name = f"answer-{q['status']}"
    page = _page(client, f"/svar/{rid}")
    assert f'<fieldset class="choice-group" id="{name}-group"' in page
    assert '<legend class="question-text">Hur har projektet gått?</legend>' in page
    for index, choice in enumerate(CHOICES, start=1):
        radio_id = name if index == 1 else f"{name}-{index}"
        assert f'<input type="radio" id="{radio_id}" name="{name}" value="{choice}">' in page
        assert f'<label for="{radio_id}">{choice}</label>' in page
    assert "Inget svar" not in page  # a required choice offers no empty option
    assert autosave(client, rid, name, "Försenat", 0).status_code == 200
    page = _page(client, f"/svar/{rid}")
    assert f'name="{name}" value="Försenat" checked>' in page
    reply = autosave(client, rid, name, "Klart", 1)
    assert reply.status_code == 422 and "Välj ett av alternativen" in reply.get_json()["message"]
    assert answer(rid, q["status"]).text == "Försenat"


def test_autosaved_amount_is_stored_as_digits_and_shown_in_kronor(client, typed):
    rid, q = typed
    name = f"answer-{q['belopp']}"
    reply = autosave(client, rid, name, "167 tkr", 0)
    assert reply.status_code == 200
    body = reply.get_json()
    assert body["ok"] is True and body["version"] == 1
    assert body["value"] == f"167{NBSP}000"  # what the input shows from now on
    assert answer(rid, q["belopp"]).text == "167000"
    for url in (f"/svar/{rid}/visa", f"/svar/{rid}/utskrift"):
        assert f"167{NBSP}000{NBSP}kr" in _page(client, url)
    page = _page(client, f"/svar/{rid}")
    assert f'value="167{NBSP}000"' in page


def test_bad_date_via_autosave_is_422_with_message_and_nothing_saved(client, typed):
    rid, q = typed
    name = f"answer-{q['beslutsdatum']}"
    reply = autosave(client, rid, name, "2024-02-30", 0)
    assert reply.status_code == 422
    body = reply.get_json()
    assert body == {"error": "invalid", "field": name, "message": DATE_EXAMPLE}
    saved = answer(rid, q["beslutsdatum"])
    assert (saved.text, saved.version, saved.revisions) == ("", 0, [])
    reply = autosave(client, rid, name, "5/3/2024", 0)
    assert reply.status_code == 200 and reply.get_json()["value"] == "2024-03-05"
    assert answer(rid, q["beslutsdatum"]).text == "2024-03-05"
    assert 'type="date" value="2024-03-05"' in _page(client, f"/svar/{rid}")


def test_form_post_with_bad_amount_keeps_the_input_and_shows_the_error(client, typed):
    rid, q = typed
    amount = f"answer-{q['belopp']}"
    data = form_data(rid, **{amount: "12,50 kr", f"answer-{q['projektnamn']}": "Rad\nett"})
    reply = client.post(f"/svar/{rid}", data)
    assert reply.status_code == 422
    page = reply.get_data(as_text=True)
    assert 'value="12,50 kr"' in page  # the user's own input, not the stored value
    assert f'<p class="error-message" id="{amount}-error">' in page
    assert html.escape(AMOUNT_EXAMPLE, quote=False) in page
    assert f'<a href="#{amount}">Fråga 4: {AMOUNT_EXAMPLE}</a>' in page  # the error summary
    assert 'aria-invalid="true"' in page
    assert f"{amount}-format {amount}-error {amount}-status" in page
    assert answer(rid, q["belopp"]).text == ""
    assert answer(rid, q["projektnamn"]).text == "Rad ett"  # the other change is saved


def test_form_post_with_bad_date_shows_the_raw_text_in_a_text_input(client, typed):
    rid, q = typed
    name = f"answer-{q['beslutsdatum']}"
    reply = client.post(f"/svar/{rid}", form_data(rid, **{name: "30 februari 2024"}))
    assert reply.status_code == 422
    page = reply.get_data(as_text=True)
    # A date input would throw away text it cannot read: the user's text stays visible.
    assert 'answer-date" type="text" value="30 februari 2024"' in page
    assert DATE_EXAMPLE in page


def test_unchanged_formatted_amount_reposted_makes_no_new_revision(client, typed):
    rid, q = typed
    name = f"answer-{q['belopp']}"
    assert autosave(client, rid, name, "167000", 0).get_json()["version"] == 1
    page = _page(client, f"/svar/{rid}")
    shown = f"167{NBSP}000"
    assert f'value="{shown}"' in page
    reply = client.post(f"/svar/{rid}", form_data(rid, **{name: shown}))
    assert reply.status_code == 302
    assert autosave(client, rid, name, "167 000 kr", 1).get_json()["version"] == 1
    saved = answer(rid, q["belopp"])
    assert (saved.text, saved.version, len(saved.revisions)) == ("167000", 1, 1)
    # A different amount is a new revision.
    assert autosave(client, rid, name, "168 tkr", 1).get_json()["version"] == 2


def test_amount_conflict_shows_both_amounts_in_kronor(app, client, typed, make_user):
    rid, q = typed
    name = f"answer-{q['belopp']}"
    bertil = other_browser(app, make_user("respondent", "ASN", email="bertil@example.org",
                                          name="Bertil Berg"))
    bertil.get(f"/svar/{rid}")
    assert autosave(bertil, rid, name, "2 tkr", 0).status_code == 200
    mine = {name: "3 000", f"version-{q['belopp']}": "0"}  # began before Bertil saved
    reply = client.post(f"/svar/{rid}", form_data(rid, **mine))
    assert reply.status_code == 409
    page = reply.get_data(as_text=True)
    assert 'value="3 000"' in page  # the user's own input
    assert f"3{NBSP}000{NBSP}kr" in page and f"2{NBSP}000{NBSP}kr" in page
    assert answer(rid, q["belopp"]).text == "2000"


def test_short_text_over_500_characters_is_refused_and_kept(client, typed):
    rid, q = typed
    name = f"answer-{q['projektnamn']}"
    reply = autosave(client, rid, name, "x" * 501, 0)
    assert reply.status_code == 422 and "högst 500 tecken" in reply.get_json()["message"]
    reply = client.post(f"/svar/{rid}", form_data(rid, **{name: "y" * 501}))
    assert reply.status_code == 422 and f'value="{"y" * 501}"' in reply.get_data(as_text=True)
    assert answer(rid, q["projektnamn"]).text == ""


def test_submit_lists_typed_questions_without_an_answer(client, typed):
    rid, q = typed
    autosave(client, rid, f"answer-{q['beskrivning']}", "Medlen gick till utbildning.", 0)
    autosave(client, rid, f"answer-{q['belopp']}", "1,5 mkr", 0)
    page = _page(client, f"/svar/{rid}/skicka-in")
    assert "Svar saknas" in page
    assert f'#question-{q["projektnamn"]}"' in page and f'#question-{q["status"]}"' in page
    assert f'#question-{q["belopp"]}"' not in page
    assert f'#question-{q["beslutsdatum"]}"' not in page  # optional
    autosave(client, rid, f"answer-{q['projektnamn']}", "Kompetenslyftet", 0)
    autosave(client, rid, f"answer-{q['status']}", "Enligt plan", 0)
    assert "Svar saknas" not in _page(client, f"/svar/{rid}/skicka-in")


def test_read_only_pages_show_typed_values(client, typed):
    rid, q = typed
    autosave(client, rid, f"answer-{q['beslutsdatum']}", "5 mars 2024", 0)
    autosave(client, rid, f"answer-{q['status']}", "Avbrutet", 0)
    page = _page(client, f"/svar/{rid}/visa")
    assert '<div class="answer-text answer-box">2024-03-05</div>' in page
    assert '<div class="answer-text answer-box">Avbrutet</div>' in page
    assert page.count(" ord") == 1  # a word count only for the long text


def test_answer_page_loads_the_field_script_before_autosave(client, typed):
    rid, _ = typed
    page = _page(client, f"/svar/{rid}")
    fields = page.index('src="/static/js/answer-fields.js"')
    assert fields < page.index('src="/static/js/answer.js"')
    script = client.get("/static/js/answer-fields.js")
    assert script.status_code == 200 and b"MRAnswerFields" in script.data
    script.close()
