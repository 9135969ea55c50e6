"""The hostile inputs that once gave a 500 (issue 12, finding 4), one test each: NUL in text,
lone surrogates and deep JSON in autosave, numbers beyond the integer range or in other
scripts' digits, and lists longer than any form has. `test_hostile_input.py` walks every
route with such values; these name the cases that were found."""

from __future__ import annotations

import datetime as dt

import flask
import pytest
from sqlalchemy import select
from support.answering import answer, form_data, question_ids, start

from survey.accounts.models import User
from survey.extensions import db
from survey.inputs import (
    BAD_JSON,
    CLEANED_MESSAGE,
    MAX_ID,
    MAX_VALUES_PER_FIELD,
    TOO_MANY_VALUES,
    InputRefused,
    parse_id,
    parse_int,
)
from survey.organisations.models import Organisation
from survey.responses.models import DecisionBody, Response
from survey.responses.services import save_answer, start_response, submit
from survey.text import remove_xml_illegal

# --- the findings of issue 12, one by one --------------------------------------------------

def test_parse_int_takes_ascii_digits_within_the_integer_range():
    assert parse_int("42") == 42 and parse_int(" 7 ") == 7 and parse_int("0") == 0
    assert parse_int(str(MAX_ID)) == MAX_ID and parse_int(str(MAX_ID + 1)) is None
    for value in ("²", "٣", "1_000", "-1", "+1", "1e3", "", "9" * 400, str(2**63), "1\n2",
                  None, True, 1.0):
        assert parse_int(value) is None, value
    assert parse_id("0") is None and parse_id("1") == 1 and parse_int(5) == 5


def test_remove_xml_illegal_removes_exactly_what_xml_forbids():
    kept = "a\tb\nc\rd é ø \u0085 \ud7ff \ue000 \ufffd \U0001f600"
    assert remove_xml_illegal(kept) == kept
    assert remove_xml_illegal("a\x00b\x08c\x0bd\x1fe\ud800f\udfffg\ufffeh\uffffi") == "abcdefghi"


def test_nul_in_the_login_email_is_a_form_error(client):
    reply = client.post("/logga-in", {"email": "a\x00b@example.org", "password": "x"})
    assert reply.status_code == 200
    assert "Fel e-postadress eller lösenord." in reply.get_data(as_text=True)


