"""`flask --app survey seed-synthetic`: bulk synthetic organisations and rounds for benchmarks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, inspect, select
from support.config import app_config

from survey import create_app
from survey.analysis.levels import SOURCE_ASSESSMENT, SOURCE_SELF_ASSESSMENT, round_levels
from survey.assessments.models import Assessment, AssessmentStatus, EvidenceQuote
from survey.assessments.services import add_quote, record_done_assessment, start_assessment
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.organisations.services import by_short_name
from survey.questionnaires.models import Round, RoundQuestion, RoundStatus
from survey.questionnaires.services import create_round, open_round
from survey.reference.models import Component
from survey.responses.models import (
    Answer,
    AnswerRevision,
    DecisionBody,
    Response,
    ResponseStatus,
    SelfAssessment,
    Submission,
    count_words,
)
from survey.responses.services import record_submitted_response, save_answer, start_response

ORGS, ROUNDS = 40, 3


def _seed(runner, *extra):
    result = runner.invoke(args=["seed-synthetic", "--orgs", str(ORGS), "--rounds",
                                 str(ROUNDS), *extra])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def _synthetic_rounds() -> list[Round]:
    last = dt.date.today().year - 1
    return list(db.session.scalars(
        select(Round).where(Round.questionnaire_key == "sarskild-fraga",
                            Round.year.between(last - ROUNDS + 1, last)).order_by(Round.year)))


def _status_counts() -> dict[ResponseStatus, int]:
    return dict(db.session.execute(
        select(Response.status, func.count()).group_by(Response.status)).all())


def test_seed_synthetic_adds_organisations_and_closed_rounds_of_last_years(runner):
    result = _seed(runner)

    assert "Rader inlagda:" in result.output
    synthetic = list(db.session.scalars(
        select(Organisation).where(Organisation.short_name.like("SYN%"))))
    assert len(synthetic) == ORGS
    assert {o.kind.value for o in synthetic} == {"namnd", "bolag"}
    rounds = _synthetic_rounds()
    assert [r.year for r in rounds] == list(range(dt.date.today().year - ROUNDS,
                                                  dt.date.today().year))
    assert all(r.status == RoundStatus.CLOSED for r in rounds)
    assert all(o.is_valid_in(rounds[0].year) for o in synthetic)


def test_seed_synthetic_gives_statuses_in_the_expected_shares(runner):
    _seed(runner)

    counts = _status_counts()
    answered = sum(counts.values())
    assert 0.8 * ORGS * ROUNDS <= answered < ORGS * ROUNDS  # ~90 %; some did not answer
    assert counts[ResponseStatus.SUBMITTED] >= 0.7 * answered
    assert 0 < counts[ResponseStatus.DRAFT] <= 0.2 * answered
    assert 0 < counts[ResponseStatus.RETURNED] <= 0.12 * answered
    assessments = db.session.scalar(select(func.count(Assessment.id)).where(
        Assessment.status == AssessmentStatus.DONE))
    assert 0.4 * counts[ResponseStatus.SUBMITTED] <= assessments \
        <= 0.8 * counts[ResponseStatus.SUBMITTED]


def test_seed_synthetic_rows_reference_each_other_consistently(runner):
    _seed(runner)

    latest = select(func.max(Submission.id)).where(
        Submission.response_id == Assessment.response_id).scalar_subquery()
    stale = db.session.scalar(select(func.count(Assessment.id)).join(Response).where(
        (Assessment.submission_id != latest) | (Response.status != ResponseStatus.SUBMITTED)))
    assert stale == 0
    for response in db.session.scalars(select(Response)):
        questions = db.session.scalar(select(func.count(RoundQuestion.id)).where(
            RoundQuestion.round_id == response.round_id))
        assert len(response.answers) == questions
        assert len(response.self_assessments) == 7
        # Submitted and returned responses were submitted once; drafts never.
        assert [s.number for s in response.submissions] == \
            ([] if response.status == ResponseStatus.DRAFT else [1])
        if response.latest_submission is not None:
            snapshot = {a["key"]: a["text"] for a in response.latest_submission.content["answers"]}
            assert snapshot == {a.question.key: a.text for a in response.answers}
    for answer in db.session.scalars(select(Answer)):
        assert 30 <= answer.word_count == count_words(answer.text) == len(answer.text.split())
    for quote in db.session.scalars(select(EvidenceQuote)):
        assert quote.text == quote.answer.text[quote.start:quote.end]
        assert quote.text.endswith(".")


def test_seed_synthetic_leaves_some_self_assessed_levels_missing(runner):
    _seed(runner)

    levels = dict(db.session.execute(
        select(SelfAssessment.level.is_(None), func.count()).group_by(
            SelfAssessment.level.is_(None))).all())
    assert 0 < levels[True] < 0.2 * (levels[True] + levels[False])
    assert set(db.session.scalars(select(SelfAssessment.level).distinct())) <= \
        {None, 0, 1, 2, 3, 4}


def test_round_levels_returns_the_synthetic_organisations_of_the_round(runner):
    _seed(runner)
    newest = _synthetic_rounds()[-1]

    rows = round_levels(newest.id)

    submitted = set(db.session.scalars(select(Response.organisation_id).where(
        Response.round_id == newest.id, Response.status == ResponseStatus.SUBMITTED)))
    assert {row.organisation_id for row in rows} == submitted
    assert {row.source for row in rows} == {SOURCE_ASSESSMENT, SOURCE_SELF_ASSESSMENT}
    assert all(0 <= row.level <= 4 for row in rows)
    components = db.session.scalar(select(func.count(Component.id)))
    assert len(rows) <= components * len(submitted)


def test_seed_synthetic_refuses_to_run_twice(runner):
    _seed(runner)
    before = db.session.scalar(select(func.count(Response.id)))

    result = runner.invoke(args=["seed-synthetic", "--orgs", "5", "--rounds", "1"])

    assert result.exit_code != 0
    assert "Det finns redan syntetiska organisationer" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Response.id))) == before


def test_seed_synthetic_reuses_an_existing_round_of_a_year(runner, make_round):
    year = dt.date.today().year - 1
    existing = make_round(year, RoundStatus.CLOSED)

    _seed(runner)

    rounds = _synthetic_rounds()
    assert len(rounds) == ROUNDS
    assert rounds[-1].id == existing.id
    assert db.session.scalar(select(func.count(Response.id)).where(
        Response.round_id == existing.id)) > 0


def _fingerprint() -> tuple:
    return tuple(db.session.execute(select(
        func.sum(Answer.word_count), func.count(Answer.id),
        select(func.sum(SelfAssessment.level)).scalar_subquery(),
        select(func.count(Assessment.id)).scalar_subquery())).one())


def test_the_same_seed_gives_the_same_data_on_another_database(runner, tmp_path):
    _seed(runner, "--seed", "7")
    here = _fingerprint()

    other = create_app(app_config(f"sqlite:///{tmp_path / 'other.sqlite'}"))
    with other.app_context():
        db.create_all()
        result = other.test_cli_runner().invoke(args=[
            "seed-synthetic", "--orgs", str(ORGS), "--rounds", str(ROUNDS), "--seed", "7"])
        assert result.exit_code == 0, result.output
        there = _fingerprint()
        db.session.remove()
        db.engine.dispose()

    assert here == there


def test_new_rows_get_fresh_ids_after_the_synthetic_data(runner, make_user):
    _seed(runner)
    user = make_user("analyst", None)
    round_ = create_round("sarskild-fraga", dt.date.today().year, dt.date.today(),
                          dt.date.today() + dt.timedelta(days=30))
    open_round(round_)
    organisation = Organisation(name="Ny nämnd", short_name="NYN", kind="namnd")
    db.session.add(organisation)
    db.session.flush()

    response = start_response(round_, organisation, user)
    db.session.commit()

    assert response.id > db.session.scalar(
        select(func.max(Response.id)).where(Response.id != response.id))
    assert len(response.answers) == len(round_.questions)


# --- built as the services build them ----------------------------------------------------

def _filled(row) -> set[str]:
    """The row's columns that hold a value, its id left out."""
    return {column.key for column in inspect(row).mapper.column_attrs
            if column.key != "id" and getattr(row, column.key) is not None}


