"""The trends page (survey.analysis.trends + /analys/trender) against a hand-computed
fixture of two rounds built through the real services (support.factories).
"""

from __future__ import annotations

import pytest
from support.factories import CODES, assess, give_back, submitted_response

from survey.accounts.models import Role
from survey.analysis.filters import DashboardFilter, Population, dashboard_rounds, previous_round
from survey.analysis.levels import LevelSource
from survey.analysis.trends import (
    city_indices,
    component_changes,
    fallen_back,
    organisation_series,
)
from survey.extensions import db
from survey.organisations.models import OrganisationKind
from survey.questionnaires.models import RoundStatus


@pytest.fixture
def two_rounds(app, make_round, make_user, organisation):
    """2023 and 2024 (and a draft 2025 that no dashboard shows).

    Index (effective)   2023   2024
    ASN  assessed       3      2      fell back by 1
    FRN  self, partial  1      8/3    (2023 MAL 1, KUN 1; 2024 MAL 2, KUN 2, KOM 4)
    FSN  assessed       2      –      2024 submitted, then returned: counts nothing
    MKB  bolag, self    1      0,5    fell back by 0,5 (2024 MAL 0, KUN 1)
    KS   never answered
    """
    first = make_round(2023)
    second = make_round(2024)
    make_round(2025, RoundStatus.DRAFT)
    user = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None)
    orgs = {short: organisation(short) for short in ("ASN", "FRN", "FSN", "MKB", "KS")}

    assess(submitted_response(first, orgs["ASN"], user, {"MAL": 1}), analyst, 3)
    submitted_response(first, orgs["FRN"], user, {"MAL": 1, "KUN": 1})
    assess(submitted_response(first, orgs["FSN"], user), analyst, 2)
    submitted_response(first, orgs["MKB"], user, dict.fromkeys(CODES, 1))

    assess(submitted_response(second, orgs["ASN"], user, {"MAL": 4}), analyst, 2)
    submitted_response(second, orgs["FRN"], user, {"MAL": 2, "KUN": 2, "KOM": 4})
    fsn = submitted_response(second, orgs["FSN"], user, dict.fromkeys(CODES, 4))
    give_back(fsn, analyst)
    submitted_response(second, orgs["MKB"], user, {"MAL": 0, "KUN": 1})

    first.status = RoundStatus.CLOSED
    db.session.commit()
    return {"first": first, "second": second, "orgs": orgs, "analyst": analyst}


def test_city_index_is_the_mean_of_the_organisations_indices_per_round(two_rounds):
    rounds = dashboard_rounds()
    assert [r.year for r in rounds] == [2024, 2023]  # the draft 2025 is left out
    city = city_indices(rounds, DashboardFilter())
    assert [(p.year, p.organisations) for p in city] == [(2023, 4), (2024, 3)]
    assert city[0].value == pytest.approx((3 + 1 + 2 + 1) / 4)
    assert city[1].value == pytest.approx((2 + 8 / 3 + 0.5) / 3)

    namnder = city_indices(rounds, DashboardFilter(kind=OrganisationKind.NAMND))
    assert [p.value for p in namnder] == pytest.approx([2.0, (2 + 8 / 3) / 2])
    bolag = city_indices(rounds, DashboardFilter(kind=OrganisationKind.BOLAG))
    assert [p.value for p in bolag] == pytest.approx([1.0, 0.5])
    # Only self-assessments: ASN 1 (2023, MAL) and 4 (2024, MAL); FSN none in 2023.
    own = city_indices(rounds, DashboardFilter(source=LevelSource.SELF_ASSESSMENT))
    assert [p.value for p in own] == pytest.approx([(1 + 1 + 1) / 3, (4 + 8 / 3 + 0.5) / 3])


def test_organisation_series_has_none_where_the_organisation_has_no_index(two_rounds):
    rounds = dashboard_rounds()
    orgs = two_rounds["orgs"]
    chosen = DashboardFilter(organisation_ids=(orgs["ASN"].id, orgs["FSN"].id, orgs["KS"].id))
    series = {s.name: s.values for s in organisation_series(rounds, chosen)}
    first, second = two_rounds["first"].id, two_rounds["second"].id
    assert series[orgs["ASN"].name] == {first: 3.0, second: 2.0}
    assert series[orgs["FSN"].name] == {first: 2.0, second: None}
    assert series[orgs["KS"].name] == {first: None, second: None}
    assert organisation_series(rounds, DashboardFilter()) == []


def test_component_changes_over_all_organisations_are_sorted_from_the_largest_rise(two_rounds):
    rounds = dashboard_rounds()
    second, first = rounds
    assert previous_round(second, rounds).id == first.id
    assert previous_round(first, rounds) is None
    changes = component_changes(second, first, DashboardFilter(population=Population.ALL))
    # KOM: (3 + 2 + 1) / 3 = 2 -> (2 + 4) / 2 = 3; MAL: (3 + 1 + 2 + 1) / 4 -> (2 + 2 + 0) / 3;
    # KUN: (3 + 1 + 2 + 1) / 4 -> (2 + 2 + 1) / 3; the others 2 -> 2.
    assert [c.code for c in changes] == ["KOM", "MET", "SAM", "KSP", "UPP", "KUN", "MAL"]
    by_code = {c.code: c for c in changes}
    assert by_code["KOM"].change == pytest.approx(1.0)
    assert by_code["MAL"].previous == pytest.approx(1.75)
    assert by_code["MAL"].change == pytest.approx(4 / 3 - 1.75)
    assert by_code["KUN"].change == pytest.approx(5 / 3 - 1.75)
    assert by_code["MET"].change == pytest.approx(0)
    assert (by_code["MAL"].previous_n, by_code["MAL"].current_n) == (4, 3)
    assert all(c.change is None for c in component_changes(first, None, DashboardFilter()))


