"""The demo database: logins, two closed rounds with varied answers and assessments, an open
round."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from survey.accounts.models import Role, User
from survey.analysis.levels import indices_by_organisation, round_levels
from survey.assessments.models import Assessment, AssessmentStatus, EvidenceQuote
from survey.assessments.services import submitted_texts
from survey.demo.assessments import DemoDataError, build_assessments, load_assessments
from survey.demo.build import DEMO_PASSWORD, build_demo, load_texts
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.organisations.services import by_short_name
from survey.questionnaires.models import Round, RoundStatus
from survey.responses.models import (
    Answer,
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
            for model in (User, Round, Response, Submission, AnswerRevision, SelfAssessment,
                          Assessment, EvidenceQuote)}


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
    for short_name, years in load_assessments().items():
        for year, entry in years.items():
            for text in list(entry["justification"].values()) + [q["text"] for q in
                                                                 entry["quotes"]]:
                assert find_personal_data(text) == [], (short_name, year, text)


def test_demo_users_can_log_in_with_the_demo_password(app, client):
    build_demo()
    for email in ("admin@example.org", "analytiker@example.org", "mkb@example.org"):
        response = client.post("/logga-in", {"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.get("/")  # the logged-in page carries the token for the logout form
        assert client.post("/logga-ut").status_code == 302


def test_reusing_an_old_demo_database_keeps_the_open_round_answerable(app):
    build_demo()
    later = dt.date.today() + dt.timedelta(days=120)
    build_demo(today=later)
    assert _round(2024).deadline > later
    assert _round(2024).status == RoundStatus.OPEN


def _assessments(round_: Round) -> list[Assessment]:
    return list(db.session.scalars(
        select(Assessment).join(Response).where(Response.round_id == round_.id)))


def test_the_2022_round_is_closed_with_answers_decided_in_early_2023(app):
    build_demo()
    first, closed = _round(2022), _round(2023)
    assert first.status == RoundStatus.CLOSED
    assert first.created_at < closed.created_at and first.deadline < closed.opens_at
    submitted = _responses(first, ResponseStatus.SUBMITTED)
    assert 12 <= len(submitted) == len(_responses(first)) <= 15
    words = sorted(sum(len(a.text.split()) for a in r.answers) for r in submitted)
    assert words[0] <= 70 and words[-1] >= 300
    assert sum(words) / len(words) < sum(
        sum(len(a.text.split()) for a in r.answers) for r in _responses(closed)
    ) / len(_responses(closed))
    for response in submitted:
        submission = response.latest_submission
        assert submission.decision_date.year == 2023
        assert submission.case_number.split("-")[1] == "2023"
        assert submission.submitted_at.year == 2023
        assert all(s.level is not None for s in response.self_assessments)
        assert response.rights_areas


def test_demo_assessments_are_done_for_2022_and_most_of_2023(app):
    build_demo()
    analyst = db.session.scalar(select(User).filter_by(email="analytiker@example.org"))
    first, closed = _round(2022), _round(2023)
    assert len(_assessments(first)) == len(_responses(first))
    assessed_2023 = _assessments(closed)
    assert 10 <= len(assessed_2023) <= len(_responses(closed)) - 2
    self_levels, levels_at_or_below = 0, 0
    for assessment in _assessments(first) + assessed_2023:
        assert assessment.status == AssessmentStatus.DONE and assessment.analyst == analyst
        assert assessment.completed_at > assessment.submission.submitted_at
        own = {s.component_id: s.level for s in assessment.response.self_assessments}
        for score in assessment.scores:
            assert score.level is not None and score.justification.strip()
            self_levels += 1
            levels_at_or_below += score.level <= own[score.component_id]
        spans = {(q.answer_id, q.start, q.end) for q in assessment.quotes}
        assert 1 <= len(spans) <= 3
    assert levels_at_or_below / self_levels >= 0.8
    # 2022 is published to the organisations; 2023 is left for the browser scenario.
    assert first.assessments_published_at is not None
    assert closed.assessments_published_at is None


def test_every_demo_quote_is_the_submitted_answer_text_at_its_place(app):
    build_demo()
    quotes = list(db.session.scalars(select(EvidenceQuote)))
    assert len(quotes) >= 40
    for quote in quotes:
        text = submitted_texts(quote.assessment)[quote.answer_id]
        assert text[quote.start:quote.end] == quote.text
        assert db.session.get(Answer, quote.answer_id).text[quote.start:quote.end] == quote.text


def test_a_quote_missing_from_the_answer_fails_loudly(app):
    build_demo()
    analyst = db.session.scalar(select(User).filter_by(email="analytiker@example.org"))
    levels = {code: 0 for code in ("MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP")}
    data = {"BOPLATS": {"2023": {
        "completed_days": 10, "levels": levels, "justification": {"MAL": "Saknas."},
        "quotes": [{"component": "MAL", "text": "Ett stycke som inte finns i svaret."}],
    }}}
    with pytest.raises(DemoDataError, match="BOPLATS 2023.*Ett stycke som inte finns"):
        build_assessments(_round(2023), analyst, publish=False, data=data)


def test_the_2024_round_has_submitted_answers_and_someone_fell_back(app):
    build_demo()
    open_ = _round(2024)
    submitted = _responses(open_, ResponseStatus.SUBMITTED)
    assert len(submitted) >= 3
    assert by_short_name("TN").id in {r.organisation_id for r in
                                       _responses(open_, ResponseStatus.RETURNED)}
    before = indices_by_organisation(round_levels(_round(2023).id))
    now = indices_by_organisation(round_levels(open_.id))
    assert {r.organisation_id for r in submitted} == set(now)
    fell_back = [org_id for org_id, index in now.items()
                 if org_id in before and index.value < before[org_id].value]
    assert fell_back


def test_someone_fell_back_from_2022_to_2023(app):
    build_demo()
    earlier = indices_by_organisation(round_levels(_round(2022).id))
    later = indices_by_organisation(round_levels(_round(2023).id))
    rose = [o for o in earlier if o in later and later[o].value > earlier[o].value]
    fell = [o for o in earlier if o in later and later[o].value < earlier[o].value]
    assert fell and len(rose) > len(fell)


def test_no_submitted_demo_answer_was_changed_after_it_was_submitted(app):
    build_demo()
    submitted = list(db.session.scalars(select(Response).where(
        Response.status == ResponseStatus.SUBMITTED)))
    assert submitted
    late = [(r.id, r.updated_at, r.submitted_at) for r in submitted
            if r.updated_at > r.submitted_at]
    assert late == []


def test_the_demo_has_an_open_development_funds_round_to_add_a_work_to(app, client):
    build_demo()
    grants = db.session.scalar(select(Round).where(
        Round.questionnaire_key == "redovisning-beviljade-medel",
        Round.status == RoundStatus.OPEN))
    assert grants is not None and grants.deadline > dt.date.today()
    client.post("/logga-in", data={"email": "asn@example.org", "password": DEMO_PASSWORD})
    page = client.get("/").get_data(as_text=True)
    assert f'action="/omgangar/{grants.id}/redovisningar"' in page
    assert "Lägg till utvecklingsarbete" in page


def test_pages_carry_the_favicon(client):
    page = client.get("/logga-in").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page
    icon = client.get("/static/favicon.svg")
    icon.close()  # the file is streamed: close it with the reply
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
