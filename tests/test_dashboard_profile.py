"""The organisation profile, against a hand-computed fixture over three rounds.

* 2022 (closed): ASN self-assessed MAL 1, KUN 1 (index 1.0).
* 2023 (closed): ASN did not answer (a gap, never 0); FRN self-assessed MAL 2, KUN 1, KOM 0,
  UPP 4.
* 2024 (open): the heatmap's fixture (ASN assessed, index 12/7, self MAL 1, KUN 3, a quote on
  KUN; FRN self-only MAL 2, KUN 1, KOM 0, UPP 4; FN returned).
  City medians 2024 (ASN and FRN): MAL (2, 2) → 2; KUN (2, 1) → 1.5; KOM (3, 0) → 1.5;
  MET (1) → 1; SAM (0) → 0; KSP (2) → 2; UPP (2, 4) → 3.
"""

from __future__ import annotations

import pytest
from support.factories import CODES, submitted_response
from support.pages import table
from support.worlds import ASN_ASSESSED, FRN_SELF, build_heatmap_round

from survey.accounts.models import Role
from survey.analysis.filters import dashboard_rounds, previous_round
from survey.analysis.profile import (
    component_profile,
    index_series,
    self_assessment_gaps,
)
from survey.extensions import db
from survey.questionnaires.models import RoundStatus

MEDIANS = {"MAL": 2, "KUN": 1.5, "KOM": 1.5, "MET": 1, "SAM": 0, "KSP": 2, "UPP": 3}


@pytest.fixture
def rounds(app, make_round, make_user, organisation):
    respondent = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None, email="a1@example.org")
    r2022, r2023 = make_round(2022), make_round(2023)
    submitted_response(r2022, organisation("ASN"), respondent, {"MAL": 1, "KUN": 1})
    submitted_response(r2023, organisation("FRN"), respondent, FRN_SELF)
    r2022.status = r2023.status = RoundStatus.CLOSED
    db.session.commit()
    current = build_heatmap_round(make_round(2024), organisation, respondent, analyst)
    return {"2022": r2022.id, "2023": r2023.id, **current}


def test_profile_figures_against_hand_computed_fixture(app, rounds, organisation):
    all_rounds = dashboard_rounds()
    by_year = {r.year: r for r in all_rounds}
    asn, frn = organisation("ASN").id, organisation("FRN").id
    assert previous_round(by_year[2024], all_rounds) is by_year[2023]
    assert previous_round(by_year[2022], all_rounds) is None

    series = index_series(asn, all_rounds)
    assert [point.round.year for point in series] == [2022, 2023, 2024]
    assert series[0].index == 1.0 and series[0].present == 2
    assert series[1].index is None and series[1].present == 0  # no answer: a gap, not 0
    assert abs(series[2].index - 12 / 7) < 1e-9 and series[2].present == 7

    profile = {c.code: c for c in component_profile(asn, by_year[2024], by_year[2023])}
    assert {code: (c.level, c.source) for code, c in profile.items()} == {
        code: (level, "assessment") for code, level in ASN_ASSESSED.items()}
    assert all(c.previous_level is None for c in profile.values())
    assert {code: c.city_median for code, c in profile.items()} == MEDIANS

    frn_profile = {c.code: c for c in component_profile(frn, by_year[2024], by_year[2023])}
    assert {code: c.previous_level for code, c in frn_profile.items()} == {
        code: FRN_SELF.get(code) for code in CODES}
    assert frn_profile["UPP"].previous_source == "self_assessment"

    gaps = self_assessment_gaps(asn, by_year[2024])
    assert [(g.code, g.self_level, g.assessed_level, g.difference) for g in gaps] == [
        ("MAL", 1, 2, -1), ("KUN", 3, 2, 1)]
    assert self_assessment_gaps(frn, by_year[2024]) == []  # no assessment: no gap
    assert self_assessment_gaps(organisation("FN").id, by_year[2024]) == []  # returned


def test_profile_page_shows_radar_index_gaps_and_quotes(client, auth, rounds, organisation,
                                                        chart_data):
    auth.login_as("analyst", None)
    reply = client.get(f"/analys/organisationer/{organisation('FRN').id}"
                       f"?round={rounds['round']}")
    assert reply.status_code == 200
    html = reply.get_data(as_text=True)
    radar = chart_data(html, "radar")["data"]
    assert [trace["name"] for trace in radar] == ["2024", "2023", "Stadens median 2024"]
    previous = [FRN_SELF.get(code) for code in CODES]
    assert radar[1]["r"] == previous + previous[:1]  # last round's levels, missing as null
    medians = [MEDIANS[code] for code in CODES]
    assert radar[2]["r"] == medians + medians[:1]
    assert "<th scope=\"col\">Särskild fråga om mänskliga rättigheter 2023</th>" in \
        table(html, "radar-table")

    page = client.get(f"/analys/organisationer/{organisation('ASN').id}"
                      f"?round={rounds['round']}").get_data(as_text=True)
    index = chart_data(page, "index")["data"][0]
    assert index["x"] == ["2022", "2023", "2024"]
    assert index["y"][0] == 1.0 and index["y"][1] is None and abs(index["y"][2] - 12 / 7) < 1e-9
    assert "saknas" in table(page, "index-table").split("2023")[1].split("</tr>")[0]
    gaps = table(page, "gaps-table")
    assert gaps.count("<tr><th scope=\"row\">") == 2 and "-1" in gaps and "+1" in gaps
    assert chart_data(page, "gaps")["data"][0]["x"] == [-1, 1]
    assert "<blockquote>Vi arbetar</blockquote>" in page
    assert f"/analys/svar/{rounds['asn']}/belagg?component=KUN" in table(page, "radar-table")


def test_profile_filters_in_the_url_change_what_is_shown(client, auth, rounds, organisation,
                                                         chart_data):
    auth.login_as("analyst", None)
    url = f"/analys/organisationer/{organisation('ASN').id}"
    earlier = client.get(f"{url}?round={rounds['2023']}").get_data(as_text=True)
    assert "har inte svarat" in earlier
    assert chart_data(earlier, "radar")["data"][0]["r"] == [None] * 8
    own = client.get(f"{url}?round={rounds['round']}&source=self_assessment")
    radar = chart_data(own.get_data(as_text=True), "radar")["data"][0]
    assert radar["r"][:2] == [1, 3] and radar["r"][2:7] == [None] * 5


def test_unknown_organisation_is_404_and_respondents_are_refused(client, auth, rounds,
                                                                 organisation):
    auth.login_as("analyst", None)
    assert client.get("/analys/organisationer/999999").status_code == 404
    auth.logout()
    auth.login_as("respondent", "ASN")
    assert client.get(f"/analys/organisationer/{organisation('ASN').id}"
                      ).status_code == 403
