"""WTForms' built-in messages are Swedish on every form (survey/forms.py)."""

from __future__ import annotations

import re
from pathlib import Path

import wtforms
from support.answering import autosave, question_ids, start

from survey.forms import TRANSLATIONS

ROOT = Path(__file__).resolve().parents[1]
POT = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"


def _english_messages() -> list[str]:
    """Every message WTForms can produce, in English (its translation template)."""
    return re.findall(r'^msgid "(.+)"$', POT.read_text(encoding="utf-8"), re.M)


def _english_in(html: str) -> list[str]:
    found = []
    for message in _english_messages():
        # Compare the text before the first placeholder: "Field cannot be longer than".
        head = re.split(r"%\(|%s|'%", message)[0].strip()
        if len(head) > 8 and head in html:
            found.append(message)
    return found


def test_every_wtforms_message_has_swedish_with_the_same_placeholders():
    plurals = dict(re.findall(r'^msgid "(.+)"\nmsgid_plural "(.+)"$',
                              POT.read_text(encoding="utf-8"), re.M))
    for message in _english_messages():
        translated = [TRANSLATIONS.gettext(message)]
        if message in plurals:
            translated += [TRANSLATIONS.ngettext(message, plurals[message], n) for n in (1, 2)]
        for swedish in translated:
            assert swedish != message, message
            assert set(re.findall(r"%\(\w+\)\w", swedish)) <= set(
                re.findall(r"%\(\w+\)\w", message)), (message, swedish)


def test_every_form_inherits_the_swedish_base_form():
    offenders = []
    for package in ("survey", "dashboards", "exports"):
        for path in (ROOT / package).rglob("*.py"):
            if path.name == "forms.py" and path.parent.name == "survey":
                continue
            source = path.read_text(encoding="utf-8")
            if re.search(r"\bFlaskForm\b|\bwtforms\.Form\b|from wtforms import .*\bForm\b",
                         source):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"use survey.forms.BaseForm: {offenders}"


def test_too_long_login_email_gets_a_swedish_message(client):
    page = client.post("/logga-in", {"email": "a" * 250 + "@malmo.se",
                                  "password": "x"}).get_data(as_text=True)
    assert "Högst 254 tecken." in page
    assert not _english_in(page)


def test_organisation_that_is_not_a_number_gets_a_swedish_message(client, auth):
    auth.login_as("admin", None)
    page = client.post("/admin/anvandare/ny", {
        "name": "Ny", "email": "ny@malmo.se", "role": "respondent",
        "organisation_id": "inte-ett-id", "password": "ett-långt-lösenord-2025"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Välj ett av alternativen." in html
    assert not _english_in(html)


def test_invalid_choice_in_a_select_gets_a_swedish_message(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    for number, qid in enumerate(question_ids(rid)):
        autosave(client, rid, f"answer-{qid}", f"Svar {number}.", 0)
    page = client.post(f"/svar/{rid}/skicka-in", {
        "decision_body": "kung", "decision_date": "2024-03-05", "case_number": "ASN-2024-1234"})
    html = page.get_data(as_text=True)
    assert "Välj ett av alternativen." in html
    assert not _english_in(html)
