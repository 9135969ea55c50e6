"""Who may use the assessment page: analysts and admins assess; respondents never see it;
analysts change assessments, never answers."""

from __future__ import annotations

import pytest
from support.assessing import first_answer_id, form, response_to_assess

from survey.accounts.models import Role
from survey.assessments.models import Assessment
from survey.extensions import db
from survey.responses.models import Answer


@pytest.mark.parametrize("org", ["ASN", "FRN"])
def test_respondents_get_403_on_every_scoring_route(client, auth, make_round, make_user,
                                                   organisation, org):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.RESPONDENT, org)
    url = f"/bedomning/svar/{response_id}"
    assert client.get(url).status_code == 403
    assert client.post(url, form(0, {"KOM": 4})).status_code == 403
    assert db.session.query(Assessment).count() == 0


def test_anonymous_is_sent_to_login(client, make_round, make_user, organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    reply = client.get(f"/bedomning/svar/{response_id}")
    assert reply.status_code == 302 and "/logga-in" in reply.headers["Location"]


def test_unknown_response_is_404_for_analysts(client, auth):
    auth.login_as(Role.ANALYST, None)
    assert client.get("/bedomning/svar/999999").status_code == 404


def test_draft_response_cannot_be_assessed(client, auth, make_round, make_user, organisation):
    from survey.responses.services import start_response

    round_ = make_round()
    owner = make_user(Role.RESPONDENT, "ASN")
    response = start_response(round_, organisation("ASN"), owner)
    db.session.commit()
    auth.login_as(Role.ANALYST, None)
    reply = client.post(f"/bedomning/svar/{response.id}", form(0))
    assert reply.status_code == 302 and "/visa" in reply.headers["Location"]
    assert db.session.query(Assessment).count() == 0


def test_admin_may_assess(client, auth, make_round, make_user, organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ADMIN, None)
    assert client.post(f"/bedomning/svar/{response_id}", form(0)).status_code == 302
    assert db.session.query(Assessment).count() == 1


def test_analyst_cannot_change_answers(client, auth, make_round, make_user, organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    answer_id = first_answer_id(response_id)
    before = db.session.get(Answer, answer_id)
    reply = client.post_json(f"/svar/{response_id}/autospara", {
        "field": f"answer-{before.question_id}", "value": "Ändrat av analytiker",
        "version": before.version})
    assert reply.status_code == 403
    db.session.expire_all()
    assert db.session.get(Answer, answer_id).text != "Ändrat av analytiker"


def test_links_to_the_assessment_page(client, auth, make_round, make_user, organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    link = f'href="/bedomning/svar/{response_id}"'
    assert link in client.get(f"/svar/{response_id}/visa").get_data(as_text=True)
    round_id = db.session.get(Answer, first_answer_id(response_id)).response.round_id
    assert link in client.get(f"/status/omgangar/{round_id}").get_data(as_text=True)
