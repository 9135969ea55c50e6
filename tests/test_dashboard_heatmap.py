"""The heatmap (organisations × components) and the evidence page a cell opens, against a
hand-computed fixture built through the real services.

The fixture (round 2024, open):
* ASN: submitted, self-assessed MAL 1, KUN 3; assessed MAL 2, KUN 2, KOM 3, MET 1, SAM 0,
  KSP 2, UPP 2 (done) with a quote "Vi arbetar" for KUN. Index 12/7.
* FRN: submitted, self-assessment only: MAL 2, KUN 1, KOM 0, UPP 4 (three missing). Index 7/4.
* FN: submitted, assessed 4 everywhere, then returned: no level counts, self MAL 2 remains.
* KS and every other seeded organisation: did not answer (all cells missing, never 0).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from support.factories import CODES
from support.pages import row_of, table
from support.worlds import ASN_ASSESSED, FRN_SELF, build_heatmap_round

from survey.accounts.models import Role
from survey.analysis.filters import DashboardFilter
from survey.analysis.heatmap import heatmap_rows, response_evidence
from survey.analysis.levels import LevelSource
from survey.analysis.maturity import organisation_indices
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.questionnaires.models import Round
from survey.reference.services import components
from survey.responses.models import Response


@pytest.fixture
def fixture(app, make_round, make_user, organisation):
    respondent = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None, email="a1@example.org")
    return build_heatmap_round(make_round(2024), organisation, respondent, analyst)


def test_heatmap_rows_against_hand_computed_fixture(app, fixture):
    round_ = db.session.get(Round, fixture["round"])
    filters = DashboardFilter(round_id=round_.id)
    organisations = organisation_indices(round_, filters)
    ids = fixture["ids"]
    # Lowest index first (12/7 < 7/4), then every organisation without levels.
    assert [o.organisation_id for o in organisations[:2]] == [ids["ASN"], ids["FRN"]]
    assert abs(organisations[0].index - 12 / 7) < 1e-9 and organisations[1].index == 1.75
    rows = {row.organisation.organisation_id: row for row in
            heatmap_rows(round_, filters, organisations)}
    assert len(rows) == len(organisations)
    asn = {cell.component_code: (cell.level, cell.source) for cell in rows[ids["ASN"]].cells}
    assert asn == {code: (level, "assessment") for code, level in ASN_ASSESSED.items()}
    frn = {cell.component_code: (cell.level, cell.source) for cell in rows[ids["FRN"]].cells}
    assert frn == {code: ((FRN_SELF[code], "self_assessment") if code in FRN_SELF else
                          (None, None)) for code in CODES}
    for missing in ("FN", "KS"):  # returned; never answered: missing, never 0
        assert [cell.level for cell in rows[ids[missing]].cells] == [None] * 7
        assert rows[ids[missing]].organisation.index is None

    # The source filter: only self-assessments count; the component filter narrows columns.
    own = DashboardFilter(round_id=round_.id, source=LevelSource.SELF_ASSESSMENT,
                          component="KUN")
    rows = {row.organisation.organisation_id: row for row in
            heatmap_rows(round_, own, organisation_indices(round_, own))}
    assert [(c.component_code, c.level, c.source) for c in rows[ids["ASN"]].cells] == [
        ("KUN", 3, "self_assessment")]


def test_heatmap_page_shows_levels_and_links_cells_to_the_evidence(client, auth, fixture,
                                                                   chart_data):
    auth.login_as("analyst", None)
    reply = client.get(f"/analys/varmekarta?round={fixture['round']}")
    assert reply.status_code == 200
    html = reply.get_data(as_text=True)
    link = f"/analys/svar/{fixture['asn']}/belagg?component=KUN"
    cells = table(html, "heatmap-table")
    assert f'href="{link}"' in row_of(cells, "Arbetsmarknads- och socialnämnden")
    # FRN's self-assessed levels carry the star; its missing components are "–", not 0.
    frn = row_of(cells, "Fritidsnämnden")
    assert '<td class="level-cell level-4"><a href=' in frn and "(självskattning)" in frn
    assert frn.count("uppgift saknas") == 3
    # The chart: the same levels, the cell's URL last in customdata, missing as null.
    trace = chart_data(html, "heatmap")["data"][0]
    names = trace["y"]
    asn_row = names.index("Arbetsmarknads- och socialnämnden")
    assert trace["z"][asn_row] == [ASN_ASSESSED[code] for code in CODES]
    assert trace["customdata"][asn_row][1][-1] == link
    frn_row = names.index("Fritidsnämnden")
    assert trace["text"][frn_row][:3] == ["2*", "1*", "0*"]
    assert trace["z"][names.index("Kommunstyrelsen")] == [None] * 7

    evidence = client.get(link)
    assert evidence.status_code == 200
    page = evidence.get_data(as_text=True)
    assert "Motivering KUN." in page and "<blockquote>Vi arbetar</blockquote>" in page
    assert "Kunskap och statistik (KUN)" in page and "Mål och styrning (MAL)" not in page
    assert "Nivå: 3 Etablerat" in page  # the self-assessment, shown beside the assessment


def test_heatmap_filters_in_the_url_change_what_is_shown(client, auth, fixture):
    auth.login_as("analyst", None)
    base = f"/analys/varmekarta?round={fixture['round']}"
    narrowed = table(client.get(base + "&component=KUN").get_data(as_text=True),
                     "heatmap-table")
    assert "Kunskap och statistik" in narrowed and "Mål och styrning" not in narrowed
    own = client.get(base + "&source=self_assessment").get_data(as_text=True)
    asn = row_of(table(own, "heatmap-table"), "Arbetsmarknads- och socialnämnden")
    assert '<td class="level-cell level-1"><a' in asn and '<td class="level-cell level-2">' \
        not in asn
    by_name = table(client.get(base + "&sort=name").get_data(as_text=True), "heatmap-table")
    by_index = table(client.get(base).get_data(as_text=True), "heatmap-table")
    names = re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', by_name)
    assert names == sorted(names, key=str.casefold)
    ranked = re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', by_index)
    assert ranked[:2] == ["Arbetsmarknads- och socialnämnden", "Fritidsnämnden"]
    assert ranked[2:] == sorted(ranked[2:], key=str.casefold)  # no index: by name


def test_heatmap_pages_fifty_organisations_at_a_time(client, auth, fixture, chart_data):
    for number in range(60):
        db.session.add(Organisation(name=f"Extra bolag {number:02d}", short_name=f"X{number:02d}",
                                    kind=OrganisationKind.BOLAG))
    db.session.commit()
    auth.login_as("analyst", None)
    base = f"/analys/varmekarta?round={fixture['round']}&sort=name"
    first = table(client.get(base).get_data(as_text=True), "heatmap-table")
    second_page = client.get(base + "&page=2").get_data(as_text=True)
    total = db.session.scalar(select(db.func.count(Organisation.id)))
    assert first.count('<th scope="row">') == 50
    assert table(second_page, "heatmap-table").count('<th scope="row">') == total - 50
    assert len(chart_data(second_page, "heatmap")["data"][0]["y"]) == total - 50


def test_evidence_of_a_returned_response_says_no_level_counts(client, auth, fixture):
    auth.login_as("analyst", None)
    reply = client.get(f"/analys/svar/{fixture['fn']}/belagg?component=MAL")
    assert reply.status_code == 200
    page = reply.get_data(as_text=True)
    assert "ingen nivå räknas ännu" in page
    assert "Nivå som räknas: <strong>Uppgift saknas</strong>" in page
    assert "Nivå: 2 Påbörjat" in page  # the self-assessment is still shown
    assert "Motivering MAL." not in page  # the out-of-date assessment does not count


def test_response_evidence_against_the_fixture(app, fixture):
    items = {item.component.code: item for item in
             response_evidence(db.session.get(Response, fixture["asn"]), components())}
    assert (items["KUN"].effective.level, items["KUN"].effective.source) == (2, "assessment")
    assert (items["KUN"].assessed_level, items["KUN"].self_level) == (2, 3)
    assert [q.text for q in items["KUN"].quotes] == ["Vi arbetar"] and not items["MAL"].quotes
    assert items["UPP"].self_level is None and items["UPP"].justification == "Motivering UPP."


def test_unknown_response_or_component_is_404(client, auth, fixture):
    auth.login_as("analyst", None)
    assert client.get("/analys/svar/999999/belagg").status_code == 404
    assert client.get(f"/analys/svar/{fixture['asn']}/belagg?component=XYZ"
                      ).status_code == 404
    assert client.get(f"/analys/svar/{fixture['asn']}/belagg").status_code == 200


def test_respondents_may_not_see_the_heatmap_or_the_evidence(client, auth, fixture):
    auth.login_as("respondent", "ASN")
    assert client.get("/analys/varmekarta").status_code == 403
    assert client.get(f"/analys/svar/{fixture['asn']}/belagg").status_code == 403
