"""What every dashboard page needs besides its own figures: the filters from the URL, the
round they point at, and the choices of the filter form."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import request
from sqlalchemy import select

from survey.analysis.filters import (
    SORTS,
    DashboardFilter,
    Population,
    chosen_round,
    dashboard_rounds,
)
from survey.analysis.levels import LevelSource
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.questionnaires.models import Round
from survey.reference.models import Component, MaturityLevel
from survey.reference.services import components, maturity_levels


@dataclass(frozen=True)
class PageContext:
    filters: DashboardFilter
    rounds: list[Round]
    round: Round | None
    organisations: list[tuple[int, str]]  # (id, name) for the organisation filter
    components: list[Component]
    levels: list[MaturityLevel]
    kinds: tuple[OrganisationKind, ...] = tuple(OrganisationKind)
    sources: tuple[LevelSource, ...] = tuple(LevelSource)
    populations: tuple[Population, ...] = tuple(Population)
    sorts: dict[str, str] = field(default_factory=lambda: dict(SORTS))

    def url_args(self, **changes) -> dict:
        """The current filters, with the chosen round made explicit, changed as given."""
        round_id = self.round.id if self.round is not None else None
        return self.filters.args(round_id=round_id, **changes)


def page_context() -> PageContext:
    filters = DashboardFilter.from_args(request.args)
    rounds = dashboard_rounds()
    round_ = chosen_round(filters, rounds)
    organisations = [(row.id, row.name) for row in db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name))]
    return PageContext(
        filters=filters, rounds=rounds, round=round_, organisations=organisations,
        components=components(), levels=maturity_levels(),
    )
