"""Writing checked import rows: rounds, submitted responses and the analysts' assessments.

The response services refuse closed rounds (respondents cannot answer them), and an imported
response is a round's history, not an answer being written now, so the rows are built
directly here, shaped exactly as submitting and assessing make them. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from exports.import_rows import QUESTIONNAIRE, ImportRow
from survey.accounts.models import User
from survey.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentRevision,
    AssessmentScore,
    AssessmentStatus,
)
from survey.assessments.services import snapshot as assessment_snapshot
from survey.audit.services import record
from survey.database import utcnow
from survey.extensions import db
from survey.organisations.models import OrganisationKind
from survey.questionnaires.models import Round, RoundStatus
from survey.questionnaires.services import create_round
from survey.reference.services import components
from survey.responses.models import (
    Answer,
    AnswerRevision,
    DecisionBody,
    EventKind,
    Response,
    ResponseEvent,
    ResponseStatus,
    RevisionAction,
    SelfAssessment,
    Submission,
    count_words,
)
from survey.responses.services import snapshot


@dataclass
class ImportResult:
    responses: int = 0
    assessments: int = 0
    created_years: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.responses} svar importerade ({self.assessments} med bedömning)"
        if self.created_years:
            text += "; nya omgångar: " + ", ".join(str(y) for y in self.created_years)
        return text + "."


def write_rows(rows: list[ImportRow], user: User) -> ImportResult:
    """Create every row's response (and assessment); flushes, never commits."""
    result = ImportResult()
    by_year: dict[int, list[ImportRow]] = defaultdict(list)
    for row in rows:
        by_year[row.year].append(row)
    for year in sorted(by_year):
        round_, created = _round_for(year, by_year[year])
        if created:
            result.created_years.append(year)
        for row in by_year[year]:
            response = create_submitted_response(round_, row)
            if row.levels:
                create_done_assessment(response, row.levels, user)
                result.assessments += 1
            result.responses += 1
        if created and any(row.levels for row in by_year[year]):
            # Historical results were already published (in that year's annex), so a round
            # the import creates shows them to the organisations at once.
            round_.assessments_published_at = utcnow()
        result.years.append(year)
    record("import.xlsx", user=user, detail=result.summary())
    db.session.flush()
    return result


def _round_for(year: int, rows: list[ImportRow]) -> tuple[Round, bool]:
    """The year's round, or a new closed one spanning the rows' decision dates."""
    round_ = db.session.scalar(select(Round).filter_by(questionnaire_key=QUESTIONNAIRE, year=year))
    if round_ is not None:
        return round_, False
    dates = [row.decision_date for row in rows]
    round_ = create_round(QUESTIONNAIRE, year, min(dates), max(dates))
    round_.status = RoundStatus.CLOSED
    return round_, True


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


def create_submitted_response(round_: Round, row: ImportRow) -> Response:
    """A response as submitting makes it: answers (version 1, one revision), submission
    number 1 with its snapshot, and the SUBMITTED event.

    When it was really handed in is unknown; the decision date is the nearest known moment,
    so every timestamp of the response is that day. Who submitted is unknown too (None); the
    audit log names the user who imported it.
    """
    organisation = row.organisation
    at = _moment(row.decision_date)
    response = Response(round_id=round_.id, organisation_id=organisation.id,
                        status=ResponseStatus.SUBMITTED, created_at=at, updated_at=at,
                        submitted_at=at)
    db.session.add(response)
    for question in round_.questions:
        text = row.answers.get(question.position, "")
        answer = Answer(question_id=question.id, text=text, word_count=count_words(text),
                        version=1, updated_at=at)
        answer.revisions.append(AnswerRevision(version=1, text=text, action=RevisionAction.SAVE,
                                               created_at=at))
        response.answers.append(answer)
    if round_.self_assessment:
        # Empty rows, as when a response is started: the organisation rated nothing here.
        for component in components():
            response.self_assessments.append(SelfAssessment(component_id=component.id))
    response.events.append(ResponseEvent(kind=EventKind.CREATED, at=at))
    db.session.flush()
    body = DecisionBody.STYRELSE if organisation.kind == OrganisationKind.BOLAG \
        else DecisionBody.NAMND
    submission = Submission(response_id=response.id, number=1, submitted_at=at,
                            decision_body=body, decision_date=row.decision_date,
                            case_number=row.case_number, content=snapshot(response))
    db.session.add(submission)
    db.session.flush()
    db.session.add(ResponseEvent(response_id=response.id, kind=EventKind.SUBMITTED, at=at,
                                 submission_id=submission.id))
    db.session.flush()
    db.session.refresh(response)
    return response


def create_done_assessment(response: Response, levels: dict[str, int],
                           analyst: User) -> Assessment:
    """The importing user's independent assessment, done, with the given levels (a score row
    per component, as starting an assessment makes; the levels not given stay empty)."""
    now = utcnow()
    assessment = Assessment(response_id=response.id,
                            submission_id=response.latest_submission.id, analyst_id=analyst.id,
                            kind=AssessmentKind.INDEPENDENT, status=AssessmentStatus.DONE,
                            version=1, created_at=now, updated_at=now, completed_at=now)
    for component in components():
        assessment.scores.append(AssessmentScore(component_id=component.id,
                                                 level=levels.get(component.code),
                                                 justification=""))
    db.session.add(assessment)
    db.session.flush()
    db.session.add(AssessmentRevision(assessment_id=assessment.id, version=1,
                                      content=assessment_snapshot(assessment), action="import",
                                      user_id=analyst.id))
    return assessment
