"""The analyst's rights areas beside the organisation's own.

An organisation ticks the rights areas its response addresses; the analyst's assessment
has rights areas of its own, and once the assessment is done the figures count the
assessment's (survey.analysis.rights). So the analyst's choice starts from the
organisation's ticks in the submission being read, never from nothing, and where the two
differ the assessment page says so: no area the organisation gave is dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from survey.assessments.models import Assessment
from survey.extensions import db
from survey.reference.models import RightsArea
from survey.responses.models import Response, Submission


def organisation_areas(submission: Submission | None) -> list[RightsArea]:
    """The rights areas the organisation ticked in this submission, in reference order.

    Read from the submission's snapshot (names), so an assessment compares with what the
    organisation submitted in the version it reads, not with a later edit."""
    if submission is None:
        return []
    names = [n for n in (submission.content or {}).get("rights_areas", []) if isinstance(n, str)]
    if not names:
        return []
    return list(db.session.scalars(
        select(RightsArea).where(RightsArea.name.in_(names)).order_by(RightsArea.position)))


def has_own_areas(assessment: Assessment | None) -> bool:
    """Whether the assessment has recorded a choice of rights areas of its own: it has
    areas, or a saved revision (every save snapshots the areas, even none)."""
    return assessment is not None and bool(assessment.rights_areas or assessment.revisions)


@dataclass(frozen=True)
class RightsAreaRow:
    area: RightsArea
    by_organisation: bool  # the organisation ticked it
    chosen: bool  # the analyst's box is ticked


@dataclass(frozen=True)
class RightsAreaComparison:
    """Every rights area with the organisation's tick beside the analyst's choice."""

    rows: list[RightsAreaRow]
    asked: bool  # the round asks for rights areas (or the organisation gave some)

    @property
    def removed(self) -> list[RightsArea]:
        """Areas the organisation gave that the analyst's choice leaves out."""
        return [row.area for row in self.rows if row.by_organisation and not row.chosen]

    @property
    def added(self) -> list[RightsArea]:
        """Areas the analyst chose that the organisation did not give."""
        if not self.asked:
            return []
        return [row.area for row in self.rows if row.chosen and not row.by_organisation]

    @property
    def differs(self) -> bool:
        return bool(self.removed or self.added)

    @property
    def removed_names(self) -> str:
        return joined_names(self.removed)

    @property
    def added_names(self) -> str:
        return joined_names(self.added)


def compare(response: Response, assessment: Assessment | None, areas: list[RightsArea],
            posted_ids: Iterable[int] | None = None) -> RightsAreaComparison:
    """The page's rights areas: the organisation's ticks (in the submission the assessment
    reads) and the analyst's choice — what was just posted, else the assessment's own, else
    (nothing saved yet) the organisation's ticks."""
    submission = assessment.submission if assessment is not None else response.latest_submission
    given = {a.id for a in organisation_areas(submission)}
    if posted_ids is not None:
        chosen = set(posted_ids)
    elif has_own_areas(assessment):
        chosen = {a.id for a in assessment.rights_areas}
    else:
        chosen = given
    return RightsAreaComparison(
        [RightsAreaRow(area, area.id in given, area.id in chosen) for area in areas],
        asked=response.round.rights_areas or bool(given))


def joined_names(areas: list[RightsArea]) -> str:
    """The names as Swedish prose: "A", "A och B", "A, B och C" ("" for none)."""
    names = [a.name for a in areas]
    return " och ".join(filter(None, [", ".join(names[:-1]), *names[-1:]]))
