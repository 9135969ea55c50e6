"""The overview of a round (survey.analysis.maturity and dashboards.overview), against a
hand-computed fixture.

Round 2024, nämnder only:
  ASN  submitted; self-assessed MAL 1; assessed 2 on all seven components -> index 2.0
  FRN  submitted; self-assessed MAL 2, KUN 1, KOM 0, UPP 4; not assessed    -> index 1.75
  FN   submitted, assessed 4, then returned: counts for nothing             -> missing
  GSN  draft                                                                 -> missing
  every other organisation valid in 2024: not started                        -> missing
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from support.factories import make_assessment, submitted_response

from survey.accounts.models import Role
from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import LevelSource
from survey.analysis.maturity import (
    component_summaries,
    kind_comparison,
    organisation_indices,
    status_summary,
)
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind, organisations_valid_in
from survey.responses.services import return_for_completion, start_response


@pytest.fixture
def fixture_round(app, make_round, make_user, organisation):
    round_ = make_round(2024)
    user = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None)
    asn = submitted_response(round_, organisation("ASN"), user, {"MAL": 1})
    make_assessment(asn, analyst, 2)
    submitted_response(round_, organisation("FRN"), user,
                       {"MAL": 2, "KUN": 1, "KOM": 0, "UPP": 4})
    fn = submitted_response(round_, organisation("FN"), user, {"MAL": 3})
    make_assessment(fn, analyst, 4)
    return_for_completion(fn, analyst, "Komplettera.")
    start_response(round_, organisation("GSN"), user)
    db.session.commit()
    return round_


def population(kind=None) -> int:
    query = organisations_valid_in(2024)
    if kind:
        query = query.where(Organisation.kind == kind)
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def summaries_by_code(round_, **filters):
    return {s.code: s for s in component_summaries(round_, DashboardFilter(**filters))}


def test_levels_per_component_count_missing_organisations_as_missing(fixture_round):
    summaries = summaries_by_code(fixture_round)
    total = population()
    assert summaries["MAL"].counts == {0: 0, 1: 0, 2: 2, 3: 0, 4: 0}
    assert (summaries["MAL"].mean, summaries["MAL"].median) == (2.0, 2.0)
    assert (summaries["MAL"].present, summaries["MAL"].missing) == (2, total - 2)
    assert summaries["MAL"].assessed == 1
    assert (summaries["KUN"].mean, summaries["KUN"].median) == (1.5, 1.5)
    assert summaries["KOM"].counts[0] == 1 and summaries["KOM"].mean == 1.0
    assert summaries["UPP"].mean == 3.0
    # Only ASN has a level: the returned FN, the draft and the silent are missing, not 0.
    assert summaries["MET"].counts == {0: 0, 1: 0, 2: 1, 3: 0, 4: 0}
    assert summaries["MET"].missing == total - 1


def test_the_source_filter_chooses_which_levels_count(fixture_round):
    self_only = summaries_by_code(fixture_round, source=LevelSource.SELF_ASSESSMENT)
    assert self_only["MAL"].mean == 1.5  # ASN's own 1 and FRN's 2
    assert self_only["KUN"].counts[1] == 1 and self_only["KUN"].present == 1
    assert self_only["MAL"].assessed == 0
    assessed = summaries_by_code(fixture_round, source=LevelSource.ASSESSMENT)
    assert {code: s.mean for code, s in assessed.items()} == dict.fromkeys(assessed, 2.0)
    assert assessed["UPP"].present == 1


def test_the_component_and_kind_filters_narrow_the_figures(fixture_round):
    assert list(summaries_by_code(fixture_round, component="KUN")) == ["KUN"]
    bolag = summaries_by_code(fixture_round, kind=OrganisationKind.BOLAG)
    assert all(s.present == 0 and s.mean is None for s in bolag.values())
    assert bolag["MAL"].missing == population(OrganisationKind.BOLAG)


def test_index_per_organisation_lowest_first_and_missing_last(fixture_round, organisation):
    rows = organisation_indices(fixture_round, DashboardFilter())
    assert len(rows) == population()
    first, second = rows[0], rows[1]
    assert (first.short_name, first.index, first.present, first.assessed) == ("FRN", 1.75, 4, 0)
    assert (second.short_name, second.index, second.present, second.assessed) == ("ASN", 2.0, 7, 7)
    missing = {row.short_name: row for row in rows[2:]}
    assert all(row.index is None and row.present == 0 for row in missing.values())
    assert missing["FN"].status_label == "Återsänd"
    assert missing["GSN"].status_label == "Utkast"
    assert missing["KS"].status_label == "Ej påbörjad" and missing["KS"].response_id is None
    by_name = organisation_indices(fixture_round, DashboardFilter(sort="name"))
    names = [row.name for row in by_name]
    assert names == sorted(names, key=str.casefold)
    only = organisation_indices(fixture_round, DashboardFilter(
        organisation_ids=(organisation("FRN").id,)))
    assert [row.short_name for row in only] == ["FRN"]


def test_status_counts_include_the_organisations_that_never_started(fixture_round):
    status = status_summary(fixture_round, DashboardFilter())
    counts = {c.key: c.count for c in status.counts}
    total = population()
    assert counts == {"not_started": total - 4, "draft": 1, "submitted": 2, "returned": 1}
    assert status.total == total


def test_namnder_against_bolag(fixture_round):
    namnd, bolag = kind_comparison(fixture_round, DashboardFilter())
    assert namnd.kind == OrganisationKind.NAMND and bolag.kind == OrganisationKind.BOLAG
    assert namnd.organisations == 2 and namnd.index_mean == pytest.approx((2.0 + 1.75) / 2)
    assert namnd.means["KUN"] == 1.5 and namnd.means["MET"] == 2.0
    assert bolag.organisations == 0 and bolag.index_mean is None
    assert set(bolag.means.values()) == {None}


def test_the_overview_page_shows_the_figures_in_tables(client, auth, fixture_round):
    auth.login_as(Role.ANALYST, None)
    page = client.get(f"/analys/?round={fixture_round.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Content-Security-Policy" in page.headers
    assert "'unsafe-inline'" in page.headers["Content-Security-Policy"].split("style-src")[1]
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    for table in ("status-table", "means-table", "distribution-table", "index-table",
                  "kinds-table"):
        assert f'id="{table}"' in html
    assert 'data-chart="means-data"' in html and '<script type="application/json"' in html
    assert "1,9" in html  # the nämnder's mean index 1.875
    table = html[html.index('id="index-table"'):]
    # Lowest index first: FRN (1,75) before ASN (2,0).
    assert table.index("Fritidsnämnden") < table.index("Arbetsmarknads- och socialnämnden")


def test_filters_live_in_the_url_and_bad_values_are_ignored(client, auth, fixture_round):
    auth.login_as(Role.ANALYST, None)
    html = client.get(f"/analys/?round={fixture_round.id}&kind=bolag&source=assessment"
                      "&component=KUN").get_data(as_text=True)
    assert '<option value="bolag" selected>' in html
    assert '<option value="assessment" selected>' in html
    assert '<option value="KUN" selected>' in html
    assert "Kunskap och statistik" in html and "Mål och styrning</th>" not in html
    page = client.get("/analys/?round=99999&kind=xyz&source=nope&page=-3&org=abc")
    assert page.status_code == 200


def test_respondents_cannot_see_the_overview(client, auth, fixture_round):
    auth.login_as(Role.RESPONDENT, "ASN")
    assert client.get("/analys/").status_code == 403


def test_the_overview_without_any_round_says_so(client, auth):
    auth.login_as(Role.ANALYST, None)
    page = client.get("/analys/")
    assert page.status_code == 200
    assert "ingen öppen eller stängd omgång" in page.get_data(as_text=True)


def test_the_overview_runs_a_fixed_number_of_queries(client, auth, fixture_round, make_user,
                                                     organisation):
    auth.login_as(Role.ANALYST, None)
    url = f"/analys/?round={fixture_round.id}"
    client.get(url)

    def count_selects() -> int:
        statements = []

        def listener(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))])

    before = count_selects()
    user = make_user(Role.RESPONDENT, "KS")
    for short in ("KS", "KN", "FSN", "SBN"):
        submitted_response(fixture_round, organisation(short), user, {"MAL": 3, "UPP": 1})
    assert count_selects() == before


def test_plotly_js_and_the_level_colours_are_served_by_the_app(client):
    script = client.get("/analys/plotly.min.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert b"plotly.js" in script.data[:200]
    again = client.get("/analys/plotly.min.js",
                       headers={"If-None-Match": script.headers["ETag"]})
    assert again.status_code == 304
    css = client.get("/analys/nivaer.css").get_data(as_text=True)
    assert ".level-0 { background: #440154; color: #ffffff; }" in css
    assert ".level-none" in css
