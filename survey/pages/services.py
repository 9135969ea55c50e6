"""What the start page lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from survey.analysis.levels import effective_assessments_query
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round, RoundStatus
from survey.responses.models import Response, ResponseStatus
from survey.responses.services import report_label


@dataclass
class FeedbackEntry:
    """A response of the organisation whose assessment stadskontoret has published."""

    response: Response
    round: Round
    label: str  # the round's title (and the report's, in a round of several reports)


@dataclass
class ReportEntry:
    """One development work's report in a round of several reports."""

    response: Response
    label: str  # "Utvecklingsarbete N: <name>"


@dataclass
class RoundEntry:
    round: Round
    #: The organisation's response (its first report in a round of several reports).
    response: Response | None
    #: Every report, by number, in a round of several reports; empty otherwise.
    reports: list[ReportEntry] = field(default_factory=list)

    @property
    def unsubmitted(self) -> int:
        """Reports that can still be submitted (a decision may cover several of them)."""
        return sum(1 for r in self.reports if r.response.status != ResponseStatus.SUBMITTED)


def rounds_for_organisation(organisation: Organisation) -> list[RoundEntry]:
    """Open and closed rounds the organisation is asked to answer, newest first."""
    rounds = db.session.scalars(
        select(Round).where(Round.status != RoundStatus.DRAFT)
        .order_by(Round.year.desc(), Round.title)
    )
    by_round: dict[int, list[Response]] = {}
    for response in db.session.scalars(
        select(Response).filter_by(organisation_id=organisation.id).order_by(Response.number)
    ):
        by_round.setdefault(response.round_id, []).append(response)
    entries = []
    for round_ in rounds:
        responses = by_round.get(round_.id, [])
        if not responses and not organisation.is_valid_in(round_.year):
            continue
        reports = ([ReportEntry(r, report_label(r)) for r in responses]
                   if round_.several_reports else [])
        entries.append(RoundEntry(round_, responses[0] if responses else None, reports))
    return entries


def published_feedback(organisation: Organisation) -> list[FeedbackEntry]:
    """The organisation's responses with stadskontoret's feedback to read: the round's
    assessments are published and the response has an effective assessment (the same rule
    as the feedback page, survey.assessments.feedback_views). Newest round first."""
    effective = effective_assessments_query(organisation_id=organisation.id).subquery()
    rows = db.session.execute(
        select(Response, Round)
        .join(Round, Round.id == Response.round_id)
        .join(effective, effective.c.response_id == Response.id)
        .where(Response.organisation_id == organisation.id,
               Round.assessments_published_at.is_not(None))
        .order_by(Round.year.desc(), Round.title, Response.number)
    )
    return [FeedbackEntry(response, round_, f"{round_.title}: {report_label(response)}"
                          if round_.several_reports else round_.title)
            for response, round_ in rows]
