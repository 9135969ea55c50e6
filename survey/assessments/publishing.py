"""Publishing a round's assessments to the organisations (an analyst action).

Publishing sets Round.assessments_published_at; from then on each organisation sees the
effective assessment of its own response (feedback_views). Unpublishing sets it back to
None and hides the feedback again (for a mistake noticed after publishing); both are
audited. Assessments finished after publishing become visible at once: publishing opens
the round's feedback, it does not freeze a copy.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from survey.accounts.models import User
from survey.analysis.levels import effective_assessments_query
from survey.audit.services import record
from survey.database import utcnow
from survey.extensions import db
from survey.questionnaires.models import Round


class PublishError(ValueError):
    """Publishing refused (message in Swedish, for the page)."""


def has_effective_assessments(round_: Round) -> bool:
    chosen = effective_assessments_query(round_id=round_.id).subquery()
    return bool(db.session.scalar(select(exists().select_from(chosen))))


def publish_assessments(round_: Round, analyst: User) -> None:
    """Open the round's assessments to the organisations. The caller commits."""
    if round_.assessments_published_at is not None:
        raise PublishError("Bedömningarna är redan publicerade.")
    if not has_effective_assessments(round_):
        raise PublishError("Det finns inga klara bedömningar att publicera i omgången.")
    round_.assessments_published_at = utcnow()
    record("round.publish_assessments", obj=round_, user=analyst, organisation_id=None,
           detail=round_.title)


def unpublish_assessments(round_: Round, analyst: User) -> None:
    """Hide the round's assessments from the organisations again. The caller commits."""
    if round_.assessments_published_at is None:
        raise PublishError("Bedömningarna är inte publicerade.")
    round_.assessments_published_at = None
    record("round.unpublish_assessments", obj=round_, user=analyst, organisation_id=None,
           detail=round_.title)
