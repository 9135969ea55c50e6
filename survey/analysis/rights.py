"""How many organisations address each rights area, per round.

Rule
----
Only submitted responses count (a draft or a returned response addresses nothing yet).
For a submitted response, the rights areas are those of its *effective assessment*
(survey.analysis.levels.effective_assessments_query: the analysts' reading of the answer
wins) when the response has one, even if that assessment marks no area at all; else the
rights areas the respondent tagged the response with. An organisation counts once per area
and round; the share is over the organisations with a submitted response in that round.

All rounds are counted with one GROUP BY query (plus one for the submitted responses).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, union_all

from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import effective_assessments_query
from survey.assessments.models import assessment_rights_area
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round
from survey.reference.services import rights_areas
from survey.responses.models import Response, ResponseStatus, response_rights_area


@dataclass(frozen=True)
class Area:
    id: int
    name: str


@dataclass(frozen=True)
class RoundRightsAreas:
    """One round: organisations with a submitted response, and per area how many address it."""

    round_id: int
    title: str
    year: int
    submitted: int
    counts: dict[int, int]  # rights area id -> organisations

    def share(self, area_id: int) -> float | None:
        """The part (0–1) of the organisations with a submitted response; None without any."""
        return self.counts.get(area_id, 0) / self.submitted if self.submitted else None


@dataclass(frozen=True)
class RightsAreaFigures:
    areas: list[Area]
    rounds: list[RoundRightsAreas]  # oldest first

    def round(self, round_id: int) -> RoundRightsAreas | None:
        return next((r for r in self.rounds if r.round_id == round_id), None)

    def ranked(self, round_id: int) -> list[tuple[Area, int]]:
        """The round's areas with their counts, most organisations first."""
        found = self.round(round_id)
        counts = found.counts if found else {}
        return sorted(((a, counts.get(a.id, 0)) for a in self.areas), key=lambda p: -p[1])


def _submitted(round_ids: Sequence[int], filters: DashboardFilter):
    query = (
        select(Response.id, Response.round_id, Response.organisation_id)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .where(Response.round_id.in_(list(round_ids)),
               Response.status == ResponseStatus.SUBMITTED)
    )
    if filters.kind is not None:
        query = query.where(Organisation.kind == filters.kind)
    if filters.organisation_ids:
        query = query.where(Organisation.id.in_(list(filters.organisation_ids)))
    return query


def addressed_areas_query(round_ids: Sequence[int], filters: DashboardFilter):
    """(round_id, organisation_id, rights_area_id) of every area a submitted response
    addresses, by the rule above."""
    submitted = _submitted(round_ids, filters).subquery("submitted")
    effective = effective_assessments_query(round_ids=round_ids).subquery("effective")
    assessed = (
        select(submitted.c.round_id, submitted.c.organisation_id,
               assessment_rights_area.c.rights_area_id)
        .join(effective, effective.c.response_id == submitted.c.id)
        .join(assessment_rights_area,
              assessment_rights_area.c.assessment_id == effective.c.assessment_id)
    )
    tagged = (
        select(submitted.c.round_id, submitted.c.organisation_id,
               response_rights_area.c.rights_area_id)
        .join(response_rights_area, response_rights_area.c.response_id == submitted.c.id)
        .outerjoin(effective, effective.c.response_id == submitted.c.id)
        .where(effective.c.response_id.is_(None))
    )
    return union_all(assessed, tagged)


def rights_area_figures(rounds: Sequence[Round], filters: DashboardFilter) -> RightsAreaFigures:
    """Per round and area, the organisations that address it (kind and organisation
    filters apply)."""
    areas = [Area(a.id, a.name) for a in rights_areas()]
    if not rounds:
        return RightsAreaFigures(areas, [])
    round_ids = [r.id for r in rounds]
    addressed = addressed_areas_query(round_ids, filters).subquery("addressed")
    count_query = (
        select(addressed.c.round_id, addressed.c.rights_area_id,
               func.count(func.distinct(addressed.c.organisation_id)).label("n"))
        .group_by(addressed.c.round_id, addressed.c.rights_area_id)
    )
    counts: dict[int, dict[int, int]] = {}
    for row in db.session.execute(count_query):
        counts.setdefault(row.round_id, {})[row.rights_area_id] = row.n
    submitted = _submitted(round_ids, filters).subquery("submitted")
    submitted_query = (
        select(submitted.c.round_id, func.count(func.distinct(submitted.c.organisation_id)))
        .group_by(submitted.c.round_id)
    )
    totals = {round_id: n for round_id, n in db.session.execute(submitted_query)}
    return RightsAreaFigures(areas, [
        RoundRightsAreas(r.id, r.title, r.year, totals.get(r.id, 0), counts.get(r.id, {}))
        for r in sorted(rounds, key=lambda r: (r.year, r.id))
    ])
