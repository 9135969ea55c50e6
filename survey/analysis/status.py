"""The status figures of a round: one row per organisation (per report, in a round of
several reports) with its response's status and latest submission, and counts per status.
The status overview (survey.status) and the dashboards show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind, organisations_valid_in
from survey.questionnaires.models import Round, RoundQuestion
from survey.responses.models import (
    NOT_STARTED_LABEL,
    Answer,
    DecisionBody,
    Response,
    ResponseStatus,
    Submission,
)
from survey.responses.services import WORK_NAME_KEY

#: Keys of the status columns in display order; "not_started" is the absence of a response.
NOT_STARTED = "not_started"
STATUS_KEYS = (NOT_STARTED, ResponseStatus.DRAFT.value, ResponseStatus.SUBMITTED.value,
               ResponseStatus.RETURNED.value)
STATUS_LABELS = {NOT_STARTED: NOT_STARTED_LABEL, **{s.value: s.label for s in ResponseStatus}}


@dataclass(frozen=True)
class StatusRow:
    organisation_id: int
    organisation_name: str
    short_name: str
    kind: OrganisationKind
    response_id: int | None = None
    status: ResponseStatus | None = None
    last_change: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    decision_body: DecisionBody | None = None
    decision_date: dt.date | None = None
    case_number: str | None = None
    #: In a round of several reports: "Utvecklingsarbete N: <name>", one row per report.
    report_label: str | None = None

    @property
    def status_key(self) -> str:
        return self.status.value if self.status else NOT_STARTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status_key]

    @property
    def has_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


@dataclass(frozen=True)
class StatusCount:
    key: str
    label: str
    count: int


def status_rows(round_: Round, kind: OrganisationKind | None = None) -> list[StatusRow]:
    """Every organisation valid in the round's year, plus any that has a response.

    One statement: organisations outer-joined to this round's response and to
    that response's latest submission.
    """
    latest = (
        select(Submission.response_id, func.max(Submission.number).label("number"))
        .group_by(Submission.response_id)
        .subquery()
    )
    valid = organisations_valid_in(round_.year).whereclause
    stmt = (
        select(Organisation, Response, Submission)
        .outerjoin(Response, and_(Response.organisation_id == Organisation.id,
                                  Response.round_id == round_.id))
        .outerjoin(latest, latest.c.response_id == Response.id)
        .outerjoin(Submission, and_(Submission.response_id == Response.id,
                                    Submission.number == latest.c.number))
        .where(or_(valid, Response.id.is_not(None)))
        .order_by(Organisation.kind.desc(), Organisation.name, Response.number)
    )
    if kind is not None:
        stmt = stmt.where(Organisation.kind == kind)
    names = _work_names(round_) if round_.several_reports else {}
    rows = []
    for organisation, response, submission in db.session.execute(stmt):
        rows.append(StatusRow(
            organisation_id=organisation.id,
            organisation_name=organisation.name,
            short_name=organisation.short_name,
            kind=organisation.kind,
            response_id=response.id if response else None,
            status=response.status if response else None,
            last_change=response.updated_at if response else None,
            submitted_at=submission.submitted_at if submission else None,
            decision_body=submission.decision_body if submission else None,
            decision_date=submission.decision_date if submission else None,
            case_number=submission.case_number if submission else None,
            report_label=(f"Utvecklingsarbete {response.number}: "
                          f"{names.get(response.id) or 'namnlöst'}"
                          if response and round_.several_reports else None),
        ))
    return rows


def _work_names(round_: Round) -> dict[int, str]:
    """Each report's development-work name (the answer to the name question), by response."""
    rows = db.session.execute(
        select(Answer.response_id, Answer.text)
        .join(RoundQuestion, RoundQuestion.id == Answer.question_id)
        .where(RoundQuestion.round_id == round_.id, RoundQuestion.key == WORK_NAME_KEY)
    )
    return {row.response_id: row.text.strip() for row in rows}


def count_statuses(rows: list[StatusRow]) -> list[StatusCount]:
    counts = dict.fromkeys(STATUS_KEYS, 0)
    for row in rows:
        counts[row.status_key] += 1
    return [StatusCount(key, STATUS_LABELS[key], counts[key]) for key in STATUS_KEYS]


def days_to_deadline(round_: Round, today: dt.date | None = None) -> int:
    """Negative once the deadline has passed."""
    return (round_.deadline - (today or dt.date.today())).days
