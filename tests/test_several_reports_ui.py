"""A respondent's several development-work reports in one round: adding them from the start
page, listing them there, and submitting several of them together under one board decision
(all or none); the special question keeps one response per organisation."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import func, select
from support.answering import form_data, load, start

from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.mail.models import Reminder
from survey.questionnaires.models import RoundStatus
from survey.responses.models import Response, ResponseStatus

KEY = "redovisning-beviljade-medel"
LONG_TEXTS = ("maluppfyllelse", "forankring", "tidigare-erfarenheter", "tillvarata",
              "resultat-budget")
# The round asks about 2024: a decision from 2023 on is accepted.
DECISION = {"decision_body": "namnd", "decision_date": "2024-02-20",
            "case_number": "ASN-2024-1234"}


@pytest.fixture
def grant_round(make_round, auth):
    """An open round of the grant questionnaire; ASN's respondent logged in.
    2024: the seeded organisations are valid from 2022."""
    round_ = make_round(2024, questionnaire=KEY)
    auth.login_as("respondent", "ASN")
    return round_


def _page(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, reply.status_code
    return html.unescape(reply.get_data(as_text=True))


def _add(client, round_) -> int:
    """Press "Lägg till utvecklingsarbete"; the new report's id (from the edit-page redirect)."""
    reply = client.post(f"/omgangar/{round_.id}/redovisningar", {})
    assert reply.status_code == 302, reply.get_data(as_text=True)
    location = reply.headers["Location"]
    assert location.rsplit("/", 2)[-2] == "svar"
    return int(location.rsplit("/", 1)[1])


def _fill(client, rid: int, name: str, complete: bool = True) -> None:
    """Answer the report through the answer form; incomplete leaves the amounts empty."""
    q = {question.key: question.id for question in load(rid).round.questions}
    answers = {"namn": name, "omraden": ["Barnrätt", ""], "beviljat-ar": "2018",
               "ansvarig-chef": "Anna Andersson", "underskrift-datum": "2019-01-31",
               **{key: f"{name}: text om {key}." for key in LONG_TEXTS}}
    if complete:
        answers |= {"beviljat-belopp": "400 000", "anvant-belopp": "167 tkr"}
    data = form_data(rid, **{f"answer-{q[key]}": value for key, value in answers.items()})
    assert client.post(f"/svar/{rid}", data).status_code == 302


def _statuses(*rids: int) -> list[ResponseStatus]:
    return [load(rid).status for rid in rids]


def test_a_respondent_adds_two_reports_and_the_start_page_lists_both(client, grant_round):
    page = _page(client, "/")
    assert "Lägg till utvecklingsarbete" in page
    assert f'action="/omgangar/{grant_round.id}/redovisningar"' in page
    first, second = _add(client, grant_round), _add(client, grant_round)
    assert (load(first).number, load(second).number) == (1, 2)
    _fill(client, first, "HBTQ-certifiering")
    page = _page(client, "/")
    assert "Utvecklingsarbete 1: HBTQ-certifiering" in page
    assert "Utvecklingsarbete 2: namnlöst" in page
    assert f'href="/svar/{first}"' in page and f'href="/svar/{second}"' in page
    assert f'href="/omgangar/{grant_round.id}/skicka-in-redovisningar"' in page  # two unsubmitted
    assert "Utvecklingsarbete 1: HBTQ-certifiering" in _page(client, f"/svar/{first}")


def test_start_creates_the_first_report_and_then_leads_to_the_start_page(client, grant_round):
    assert client.get(f"/omgangar/{grant_round.id}/borja").status_code == 200
    rid = start(client, grant_round)
    assert load(rid).number == 1
    reply = client.get(f"/omgangar/{grant_round.id}/borja")
    assert reply.status_code == 302 and reply.headers["Location"].endswith("/")
    assert _add(client, grant_round) != rid
    page = _page(client, "/")
    assert "Utvecklingsarbete 1: namnlöst" in page and "Utvecklingsarbete 2: namnlöst" in page


