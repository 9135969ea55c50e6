"""Writing checked import rows: rounds, submitted responses and the analysts' assessments.

An imported response is a round's history, not an answer being written now: the responses
and assessment services record it as submitting and assessing would have left it
(`record_submitted_response`, `record_done_assessment`). The caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from exports.imports.rows import QUESTIONNAIRE, ImportRow
from survey.accounts.models import User
from survey.assessments.services import record_done_assessment
from survey.audit.services import record
from survey.database import utcnow
from survey.extensions import db
from survey.organisations.models import OrganisationKind
from survey.questionnaires.models import Round, RoundStatus
from survey.questionnaires.services import create_round
from survey.responses.models import DecisionBody, Response
from survey.responses.services import record_submitted_response


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
                record_done_assessment(response, row.levels, user)
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
    """The row's response, recorded as submitted by the responses service.

    When it was really handed in is unknown; the decision date is the nearest known moment,
    so every timestamp of the response is that day. Who submitted is unknown too (None); the
    audit log names the user who imported it. A company's decision is its board's.
    """
    organisation = row.organisation
    body = DecisionBody.STYRELSE if organisation.kind == OrganisationKind.BOLAG \
        else DecisionBody.NAMND
    return record_submitted_response(round_, organisation, row.answers, body,
                                     row.decision_date, row.case_number,
                                     _moment(row.decision_date))
