"""Who may reach a response: its organisation's respondents edit, analysts read, others 404."""

from __future__ import annotations

import pytest
from support.answering import answer, autosave, form_data, load, question_ids, start

ROUTES = ["edit", "save", "autosave", "view", "history", "restore", "submit-form", "submit",
          "print"]
WRITING_ROUTES = ["save", "autosave", "restore", "submit-form", "submit"]


def _routes(rid: int, qid: int, revision_id: int) -> dict[str, tuple[str, str, object]]:
    """Every route that takes a response id: name -> (method, url, payload)."""
    return {
        "edit": ("get", f"/svar/{rid}", None),
        "save": ("post", f"/svar/{rid}",
                 {f"answer-{qid}": "Intrång", f"version-{qid}": "1"}),
        "autosave": ("json", f"/svar/{rid}/autospara",
                     {"field": f"answer-{qid}", "value": "Intrång", "version": 1}),
        "view": ("get", f"/svar/{rid}/visa", None),
        "history": ("get", f"/svar/{rid}/fragor/{qid}/historik", None),
        "restore": ("post", f"/svar/{rid}/versioner/{revision_id}/aterstall",
                    {"seen_version": "1"}),
        "submit-form": ("get", f"/svar/{rid}/skicka-in", None),
        "submit": ("post", f"/svar/{rid}/skicka-in",
                   {"decision_body": "namnd", "decision_date": "2024-03-05",
                    "case_number": "ASN-2024-1"}),
        "print": ("get", f"/svar/{rid}/utskrift", None),
    }


def _call(client, method, url, payload):
    if method == "get":
        return client.get(url)
    if method == "json":
        return client.post_json(url, payload)
    return client.post(url, payload)


@pytest.fixture
def asn_response(client, auth, make_round):
    """An ASN response with one saved answer; the client is logged out afterwards."""
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    qid = question_ids(rid)[0]
    autosave(client, rid, f"answer-{qid}", "ASN:s egen text", 0)
    revision_id = answer(rid, qid).revisions[0].id
    auth.logout()
    return rid, qid, revision_id


@pytest.mark.parametrize("route", ROUTES)
def test_respondent_of_another_organisation_gets_404(client, auth, asn_response, route):
    rid, qid, revision_id = asn_response
    method, url, payload = _routes(rid, qid, revision_id)[route]
    auth.login_as("respondent", "FRN")
    reply = _call(client, method, url, payload)
    assert reply.status_code == 404, (method, url)
    assert answer(rid, qid).text == "ASN:s egen text"
    assert load(rid).status.value == "draft"


@pytest.mark.parametrize("route", WRITING_ROUTES)
def test_analyst_may_not_edit_or_submit(client, auth, asn_response, route):
    rid, qid, revision_id = asn_response
    method, url, payload = _routes(rid, qid, revision_id)[route]
    auth.login_as("analyst", None)
    assert _call(client, method, url, payload).status_code == 403, (method, url)
    assert answer(rid, qid).text == "ASN:s egen text"


def test_analyst_reads_view_print_and_history(client, auth, asn_response):
    rid, qid, _ = asn_response
    auth.login_as("analyst", None)
    for url in (f"/svar/{rid}/visa", f"/svar/{rid}/utskrift",
                f"/svar/{rid}/fragor/{qid}/historik"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "ASN:s egen text" in page.get_data(as_text=True)
    edit = client.get(f"/svar/{rid}")
    assert edit.status_code == 302 and edit.headers["Location"].endswith(f"/svar/{rid}/visa")


def test_colleague_of_the_same_organisation_may_edit(client, auth, asn_response, make_user):
    rid, qid, _ = asn_response
    make_user("respondent", "ASN", email="kollega@example.org")
    auth.login("kollega@example.org")
    client.get("/")
    reply = client.post(f"/svar/{rid}",
                        form_data(rid, **{f"answer-{qid}": "Kollegans tillägg"}))
    assert reply.status_code == 302
    assert answer(rid, qid).text == "Kollegans tillägg"


def test_start_is_for_respondents_of_a_valid_organisation(client, auth, make_round):
    round_ = make_round()
    auth.login_as("analyst", None)
    assert client.get(f"/omgangar/{round_.id}/borja").status_code == 403
    assert client.post(f"/omgangar/{round_.id}/borja", {}).status_code == 403


def test_every_response_route_is_in_the_404_test(app):
    covered = {"responses.edit", "responses.autosave", "responses.view", "responses.history",
               "responses.restore", "responses.submit", "responses.print_view"}
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith("responses.") and "response_id" in rule.arguments}
    assert endpoints == covered