def test_two_reports_are_submitted_together_with_one_decision(client, grant_round):
    first, second = _add(client, grant_round), _add(client, grant_round)
    _fill(client, first, "HBTQ-certifiering")
    _fill(client, second, "Vägledning i antidiskriminering")
    page = _page(client, f"/omgangar/{grant_round.id}/skicka-in-redovisningar")
    assert "Utvecklingsarbete 1: HBTQ-certifiering" in page
    assert "Utvecklingsarbete 2: Vägledning i antidiskriminering" in page
    assert "Beslutande organ" in page and "Diarienummer" in page
    reply = client.post(f"/omgangar/{grant_round.id}/skicka-in-redovisningar",
                        {"reports": [str(first), str(second)], **DECISION})
    assert reply.status_code == 302
    assert "2 redovisningar är inskickade med samma beslut." in _page(client, "/")
    assert _statuses(first, second) == [ResponseStatus.SUBMITTED] * 2
    decisions = {(s.decision_body.value, s.decision_date, s.case_number)
                 for s in (load(first).latest_submission, load(second).latest_submission)}
    assert decisions == {("namnd", dt.date(2024, 2, 20), "ASN-2024-1234")}
    snapshot = load(second).latest_submission.content["answers"]
    assert snapshot[0]["text"] == "Vägledning i antidiskriminering"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .filter_by(action="response.submit_reports")) == 1
    # Nothing left to submit: the page says so, and the start page no longer links to it.
    assert "Det finns inga redovisningar att skicka in" in _page(
        client, f"/omgangar/{grant_round.id}/skicka-in-redovisningar")
    assert "/submit-reports" not in _page(client, "/")


def test_another_registry_code_warns_but_submits_the_reports(client, grant_round):
    first = _add(client, grant_round)
    _fill(client, first, "HBTQ-certifiering")
    reply = client.post(f"/omgangar/{grant_round.id}/skicka-in-redovisningar",
                        {"reports": [str(first)], **DECISION, "case_number": "STK-2024-7"})
    assert reply.status_code == 302
    page = _page(client, "/")
    assert "Redovisningen är inskickad." in page
    assert ("Diarienumrets kod STK hör inte till nämndens kända diariekoder (ASN). "
            "Kontrollera att numret är rätt." in page)
    assert load(first).latest_submission.case_number == "STK-2024-7"


def test_an_incomplete_report_blocks_the_whole_submit(client, grant_round):
    first, second = _add(client, grant_round), _add(client, grant_round)
    _fill(client, first, "HBTQ-certifiering")
    _fill(client, second, "Vägledning", complete=False)
    page = _page(client, f"/omgangar/{grant_round.id}/skicka-in-redovisningar")
    assert f'value="{second}" disabled aria-describedby="report-{second}-reason"' in page
    assert "Kan inte skickas in ännu: svar saknas på fråga 9, 10." in page
    assert f'value="{first}">' in page  # enabled
    reply = client.post(f"/omgangar/{grant_round.id}/skicka-in-redovisningar",
                        {"reports": [str(first), str(second)], **DECISION})
    assert reply.status_code == 200
    page = html.unescape(reply.get_data(as_text=True))
    assert ("Inget skickades in. Utvecklingsarbete 2: Vägledning saknar svar på fråga 9, 10."
            in page)
    assert _statuses(first, second) == [ResponseStatus.DRAFT] * 2
    assert not load(first).submissions and not load(second).submissions


@pytest.mark.parametrize(("data", "message"), [
    ({"reports": None}, "Välj minst ett utvecklingsarbete att skicka in."),
    ({"reports": "x"}, "Välj bland utvecklingsarbetena i listan."),
    ({"reports": "999999"}, "Ett valt utvecklingsarbete finns inte eller är redan inskickat"),
    ({"case_number": ""}, "Ange diarienummer."),
    ({"decision_date": "2999-01-01"}, "Beslutsdatum kan inte ligga i framtiden."),
    ({"decision_date": "2022-12-31"},
     "Beslutsdatum kan inte ligga före 2023-01-01 i omgången för 2024."),
    ({"case_number": "ASN-٢٠٢٤-12"}, "Menade du ASN-2024-12?"),
])
def test_a_bad_submit_gets_swedish_errors_and_submits_nothing(client, grant_round, data,
                                                              message):
    first, second = _add(client, grant_round), _add(client, grant_round)
    _fill(client, first, "HBTQ-certifiering")
    _fill(client, second, "Vägledning")
    post = {"reports": [str(first), str(second)], **DECISION}
    post |= data
    if post["reports"] is None:  # no box ticked
        del post["reports"]
    reply = client.post(f"/omgangar/{grant_round.id}/skicka-in-redovisningar", post)
    assert reply.status_code == 200
    assert message in html.unescape(reply.get_data(as_text=True))
    assert _statuses(first, second) == [ResponseStatus.DRAFT] * 2