def _unassessed_submitted_response() -> Response:
    return db.session.scalar(select(Response).where(
        Response.status == ResponseStatus.SUBMITTED,
        ~select(Assessment.id).where(Assessment.response_id == Response.id).exists())
        .order_by(Response.id).limit(1))


def test_a_synthetic_done_assessment_has_the_columns_record_done_assessment_fills(
        runner, make_user):
    _seed(runner)
    synthetic = db.session.scalar(select(Assessment).where(
        Assessment.status == AssessmentStatus.DONE).order_by(Assessment.id).limit(1))
    response = _unassessed_submitted_response()
    levels = {score.component.code: score.level for score in synthetic.scores}

    recorded = record_done_assessment(response, levels, make_user("analyst", None))

    assert _filled(synthetic) == _filled(recorded)
    assert (synthetic.status, synthetic.version, synthetic.kind) == \
        (recorded.status, recorded.version, recorded.kind)
    assert synthetic.submission_id == synthetic.response.latest_submission.id
    assert {frozenset(_filled(score)) for score in synthetic.scores} == \
        {frozenset(_filled(score)) for score in recorded.scores}
    assert sorted(s.component_id for s in synthetic.scores) == \
        sorted(s.component_id for s in recorded.scores)


def test_a_synthetic_draft_and_quote_have_the_columns_the_services_fill(runner, make_user):
    _seed(runner)
    synthetic = db.session.scalar(select(Assessment).where(
        Assessment.status == AssessmentStatus.DRAFT).order_by(Assessment.id).limit(1))
    response = _unassessed_submitted_response()
    analyst = make_user("analyst", None)

    started = start_assessment(response, analyst)
    answer = response.answers[0]
    quote = add_quote(started, answer, 0, 12, "KUN", analyst)

    assert _filled(synthetic) == _filled(started)
    assert synthetic.status == started.status
    assert [_filled(q) for q in synthetic.quotes] == [_filled(quote)]
    assert synthetic.quotes[0].from_suggestion is quote.from_suggestion is False


