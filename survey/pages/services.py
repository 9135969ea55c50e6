"""What the start page lists."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round, RoundStatus
from survey.responses.models import Response


@dataclass
class RoundEntry:
    round: Round
    response: Response | None


def rounds_for_organisation(organisation: Organisation) -> list[RoundEntry]:
    """Open and closed rounds the organisation is asked to answer, newest first."""
    rounds = db.session.scalars(
        select(Round).where(Round.status != RoundStatus.DRAFT)
        .order_by(Round.year.desc(), Round.title)
    )
    responses = {
        r.round_id: r for r in db.session.scalars(
            select(Response).filter_by(organisation_id=organisation.id)
        )
    }
    return [RoundEntry(r, responses.get(r.id)) for r in rounds
            if r.id in responses or organisation.is_valid_in(r.year)]
