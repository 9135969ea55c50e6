"""Which organisations a round's figures are about: those that exist in the round's year,
plus any that answered it, narrowed by the dashboard filters."""

from __future__ import annotations

from sqlalchemy import Select, and_, func, or_, select

from survey.analysis.filters import DashboardFilter
from survey.extensions import db
from survey.organisations.models import Organisation, organisations_valid_in
from survey.questionnaires.models import Round
from survey.responses.models import Response


def organisations_of_round(round_: Round, filters: DashboardFilter) -> Select:
    """The round's population: id, name, short_name, kind of each organisation with its
    response_id and status (both None when it never started)."""
    valid = organisations_valid_in(round_.year).whereclause
    query = (
        select(Organisation.id, Organisation.name, Organisation.short_name, Organisation.kind,
               Response.id.label("response_id"), Response.status)
        .outerjoin(Response, and_(Response.organisation_id == Organisation.id,
                                  Response.round_id == round_.id))
        .where(or_(valid, Response.id.is_not(None)))
    )
    return narrow(query, filters)


def narrow(query: Select, filters: DashboardFilter) -> Select:
    """Apply the kind and organisation filters to a query that has Organisation in it."""
    if filters.kind is not None:
        query = query.where(Organisation.kind == filters.kind)
    if filters.organisation_ids:
        query = query.where(Organisation.id.in_(filters.organisation_ids))
    return query


def population_size(round_: Round, filters: DashboardFilter) -> int:
    query = organisations_of_round(round_, filters).with_only_columns(
        func.count(Organisation.id))
    return db.session.scalar(query) or 0
