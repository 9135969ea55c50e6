"""The round's summary table (Sammanställning): per organisation of the population its level
on each component, its maturity index and the change since the previous round.

One query, streamed: population × levels, ordered by organisation, grouped here into one row
per organisation, so a round of 60 000 organisations never sits in memory as a whole. The
Excel annex, its CSV twin and the tests read these rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import Float, cast, func, select

from survey.analysis.filters import DashboardFilter
from survey.analysis.maturity import components_in_order
from survey.analysis.population import organisations_of_round
from survey.extensions import db
from survey.organisations.models import OrganisationKind
from survey.questionnaires.models import Round
from survey.responses.models import ResponseStatus
from survey.scoring.levels import SOURCE_SELF_ASSESSMENT, levels_cte, maturity_index
from survey.status.services import STATUS_LABELS

#: Rows fetched from the database at a time while streaming.
BATCH = 2_000


@dataclass(frozen=True)
class SummaryRow:
    organisation_id: int
    name: str
    short_name: str
    kind: OrganisationKind
    status: ResponseStatus | None
    levels: dict[str, int]  # component code -> level; missing components absent
    self_assessed: tuple[str, ...]  # codes whose level is the organisation's own rating
    index: float | None
    previous_index: float | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status.value if self.status else "not_started"]

    @property
    def change(self) -> float | None:
        """Index change since the previous round; None unless both indices exist."""
        if self.index is None or self.previous_index is None:
            return None
        return self.index - self.previous_index


def summary_rows(round_: Round, filters: DashboardFilter,
                 previous: Round | None) -> Iterator[SummaryRow]:
    """Every organisation of the round's population (kind and organisation filters apply),
    nämnder first, then by name. The component filter does not narrow: an annex row has all
    seven levels, and the index is always over all components."""
    codes = [component.code for component in components_in_order()]
    population = organisations_of_round(round_, filters).subquery("population")
    levels = levels_cte([round_.id], filters.source, filters.kind, filters.organisation_ids,
                        name="levels")
    columns = [population.c.id, population.c.name, population.c.short_name,
               population.c.kind, population.c.status, levels.c.component_code,
               levels.c.level, levels.c.source]
    query = select(*columns).outerjoin(levels, levels.c.organisation_id == population.c.id)
    if previous is not None:
        earlier = levels_cte([previous.id], filters.source, filters.kind,
                             filters.organisation_ids, name="previous_levels")
        previous_index = (
            select(earlier.c.organisation_id,
                   func.avg(cast(earlier.c.level, Float)).label("previous_index"))
            .group_by(earlier.c.organisation_id).subquery("previous_index")
        )
        query = query.add_columns(previous_index.c.previous_index).outerjoin(
            previous_index, previous_index.c.organisation_id == population.c.id)
    query = query.order_by(population.c.kind.desc(), population.c.name, population.c.id)
    result = db.session.execute(query, execution_options={"yield_per": BATCH})
    for _, rows in groupby(result, key=lambda row: row.id):
        rows = list(rows)
        first = rows[0]
        present = [row for row in rows if row.component_code is not None]
        previous_value = getattr(first, "previous_index", None)
        yield SummaryRow(
            organisation_id=first.id, name=first.name, short_name=first.short_name,
            kind=first.kind, status=first.status,
            levels={row.component_code: row.level for row in present},
            self_assessed=tuple(code for code in codes if any(
                row.component_code == code and row.source == SOURCE_SELF_ASSESSMENT
                for row in present)),
            index=maturity_index([row.level for row in present], len(codes)).value,
            previous_index=float(previous_value) if previous_value is not None else None,
        )