def test_each_synthetic_answer_has_the_revision_of_its_save(runner):
    _seed(runner)

    answers = list(db.session.scalars(select(Answer)))
    assert answers
    for answer in answers:
        assert [(r.version, r.text, r.action, r.created_at, r.user_id)
                for r in answer.revisions] == \
            [(answer.version, answer.text, "save", answer.updated_at, answer.updated_by_id)]


def test_a_synthetic_revision_has_the_columns_of_a_recorded_responses_revision(runner):
    _seed(runner)
    round_ = _synthetic_rounds()[-1]
    at = dt.datetime(round_.year + 1, 2, 1, 12, tzinfo=dt.UTC)

    recorded = record_submitted_response(round_, by_short_name("ASN"), {1: "Ett svar."},
                                         DecisionBody.NAMND, at.date(), "ASN-2024-1", at)

    revision = recorded.answers[0].revisions[0]
    synthetic = db.session.scalar(select(AnswerRevision).order_by(AnswerRevision.id).limit(1))
    assert _filled(synthetic) == _filled(revision)
    assert synthetic.action == revision.action


def test_a_new_revision_gets_a_fresh_id_after_the_synthetic_ones(runner, make_user):
    _seed(runner)
    user = make_user("respondent", "ASN")
    round_ = create_round("sarskild-fraga", dt.date.today().year, dt.date.today(),
                          dt.date.today() + dt.timedelta(days=30))
    open_round(round_)
    response = start_response(round_, by_short_name("ASN"), user)
    question = round_.questions[0]

    save_answer(response, question, "Ett nytt svar.", 0, user)
    db.session.commit()

    newest = db.session.scalar(select(AnswerRevision).order_by(AnswerRevision.id.desc()))
    assert newest.text == "Ett nytt svar." and newest.answer.response_id == response.id