def test_component_changes_by_default_compare_the_same_organisations(two_rounds):
    """The finding: over all organisations KOM "rose a level", though the only organisation
    with a KOM level in both rounds (ASN) fell from 3 to 2; FRN had none in 2023 and MKB none
    in 2024, so they changed who answered, not how mature anyone is."""
    second, first = dashboard_rounds()
    changes = component_changes(second, first, DashboardFilter())
    # MAL: ASN 3 -> 2, FRN 1 -> 2, MKB 1 -> 0; KUN: 3 -> 2, 1 -> 2, 1 -> 1; the rest ASN only.
    assert [c.code for c in changes] == ["KUN", "MAL", "KOM", "MET", "SAM", "KSP", "UPP"]
    by_code = {c.code: c for c in changes}
    assert by_code["KOM"].change == pytest.approx(-1.0)
    assert (by_code["KOM"].previous_n, by_code["KOM"].current_n) == (1, 1)
    assert by_code["MAL"].previous == pytest.approx(5 / 3)
    assert by_code["MAL"].current == pytest.approx(4 / 3)
    assert (by_code["MAL"].previous_n, by_code["MAL"].current_n) == (3, 3)
    assert by_code["KUN"].change == pytest.approx(0)


def test_fallen_back_lists_lower_indices_largest_fall_first(two_rounds):
    rounds = dashboard_rounds()
    second, first = rounds
    orgs = two_rounds["orgs"]
    falls = fallen_back(second, first, DashboardFilter())
    assert [(f.organisation_id, f.previous, f.current) for f in falls] == [
        (orgs["ASN"].id, 3.0, 2.0), (orgs["MKB"].id, 1.0, 0.5)]
    assert falls[0].change == -1.0
    bolag = fallen_back(second, first, DashboardFilter(kind=OrganisationKind.BOLAG))
    assert [f.organisation_id for f in bolag] == [orgs["MKB"].id]
    assert fallen_back(first, None, DashboardFilter()) == []


def test_trends_page_shows_the_hand_computed_numbers(two_rounds, client, auth):
    auth.login_as(Role.ANALYST, None)
    page = client.get("/analys/trender?population=all")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "1,75" in html  # the city in 2023
    assert "1,72" in html  # (2 + 8/3 + 0,5) / 3 in 2024
    assert "+1,00" in html  # KOM rose a level
    assert "-0,42" in html  # MAL fell 5/12
    falls = html[html.index('id="falls-table"'):]
    assert falls.index("Arbetsmarknads- och socialnämnden") < falls.index("MKB Fastighets AB")
    assert "Fritidsnämnden" not in falls  # rose
    assert 'data-chart="trend-data"' in html


def test_trends_filters_in_the_url_change_what_is_shown(two_rounds, client, auth):
    auth.login_as(Role.ANALYST, None)
    orgs = two_rounds["orgs"]
    bolag = client.get("/analys/trender?kind=bolag").get_data(as_text=True)
    falls = bolag[bolag.index('id="falls-table"'):]
    assert "MKB Fastighets AB" in falls and "Arbetsmarknads" not in falls
    assert "0,50" in bolag
    chosen = client.get(f"/analys/trender?org={orgs['ASN'].id}").get_data(as_text=True)
    trend = chosen[chosen.index('id="trend-table"'):chosen.index('id="changes-table"')]
    assert "Arbetsmarknads- och socialnämnden" in trend and "3,00" in trend
    older = client.get(f"/analys/trender?round={two_rounds['first'].id}")
    assert older.status_code == 200
    assert "Ingen organisation föll tillbaka." in older.get_data(as_text=True)


def test_trends_page_is_for_analysts_only(two_rounds, client, auth):
    auth.login_as(Role.RESPONDENT, "ASN")
    assert client.get("/analys/trender").status_code == 403


def test_trends_page_with_only_a_draft_response(app, make_round, make_user, organisation,
                                                client, auth):
    round_ = make_round(2024)
    submitted_response(round_, organisation("ASN"), make_user(Role.RESPONDENT, "ASN"),
                       submitted=False)
    auth.login_as(Role.ANALYST, None)
    page = client.get("/analys/trender")
    assert page.status_code == 200
    assert "Inga uppgifter att visa." in page.get_data(as_text=True)


def test_trends_page_compares_the_same_organisations_and_says_so(two_rounds, client, auth):
    auth.login_as(Role.ANALYST, None)
    html = client.get("/analys/trender").get_data(as_text=True)
    assert "(samma organisationer)" in html
    assert "samma organisationer i båda omgångarna" in html
    assert '<option value="matched" selected>' in html
    changes = html[html.index('id="changes-table"'):html.index('id="falls-heading"')]
    assert "-1,00" in changes and "+1,00" not in changes  # KOM, ASN alone
    assert "-0,33" in changes  # MAL over ASN, FRN and MKB
    assert "2024 (preliminär)" in html  # the open round
    assert "siffrorna är preliminära" in html
