"""How many organisations' answers carry each barrier and principle tag, in one round.

Rule
----
Tags are the analysts' reading of an answer, so only assessed answers count: a submitted
response's tags are those of its *effective assessment*
(survey.analysis.levels.effective_assessments_query: done, up to date, the consensus before
the primary coder's). A response without one carries no tag and is left out of the base
too; a draft or a returned response counts for nothing. An organisation counts once per
tag; the share is over the organisations with a submitted response that has an effective
assessment (the "assessed" organisations), with the dashboards' kind and organisation
filters applied. Barriers (resurser, kunskap, …) come first: they code the answers to
question 2 (möjligheter och utmaningar).

One query reads every assessed organisation with its tags (an organisation without tags
has one row without a tag); the counts, the base and the names all come from its rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import effective_assessments_query
from survey.analysis.population import narrow
from survey.assessments.models import Tag, TagKind, assessment_tag
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round
from survey.responses.models import Response

#: The order of the kinds on pages and in the annex: barriers first (question 2).
KIND_ORDER = (TagKind.BARRIER, TagKind.PRINCIPLE)


@dataclass(frozen=True)
class TagCount:
    """One tag: how many assessed organisations' answers carry it, and which."""

    tag_id: int
    kind: TagKind
    name: str
    organisations: tuple[str, ...]  # names, alphabetically

    @property
    def count(self) -> int:
        return len(self.organisations)


@dataclass(frozen=True)
class TagGroup:
    """The tags of one kind, most organisations first (then in the reference order)."""

    kind: TagKind
    tags: tuple[TagCount, ...]

    @property
    def tagged(self) -> bool:
        """Whether any answer carries a tag of this kind."""
        return any(tag.count for tag in self.tags)


@dataclass(frozen=True)
class TagFigures:
    round_id: int
    assessed: int  # organisations with a submitted response that has an effective assessment
    groups: tuple[TagGroup, ...]  # in KIND_ORDER

    def share(self, tag: TagCount) -> float | None:
        """The part (0–1) of the assessed organisations; None when none is assessed."""
        return tag.count / self.assessed if self.assessed else None

    def group(self, kind: TagKind) -> TagGroup:
        return next(group for group in self.groups if group.kind == kind)


def tag_figures(round_: Round, filters: DashboardFilter) -> TagFigures:
    """Per barrier and principle tag, the assessed organisations of `round_` whose answers
    carry it (kind and organisation filters apply)."""
    effective = effective_assessments_query(round_id=round_.id).subquery("effective")
    query = narrow(
        select(Organisation.id, Organisation.name, assessment_tag.c.tag_id)
        .select_from(Response)
        .join(effective, effective.c.response_id == Response.id)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .outerjoin(assessment_tag, assessment_tag.c.assessment_id == effective.c.assessment_id)
        .order_by(Organisation.name, Organisation.id),
        filters)
    assessed: set[int] = set()
    carriers: dict[int, dict[int, str]] = {}  # tag id -> organisation id -> name
    for organisation_id, name, tag_id in db.session.execute(query):
        assessed.add(organisation_id)
        if tag_id is not None:
            carriers.setdefault(tag_id, {})[organisation_id] = name
    tags = db.session.scalars(select(Tag).order_by(Tag.position, Tag.id))
    by_kind: dict[TagKind, list[TagCount]] = {kind: [] for kind in KIND_ORDER}
    for tag in tags:
        names = tuple(carriers.get(tag.id, {}).values())
        by_kind.setdefault(tag.kind, []).append(TagCount(tag.id, tag.kind, tag.name, names))
    groups = tuple(TagGroup(kind, tuple(sorted(found, key=lambda t: -t.count)))
                   for kind, found in by_kind.items())
    return TagFigures(round_.id, len(assessed), groups)
