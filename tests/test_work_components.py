"""Analysts tag each development work (a report of a grants round) with the components it
strengthens, on the response's page; nobody else can, and other rounds do not take tags."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from support.factories import components_by_code, filed_report

from survey.accounts.models import Role
from survey.assessments.work_components import components_of
from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.responses.services import start_response

GRANTS = "redovisning-beviljade-medel"
FORM_LEGEND = "Komponenter som utvecklingsarbetet stärker"
CHECKED = re.compile(r'<input type="checkbox"[^>]*name="component" value="(\d+)"[^>]*\bchecked')


@pytest.fixture
def works(make_round, make_user, organisation):
    """Two submitted works of ASN in a grants round: HBTQ-certifiering and vägledning."""
    round_ = make_round(2024, questionnaire=GRANTS)
    user = make_user(Role.RESPONDENT, "ASN")
    org = organisation("ASN")
    hbtq = filed_report(round_, org, user, "HBTQ-certifiering",
                        text="Personalen har gått utbildning för HBTQ-certifieringen.")
    guidance = filed_report(round_, org, user, "Vägledning för barnkonsekvensanalyser",
                            text="En vägledning togs fram tillsammans med förvaltningarna.")
    return hbtq, guidance


def ids(*codes: str) -> list[int]:
    by_code = components_by_code()
    return [by_code[code].id for code in codes]


def url(response) -> str:
    return f"/bedomning/svar/{response.id}/komponenter"


def view(client, response) -> str:
    reply = client.get(f"/svar/{response.id}/visa")
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def checked_codes(html: str) -> set[str]:
    """The codes of the component checkboxes that are checked on the page."""
    by_id = {c.id: c.code for c in components_by_code().values()}
    return {by_id[int(cid)] for cid in CHECKED.findall(html)}


def test_analyst_tags_each_work_with_the_components_it_strengthens(client, auth, works):
    hbtq, guidance = works
    analyst = auth.login_as(Role.ANALYST, None)
    page = view(client, hbtq)
    assert FORM_LEGEND in page
    assert page.count('name="component"') == 7
    assert "Kompetenshöjande insatser" in page
    assert checked_codes(page) == set()

    reply = client.post(url(hbtq), {"component": ids("KOM")})
    assert reply.status_code == 302
    assert reply.headers["Location"].endswith(f"/svar/{hbtq.id}/visa")
    reply = client.post(url(guidance), {"component": ids("SAM", "MET")}, follow_redirects=True)
    assert "Komponenterna är sparade." in reply.get_data(as_text=True)

    assert [c.code for c in components_of(hbtq)] == ["KOM"]
    assert [c.code for c in components_of(guidance)] == ["MET", "SAM"]  # position order
    assert checked_codes(view(client, hbtq)) == {"KOM"}
    assert checked_codes(view(client, guidance)) == {"MET", "SAM"}
    event = db.session.scalars(select(AuditEvent).filter_by(
        action="work.components", object_id=guidance.id)).one()
    assert (event.detail, event.user_id) == ("MET, SAM", analyst.id)


def test_saving_replaces_the_tags(client, auth, works):
    hbtq, _ = works
    auth.login_as(Role.ADMIN, None)
    client.post(url(hbtq), {"component": ids("KOM", "MAL")})
    client.post(url(hbtq), {"component": ids("MET")})
    assert [c.code for c in components_of(hbtq)] == ["MET"]
    client.post(url(hbtq), {})
    assert components_of(hbtq) == []
    assert checked_codes(view(client, hbtq)) == set()


def test_an_unknown_component_changes_nothing(client, auth, works):
    hbtq, _ = works
    auth.login_as(Role.ANALYST, None)
    client.post(url(hbtq), {"component": ids("KOM")})
    reply = client.post(url(hbtq), {"component": ids("MET") + [99999]}, follow_redirects=True)
    assert "finns inte" in reply.get_data(as_text=True)
    assert [c.code for c in components_of(hbtq)] == ["KOM"]
    assert client.post(url(hbtq), {"component": "KOM"}).status_code == 400


def test_respondents_cannot_tag_and_see_tags_only_when_published(client, auth, works):
    hbtq, _ = works
    auth.login_as(Role.ANALYST, None)
    client.post(url(hbtq), {"component": ids("KOM")})
    auth.logout()
    auth.login_as(Role.RESPONDENT, "ASN")
    assert client.post(url(hbtq), {"component": ids("MET")}).status_code == 403
    assert [c.code for c in components_of(hbtq)] == ["KOM"]
    page = view(client, hbtq)
    assert FORM_LEGEND not in page and 'name="component"' not in page
    assert "Kompetenshöjande insatser" not in page  # unpublished: nothing leaks

    hbtq.round.assessments_published_at = dt.datetime(2024, 4, 1, tzinfo=dt.UTC)
    db.session.commit()
    page = view(client, hbtq)
    assert "Stadskontoret bedömer att utvecklingsarbetet stärker" in page
    assert "Kompetenshöjande insatser" in page and 'name="component"' not in page


def test_a_special_question_response_takes_no_tags(client, auth, make_round, make_user,
                                                   organisation):
    round_ = make_round(2024)
    response = start_response(round_, organisation("ASN"), make_user(Role.RESPONDENT, "ASN"))
    db.session.commit()
    auth.login_as(Role.ANALYST, None)
    assert client.post(url(response), {"component": ids("KOM")}).status_code == 404
    assert components_of(response) == []
    assert FORM_LEGEND not in view(client, response)


def test_assessing_a_development_work_leads_to_its_page(client, auth, works):
    hbtq, _ = works
    auth.login_as(Role.ANALYST, None)
    reply = client.get(f"/bedomning/svar/{hbtq.id}")
    assert reply.status_code == 302
    assert reply.headers["Location"].endswith(f"/svar/{hbtq.id}/visa")
