"""The status overview of a round (the figures of survey.analysis.status, for one kind of
organisation) and the newest open round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import case, select

from survey.analysis.status import (
    StatusCount,
    StatusRow,
    count_statuses,
    days_to_deadline,
    status_rows,
)
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.questionnaires.definitions import SPECIAL_QUESTION
from survey.questionnaires.models import Round, RoundStatus


@dataclass(frozen=True)
class RoundOverview:
    round: Round
    rows: list[StatusRow]
    counts: list[StatusCount]
    days_left: int
    kind: OrganisationKind | None = None
    total: int = field(default=0)


def parse_kind(value: str | None) -> OrganisationKind | None:
    """The `kind` query parameter; anything unknown means no filter."""
    try:
        return OrganisationKind(value) if value else None
    except ValueError:
        return None


def round_overview(round_: Round, kind: OrganisationKind | None = None,
                   today: dt.date | None = None) -> RoundOverview:
    rows = status_rows(round_, kind)
    return RoundOverview(round=round_, rows=rows, counts=count_statuses(rows),
                         days_left=days_to_deadline(round_, today), kind=kind, total=len(rows))


def newest_open_round() -> Round | None:
    """The round the status pages start from: the newest open round of the särskild fråga,
    the city's yearly question, ahead of any development-funds round open beside it."""
    return db.session.scalar(
        select(Round).where(Round.status == RoundStatus.OPEN)
        .order_by(case((Round.questionnaire_key == SPECIAL_QUESTION, 0), else_=1),
                  Round.year.desc(), Round.opens_at.desc(), Round.id.desc())
    )


def organisation_names() -> dict[int, str]:
    rows = db.session.execute(select(Organisation.id, Organisation.name))
    return {row.id: row.name for row in rows}
