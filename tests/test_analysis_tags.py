"""The barrier and principle tags per round (survey.analysis.tags) against the hand-computed
world of support.worlds.build_tags_world."""

from __future__ import annotations

import pytest
from support.worlds import ASN_NAME, FRN_NAME, PARTICIPATION, build_tags_world

from survey.analysis.filters import DashboardFilter
from survey.analysis.tags import tag_figures
from survey.assessments.models import TagKind
from survey.organisations.models import OrganisationKind

BARRIERS = ["Resurser", "Kunskap", "Styrning", "Data", "Samverkan", "Målkonflikter"]


@pytest.fixture
def world(app, make_round, make_user, organisation):
    return build_tags_world(make_round, make_user, organisation)


def by_name(figures, kind: TagKind) -> dict[str, tuple[int, tuple[str, ...]]]:
    return {tag.name: (tag.count, tag.organisations) for tag in figures.group(kind).tags}


def test_effective_assessments_tags_counted_per_organisation(world):
    figures = tag_figures(world["second"], DashboardFilter())
    assert figures.assessed == 3  # ASN, FRN, MKB; not FSN (draft), FN (returned), KS
    assert [group.kind for group in figures.groups] == [TagKind.BARRIER, TagKind.PRINCIPLE]
    barriers = by_name(figures, TagKind.BARRIER)
    assert barriers == {"Resurser": (2, (ASN_NAME, FRN_NAME)), "Kunskap": (1, (ASN_NAME,)),
                        "Styrning": (0, ()), "Data": (0, ()), "Samverkan": (0, ()),
                        "Målkonflikter": (0, ())}
    # Most organisations first, then in the reference order.
    assert [tag.name for tag in figures.group(TagKind.BARRIER).tags] == BARRIERS
    principles = by_name(figures, TagKind.PRINCIPLE)
    assert principles[PARTICIPATION] == (1, (ASN_NAME,))
    assert sum(count for count, _ in principles.values()) == 1
    assert len(principles) == 4
    resources = figures.group(TagKind.BARRIER).tags[0]
    assert figures.share(resources) == pytest.approx(2 / 3)
    assert figures.group(TagKind.PRINCIPLE).tagged


def test_an_earlier_round_has_its_own_tags(world):
    figures = tag_figures(world["first"], DashboardFilter())
    assert figures.assessed == 1
    assert by_name(figures, TagKind.BARRIER)["Målkonflikter"] == (1, (ASN_NAME,))
    assert by_name(figures, TagKind.BARRIER)["Resurser"] == (0, ())


def test_kind_and_organisation_filters_narrow_counts_and_base(world, organisation):
    namnd = tag_figures(world["second"], DashboardFilter(kind=OrganisationKind.NAMND))
    assert namnd.assessed == 2
    resources = namnd.group(TagKind.BARRIER).tags[0]
    assert (resources.name, resources.count, namnd.share(resources)) == ("Resurser", 2, 1.0)

    bolag = tag_figures(world["second"], DashboardFilter(kind=OrganisationKind.BOLAG))
    assert bolag.assessed == 1
    assert not bolag.group(TagKind.BARRIER).tagged
    assert not bolag.group(TagKind.PRINCIPLE).tagged

    chosen = DashboardFilter(organisation_ids=(organisation("FRN").id, organisation("MKB").id))
    figures = tag_figures(world["second"], chosen)
    assert figures.assessed == 2
    assert by_name(figures, TagKind.BARRIER)["Resurser"] == (1, (FRN_NAME,))
    assert by_name(figures, TagKind.BARRIER)["Kunskap"] == (0, ())


def test_a_round_without_assessments_has_no_base(app, make_round):
    figures = tag_figures(make_round(2025), DashboardFilter())
    assert figures.assessed == 0
    tag = figures.group(TagKind.BARRIER).tags[0]
    assert (tag.count, figures.share(tag)) == (0, None)
