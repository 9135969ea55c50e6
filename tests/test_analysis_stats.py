"""Small statistics over aggregated figures, and the dashboard filters' URL round trip."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import LevelSource
from survey.analysis.stats import mean_from_counts, median_from_counts, pearson, quartiles
from survey.organisations.models import OrganisationKind


@pytest.mark.parametrize(("counts", "mean", "median"), [
    ({}, None, None),
    ({0: 0, 1: 0}, None, None),
    ({2: 1}, 2.0, 2.0),
    ({1: 1, 3: 1}, 2.0, 2.0),  # even: the mean of the middle two
    ({0: 1, 1: 2, 4: 1}, 1.5, 1.0),  # 0 1 1 4
    ({0: 3, 4: 2}, 1.6, 0.0),  # 0 0 0 4 4
])
def test_mean_and_median_of_a_level_distribution(counts, mean, median):
    assert mean_from_counts(counts) == mean
    assert median_from_counts(counts) == median


def test_quartiles_need_two_values_and_match_excel():
    assert quartiles([]) is None and quartiles([2.0]) is None
    # Excel: QUARTILE.INC({1;2;3;4};1..3) = 1,75; 2,5; 3,25
    assert quartiles([1, 2, 3, 4]) == (1.75, 2.5, 3.25)


def test_pearson_is_undefined_without_spread_or_with_too_few_pairs():
    assert pearson([1, 2], [1, 2]) is None
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)


def test_filters_round_trip_through_the_url(app):
    args = MultiDict([("round", "7"), ("kind", "bolag"), ("org", "3"), ("org", "2"),
                      ("component", "KUN"), ("source", "assessment"), ("sort", "name"),
                      ("page", "2")])
    filters = DashboardFilter.from_args(args)
    assert filters == DashboardFilter(
        round_id=7, kind=OrganisationKind.BOLAG, organisation_ids=(2, 3), component="KUN",
        source=LevelSource.ASSESSMENT, sort="name", page=2)
    assert DashboardFilter.from_args(MultiDict(filters.args())) == filters
    assert DashboardFilter().args() == {}
    assert filters.args(page=1, kind=None) == {
        "round": 7, "org": [2, 3], "component": "KUN", "source": "assessment", "sort": "name"}


def test_unknown_filter_values_mean_no_filter(app):
    filters = DashboardFilter.from_args(MultiDict([
        ("round", "x"), ("kind", "kommun"), ("org", "-1"), ("component", "XYZ"),
        ("source", "gissning"), ("sort", "random"), ("page", "0")]))
    assert filters == DashboardFilter()