def test_another_organisations_reports_cannot_be_submitted(client, auth, grant_round):
    theirs = _add(client, grant_round)
    _fill(client, theirs, "HBTQ-certifiering")
    auth.login_as("respondent", "FRN")
    mine = _add(client, grant_round)
    _fill(client, mine, "Barnrättsarbete")
    reply = client.post(f"/omgangar/{grant_round.id}/skicka-in-redovisningar",
                        {"reports": [str(mine), str(theirs)], **DECISION})
    assert reply.status_code == 200
    assert _statuses(theirs, mine) == [ResponseStatus.DRAFT] * 2
    page = _page(client, "/")
    assert "HBTQ-certifiering" not in page and "Utvecklingsarbete 1: Barnrättsarbete" in page


def test_the_special_question_keeps_one_response(client, auth, make_round):
    round_ = make_round(2024)
    auth.login_as("respondent", "ASN")
    rid = start(client, round_)
    assert client.post(f"/omgangar/{round_.id}/redovisningar", {}).status_code == 404
    assert client.get(f"/omgangar/{round_.id}/skicka-in-redovisningar").status_code == 404
    reply = client.post(f"/omgangar/{round_.id}/skicka-in-redovisningar", DECISION)
    assert reply.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Response)
                             .filter_by(round_id=round_.id)) == 1
    assert start(client, round_) == rid
    assert "Lägg till utvecklingsarbete" not in _page(client, "/")


def test_staff_cannot_add_or_submit_reports(client, auth, grant_round):
    auth.login_as("analyst", None)
    assert client.post(f"/omgangar/{grant_round.id}/redovisningar", {}).status_code == 403
    assert client.get(f"/omgangar/{grant_round.id}/skicka-in-redovisningar").status_code == 403


def test_a_closed_round_takes_no_new_reports(client, grant_round, make_round):
    closed = make_round(2023, status=RoundStatus.CLOSED, questionnaire=KEY)
    assert client.post(f"/omgangar/{closed.id}/redovisningar", {}).status_code == 302
    assert "Omgången är inte öppen för svar." in _page(client, "/")
    assert client.get(f"/omgangar/{closed.id}/skicka-in-redovisningar").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Response)
                             .filter_by(round_id=closed.id)) == 0


def test_the_status_page_lists_each_report_and_reminds_an_organisation_once(client, auth,
                                                                           grant_round):
    first, second = _add(client, grant_round), _add(client, grant_round)
    _fill(client, first, "HBTQ-certifiering")
    auth.login_as("analyst", None)
    page = _page(client, f"/status/omgangar/{grant_round.id}")
    assert "Utvecklingsarbete 1: HBTQ-certifiering" in page
    assert "Utvecklingsarbete 2: namnlöst" in page
    assert f'href="/svar/{first}/visa"' in page and f'href="/svar/{second}/visa"' in page
    assert "organisationer, 2 redovisningar</caption>" in page
    reply = client.post(f"/status/omgangar/{grant_round.id}/paminn", {})
    assert reply.status_code == 302
    reminder = db.session.scalar(select(Reminder))
    recipients = [m.recipient for m in reminder.messages]
    assert recipients.count("respondent-asn@example.org") == 1


def test_organisations_without_a_report_get_no_reminder(client, auth, make_user, grant_round):
    make_user("respondent", "FRN")  # FRN has no report in the grants round: no grant
    _add(client, grant_round)  # ASN (logged in) has one under way
    auth.login_as("analyst", None)

    assert client.post(f"/status/omgangar/{grant_round.id}/paminn", {}).status_code == 302

    recipients = {m.recipient for m in db.session.scalar(select(Reminder)).messages}
    assert recipients == {"respondent-asn@example.org"}