def test_nul_in_an_answer_is_removed_and_the_user_is_told(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    reply = client.post(f"/svar/{rid}", form_data(rid, **{f"answer-{q1}": "Svar\x00 ett"}))
    assert reply.status_code == 302
    assert answer(rid, q1).text == "Svar ett"
    assert CLEANED_MESSAGE in client.get(f"/svar/{rid}").get_data(as_text=True)


def test_a_lone_surrogate_in_autosave_is_removed_and_the_user_is_told(client, auth,
                                                                      make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    reply = client._send("post", f"/svar/{rid}/autospara",
                         data=f'{{"field": "answer-{q1}", "value": "a\\ud800b\\uffff", '
                              '"version": 0}'.encode(),
                         headers={"X-CSRFToken": client.token, "Accept": "application/json",
                                  "Content-Type": "application/json"})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert reply.json["cleaned"] is True and CLEANED_MESSAGE in reply.json["warnings"]
    assert answer(rid, q1).text == "ab"


def test_deep_json_to_autosave_is_a_400_in_swedish(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    headers = {"X-CSRFToken": client.token, "Accept": "application/json",
               "Content-Type": "application/json"}
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"field": ' + b"[" * 40 + b"]" * 40 + b"}",
                 b'{"field": "rights-areas", "value": [' + b"1," * 70_000 + b'1], "version": 0}',
                 b'{"field": "answer-1", "value": "x", "version": 9223372036854775808}'):
        reply = client._send("post", f"/svar/{rid}/autospara", data=body, headers=headers)
        assert reply.status_code == 400 and reply.json["message"] == "Fältet kunde inte sparas."
    # Where the JSON is parsed without silent=True the rule's own message shows.
    with client.application.test_request_context(
            "/", method="POST", data=b"[" * 100_000, content_type="application/json"):
        with pytest.raises(InputRefused) as refused:
            flask.request.get_json()
        assert refused.value.description == BAD_JSON


def test_nul_in_a_return_reason_is_removed(client, auth, make_round, make_user, organisation):
    round_ = make_round(2024)
    respondent = make_user("respondent", "ASN")
    response = start_response(round_, organisation("ASN"), respondent)
    for question in round_.questions:
        save_answer(response, question, "Vi arbetar systematiskt.", 0, respondent)
    submit(response, respondent, DecisionBody.NAMND, dt.date(2024, 2, 1), "ASN-2024-123")
    db.session.commit()
    auth.login_as("analyst", None)
    reply = client.post(f"/status/svar/{response.id}/aterlamna",
                        {"reason": "Komplettera\x00 fråga 2."})
    assert reply.status_code == 302
    db.session.expire_all()
    assert db.session.get(Response, response.id).latest_return.reason == "Komplettera fråga 2."


def test_nul_in_an_organisation_name_and_a_user_email_is_removed(client, auth, organisation):
    auth.login_as("admin", None)
    created = client.post("/admin/organisationer/ny", {
        "name": "Klimat\x00nämnden", "short_name": "KLN", "kind": "namnd",
        "valid_from": "2025-01-01", "valid_to": ""})
    assert created.status_code == 302
    assert db.session.scalar(select(Organisation.name).filter_by(short_name="KLN")) == \
        "Klimatnämnden"
    user = client.post("/admin/anvandare/ny", {
        "name": "Sara\x00 Svensson", "email": "sara\x00.svensson@malmo.se",
        "role": "respondent", "organisation_id": str(organisation("KN").id),
        "password": "ett-annat-långt-lösenord-1"})
    assert user.status_code == 302
    assert db.session.scalar(select(User.name).filter_by(email="sara.svensson@malmo.se")) == \
        "Sara Svensson"


@pytest.mark.parametrize("query", [f"org={2**63}", "org=²", "round=²", "page=²",
                                   f"round={2**63}", f"page={2**63}", "org=٣&round=٣"])
def test_malformed_numbers_in_dashboard_filters_mean_no_filter(client, auth, query):
    auth.login_as("analyst", None)
    for page in ("/analys/", "/analys/varmekarta", "/analys/trender"):
        assert client.get(f"{page}?{query}").status_code == 200


def test_huge_page_numbers_in_the_audit_log_show_the_first_page(client, auth):
    auth.login_as("admin", None)
    for page in (str(2**63), "²", "٣", "9" * 400):
        assert client.get(f"/admin/logg?page={page}").status_code == 200


def test_ids_beyond_the_integer_range_are_404(client, auth, world):
    auth.login_as("respondent", "ASN")
    rid = world["response_id"]
    assert client.get(f"/svar/{rid}").status_code == 200
    for value in (str(2**31), str(2**63), "9" * 400, "٣", "²"):
        assert client.get(f"/svar/{value}").status_code == 404
        assert client.get(f"/svar/{rid}/fragor/{value}/historik").status_code == 404
    assert client.get(f"/svar/{2**31 - 1}").status_code == 404  # reaches the lookup


def test_a_huge_seen_version_on_restore_is_a_400(client, auth, world):
    auth.login_as("respondent", "ASN")
    path = f"/svar/{world['response_id']}/versioner/{world['revision_id']}/aterstall"
    for version in (str(2**63), "²", "-1"):
        assert client.post(path, {"seen_version": version}).status_code == 400


def test_seventy_thousand_rights_area_ids_are_refused_in_swedish(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    data = form_data(rid, **{f"answer-{q1}": "Min text"})
    data["rights_area"] = [str(i) for i in range(1, 70_001)]
    reply = client.post(f"/svar/{rid}", data)
    assert reply.status_code == 400
    assert TOO_MANY_VALUES in reply.get_data(as_text=True)
    assert answer(rid, q1).text == ""
    # At the cap the request reaches the view, which refuses ids that are no rights area.
    data["rights_area"] = [str(2**31 - 1 - i) for i in range(MAX_VALUES_PER_FIELD)]
    assert client.post(f"/svar/{rid}", data).status_code in (400, 422)


def test_a_huge_list_to_the_scoring_form_is_refused(client, auth, world):
    auth.login_as("analyst", None)
    reply = client.post(f"/bedomning/svar/{world['response_id']}",
                        {"version": str(2**63), "tag": [str(i) for i in range(70_000)]})
    assert reply.status_code == 400
