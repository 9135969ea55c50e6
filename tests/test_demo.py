"""The demo database: logins, a closed round with varied answers, an open round."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from survey.accounts.models import Role, User
from survey.demo.build import DEMO_PASSWORD, build_demo, load_texts
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round, RoundStatus
from survey.responses.models import (
    AnswerRevision,
    Response,
    ResponseStatus,
    SelfAssessment,
    Submission,
)
from survey.responses.personal_data import find_personal_data


def _round(year: int) -> Round:
    return db.session.scalar(select(Round).filter_by(questionnaire_key="sarskild-fraga", year=year))


def _responses(round_: Round, status: ResponseStatus | None = None) -> list[Response]:
    query = select(Response).filter_by(round_id=round_.id)
    if status is not None:
        query = query.filter_by(status=status)
    return list(db.session.scalars(query))


def _counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Round, Response, Submission, AnswerRevision, SelfAssessment)}


def test_build_demo_creates_a_login_per_role_and_organisation(app):
    logins = dict(build_demo())
    organisations = db.session.scalar(select(func.count(Organisation.id)))
    assert len(logins) == organisations + 2
    assert logins["admin@example.org"] == "Administratör"
    assert logins["asn@example.org"] == "Svarande, Arbetsmarknads- och socialnämnden"
    mkb = db.session.scalar(select(User).filter_by(email="mkb@example.org"))
    assert mkb.role == Role.RESPONDENT and mkb.organisation.short_name == "MKB"
    analyst = db.session.scalar(select(User).filter_by(email="analytiker@example.org"))
    assert analyst.role == Role.ANALYST


def test_closed_round_has_many_submitted_answers_of_very_different_length(app):
    build_demo()
    closed = _round(2023)
    assert closed.status == RoundStatus.CLOSED
    submitted = _responses(closed, ResponseStatus.SUBMITTED)
    assert len(submitted) >= 12
    assert len(_responses(closed)) < db.session.scalar(select(func.count(Organisation.id)))
    words = [sum(len(a.text.split()) for a in r.answers) for r in submitted]
    assert max(words) / min(words) >= 8
    for response in submitted:
        submission = response.latest_submission
        assert submission.decision_date.year == 2024
        assert submission.case_number.split("-")[1] == "2024"
        assert all(s.level is not None for s in response.self_assessments)
        assert response.rights_areas


def test_open_round_has_drafts_a_returned_and_unstarted_organisations(app):
    today = dt.date.today()
    build_demo()
    open_ = _round(2024)
    assert open_.status == RoundStatus.OPEN
    assert open_.opens_at < today < open_.deadline
    assert len(_responses(open_, ResponseStatus.DRAFT)) >= 5
    returned = _responses(open_, ResponseStatus.RETURNED)
    assert len(returned) == 1
    assert returned[0].latest_return.reason.strip()
    assert returned[0].latest_submission is not None
    started = {r.organisation_id for r in _responses(open_)}
    assert db.session.scalar(select(func.count(Organisation.id))) - len(started) >= 5


def test_build_demo_twice_changes_nothing(app):
    first_logins = build_demo()
    counts = _counts()
    assert build_demo() == first_logins
    assert _counts() == counts


def test_demo_texts_contain_no_personal_data():
    for short_name, years in load_texts().items():
        for year, entry in years.items():
            for key in ("systematiskt-arbete", "mojligheter-utmaningar", "return_reason"):
                assert find_personal_data(entry.get(key, "")) == [], (short_name, year, key)


def test_demo_users_can_log_in_with_the_demo_password(app, client):
    build_demo()
    for email in ("admin@example.org", "analytiker@example.org", "mkb@example.org"):
        response = client.post("/login", {"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.get("/")  # the logged-in page carries the token for the logout form
        assert client.post("/logout").status_code == 302


def test_reusing_an_old_demo_database_keeps_the_open_round_answerable(app):
    build_demo()
    later = dt.date.today() + dt.timedelta(days=120)
    build_demo(today=later)
    assert _round(2024).deadline > later
    assert _round(2024).status == RoundStatus.OPEN
