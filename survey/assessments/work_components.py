"""The components a development work strengthens, as stadskontoret's analyst tags them.

Reports of granted development funds (rounds with several reports) are not scored on the
maturity scale; an analyst instead tags each work with the components it strengthens
(HBTQ-certifiering → Kompetenshöjande insatser). The tags live in `response_component`.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from survey.accounts.models import User
from survey.assessments.models import response_component
from survey.assessments.services import ScoringError
from survey.audit.services import record
from survey.extensions import db
from survey.reference.models import Component
from survey.responses.models import Response


def takes_component_tags(response: Response) -> bool:
    """Only the reports of a round of several reports (development works) are tagged."""
    return bool(response.round.several_reports)


def components_of(response: Response) -> list[Component]:
    """The components the response's development work is tagged with, in position order."""
    return list(db.session.scalars(
        select(Component)
        .join(response_component, response_component.c.component_id == Component.id)
        .where(response_component.c.response_id == response.id)
        .order_by(Component.position)
    ))


def set_work_components(response: Response, component_ids: list[int], user: User) -> None:
    """Replace the work's tags with `component_ids`; writes an audit entry and flushes."""
    if not user.is_analyst:
        raise ScoringError("Endast stadskontorets handläggare kan ange komponenter.")
    if not takes_component_tags(response):
        raise ScoringError("Komponenter anges bara för redovisningar av utvecklingsarbeten.")
    wanted = set(component_ids)
    chosen = list(db.session.scalars(
        select(Component).where(Component.id.in_(wanted)).order_by(Component.position)
    )) if wanted else []
    if len(chosen) != len(wanted):
        raise ScoringError("Någon av de valda komponenterna finns inte.")
    db.session.execute(delete(response_component)
                       .where(response_component.c.response_id == response.id))
    if chosen:
        db.session.execute(insert(response_component), [
            {"response_id": response.id, "component_id": c.id} for c in chosen])
    record("work.components", obj=response, user=user,
           detail=", ".join(c.code for c in chosen) or "inga")
    db.session.flush()
