"""Publishing a round's assessments, and the organisation's feedback page."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support.factories import CODES, components_by_code, make_assessment, submitted_response

from survey.accounts.models import Role
from survey.assessments.models import EvidenceQuote
from survey.audit.models import AuditEvent
from survey.database import utcnow
from survey.extensions import db
from survey.questionnaires.models import Round
from survey.responses.models import Response


@pytest.fixture
def assessed(app, make_round, make_user, organisation):
    round_ = make_round()
    user = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None)
    response = submitted_response(round_, organisation("ASN"), user, {"MAL": 1, "KUN": 3},
                                  text="Vi har en handlingsplan för barnets rättigheter.")
    assessment = make_assessment(response, analyst, {**{c: 2 for c in CODES}, "MAL": 3},
                                 justification="Hemlig motivering {code}.")
    answer = response.answers[0]
    db.session.add(EvidenceQuote(assessment_id=assessment.id, answer_id=answer.id, start=7,
                                 end=24, text=answer.text[7:24],
                                 component_id=components_by_code()["MAL"].id))
    db.session.commit()
    return {"round_id": round_.id, "response_id": response.id}


def published_at(round_id):
    db.session.rollback()
    return db.session.get(Round, round_id).assessments_published_at


def test_publish_and_unpublish(client, auth, assessed):
    auth.login_as(Role.ANALYST, None)
    round_id = assessed["round_id"]
    assert client.post(f"/samstammighet/omgangar/{round_id}/publicera").status_code == 302
    assert published_at(round_id) is not None
    page = client.get(f"/samstammighet/omgangar/{round_id}").get_data(as_text=True)
    assert "Publicerad" in page and "Återkalla publiceringen" in page
    assert client.post(f"/samstammighet/omgangar/{round_id}/avpublicera").status_code == 302
    assert published_at(round_id) is None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "round.publish_assessments" in actions and "round.unpublish_assessments" in actions


def test_publishing_is_refused_without_effective_assessments(client, auth, make_round):
    round_ = make_round()
    auth.login_as(Role.ANALYST, None)
    reply = client.post(f"/samstammighet/omgangar/{round_.id}/publicera")
    assert reply.status_code == 302
    assert "inga klara bedömningar" in client.get(reply.headers["Location"]).get_data(
        as_text=True)
    assert published_at(round_.id) is None


def test_feedback_is_hidden_until_published(client, auth, assessed):
    auth.login_as(Role.RESPONDENT, "ASN")
    url = f"/aterkoppling/svar/{assessed['response_id']}"
    reply = client.get(url)
    assert reply.status_code == 404
    assert "Hemlig motivering" not in reply.get_data(as_text=True)
    view = client.get(f"/svar/{assessed['response_id']}/visa")
    assert view.status_code == 200
    assert "Se stadskontorets bedömning" not in view.get_data(as_text=True)


def test_feedback_after_publishing_shows_levels_evidence_and_difference(
        client, auth, assessed, make_user):
    db.session.get(Round, assessed["round_id"]).assessments_published_at = \
        utcnow()
    db.session.commit()
    auth.login_as(Role.RESPONDENT, "ASN")
    view = client.get(f"/svar/{assessed['response_id']}/visa").get_data(as_text=True)
    assert "Se stadskontorets bedömning" in view
    page = client.get(f"/aterkoppling/svar/{assessed['response_id']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hemlig motivering MAL." in text
    assert "handlingsplan" in text  # the evidence quote
    assert "+2 jämfört med er självskattning" in text  # MAL: 3 against 1
    assert "−1 jämfört med er självskattning" in text  # KUN: 2 against 3
    assert "Ingen självskattning" in text
    # Mean of seven levels: (3 + 6 × 2) / 7 = 2.14…
    assert "2,1 av 4" in text


def test_feedback_is_404_for_another_organisation(client, auth, assessed):
    db.session.get(Round, assessed["round_id"]).assessments_published_at = \
        utcnow()
    db.session.commit()
    auth.login_as(Role.RESPONDENT, "FRN")
    reply = client.get(f"/aterkoppling/svar/{assessed['response_id']}")
    assert reply.status_code == 404
    assert "Hemlig motivering" not in reply.get_data(as_text=True)


def test_publishing_is_confirmed_on_a_page_that_names_who_sees_what(client, auth, assessed):
    auth.login_as(Role.ANALYST, None)
    round_id = assessed["round_id"]
    round_page = client.get(f"/samstammighet/omgangar/{round_id}").get_data(as_text=True)
    assert f'href="/samstammighet/omgangar/{round_id}/publicera"' in round_page
    page = client.get(f"/samstammighet/omgangar/{round_id}/publicera").get_data(as_text=True)
    assert "1 organisation</strong> ser då sina bedömningar" in page
    assert organisation_name(assessed["response_id"]) in page
    assert "Avbryt" in page and published_at(round_id) is None  # looking publishes nothing
    assert client.post(f"/samstammighet/omgangar/{round_id}/publicera").status_code == 302
    assert published_at(round_id) is not None
    again = client.get(f"/samstammighet/omgangar/{round_id}/publicera").get_data(as_text=True)
    assert "Bedömningarna är redan publicerade" in again


def organisation_name(response_id):
    return db.session.get(Response, response_id).organisation.name
