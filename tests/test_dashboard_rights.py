"""The rights-areas page (survey.analysis.rights + /analys/rattighetsomraden) against a
hand-computed fixture built through the real services."""

from __future__ import annotations

import pytest
from support.factories import area_ids, assess, give_back, submitted_response
from support.worlds import ASN_NAME, FRN_NAME, PARTICIPATION, build_tags_world

from survey.accounts.models import Role
from survey.analysis.filters import DashboardFilter, dashboard_rounds
from survey.analysis.rights import rights_area_figures
from survey.extensions import db
from survey.organisations.models import OrganisationKind
from survey.questionnaires.models import RoundStatus

CHILD = "Barnets rättigheter"
EQUAL = "Jämställdhet"
ELDER = "Äldres rättigheter"
ACCESS = "Funktionsrätt och tillgänglighet"


@pytest.fixture
def tagged(app, make_round, make_user, organisation):
    """2023: four organisations with a submitted response.

    ASN  tags barn + jämställdhet, assessment says barn + äldre   -> barn, äldre
    FRN  tags barn; only a draft assessment (äldre)               -> barn
    FSN  tags jämställdhet, assessment marks no area              -> nothing
    MKB  (bolag) tags barn + funktionsrätt, no assessment         -> barn, funktionsrätt
    FN   tags barn, submitted then returned                      -> not counted at all
    KS   never answered
    2024: ASN tags jämställdhet -> jämställdhet (1 of 1).
    """
    first = make_round(2023)
    second = make_round(2024)
    user = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None)
    orgs = {short: organisation(short) for short in ("ASN", "FRN", "FSN", "MKB", "FN", "KS")}
    assess(submitted_response(first, orgs["ASN"], user, areas=(CHILD, EQUAL)), analyst, 2,
           areas=(CHILD, ELDER))
    assess(submitted_response(first, orgs["FRN"], user, areas=(CHILD,)), analyst, 2, areas=(ELDER,),
           done=False)
    assess(submitted_response(first, orgs["FSN"], user, areas=(EQUAL,)), analyst, 1)
    submitted_response(first, orgs["MKB"], user, areas=(CHILD, ACCESS))
    give_back(submitted_response(first, orgs["FN"], user, areas=(CHILD,)), analyst)
    submitted_response(second, orgs["ASN"], user, areas=(EQUAL,))
    first.status = RoundStatus.CLOSED
    db.session.commit()
    return {"first": first, "second": second, "orgs": orgs}


def counts_by_name(figures, round_id) -> dict[str, int]:
    found = figures.round(round_id)
    return {area.name: found.counts.get(area.id, 0) for area in figures.areas}


def test_effective_assessment_overrides_the_respondents_tags(tagged):
    figures = rights_area_figures(dashboard_rounds(), DashboardFilter())
    first, second = tagged["first"].id, tagged["second"].id
    assert [r.year for r in figures.rounds] == [2023, 2024]
    counts = counts_by_name(figures, first)
    assert counts[CHILD] == 3  # ASN (assessment), FRN (own tags), MKB (own tags)
    assert counts[ELDER] == 1  # ASN's assessment; FRN's draft does not count
    assert counts[EQUAL] == 0  # ASN's and FSN's own tags are overridden
    assert counts[ACCESS] == 1
    assert sum(counts.values()) == 5
    assert figures.round(first).submitted == 4  # FN was returned, KS never answered
    assert figures.round(first).share(area_ids(CHILD)[0]) == 0.75
    assert figures.ranked(first)[0][0].name == CHILD
    assert counts_by_name(figures, second)[EQUAL] == 1
    assert figures.round(second).submitted == 1


def test_kind_filter_counts_only_that_kind(tagged):
    figures = rights_area_figures(dashboard_rounds(),
                                  DashboardFilter(kind=OrganisationKind.NAMND))
    first = tagged["first"].id
    counts = counts_by_name(figures, first)
    assert (counts[CHILD], counts[ACCESS], figures.round(first).submitted) == (2, 0, 3)
    bolag = rights_area_figures(dashboard_rounds(), DashboardFilter(kind=OrganisationKind.BOLAG))
    assert counts_by_name(bolag, first)[ACCESS] == 1
    assert bolag.round(tagged["second"].id).submitted == 0
    assert bolag.round(tagged["second"].id).share(area_ids(CHILD)[0]) is None


def test_rights_areas_page_shows_counts_and_shares(tagged, client, auth):
    auth.login_as(Role.ANALYST, None)
    page = client.get(f"/analys/rattighetsomraden?round={tagged['first'].id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    ranked = html[html.index('id="ranked-table"'):html.index('id="rounds-heading"')]
    assert "av de 4 organisationer" in ranked
    assert f'<th scope="row">{CHILD}</th><td class="num">3</td><td class="num">75 %</td>' \
        in ranked
    assert ranked.index(CHILD) < ranked.index(ACCESS) < ranked.index(EQUAL)
    rounds = html[html.index('id="rounds-table"'):]
    assert "3 (75 %)" in rounds and "1 (100 %)" in rounds


def test_rights_areas_kind_filter_in_the_url(tagged, client, auth):
    auth.login_as(Role.ANALYST, None)
    html = client.get(f"/analys/rattighetsomraden?round={tagged['first'].id}&kind=namnd"
                      ).get_data(as_text=True)
    ranked = html[html.index('id="ranked-table"'):html.index('id="rounds-heading"')]
    assert "av de 3 organisationer" in ranked
    assert f'<th scope="row">{CHILD}</th><td class="num">2</td><td class="num">67 %</td>' \
        in ranked


def test_rights_areas_page_is_for_analysts_only(tagged, client, auth):
    auth.login_as(Role.RESPONDENT, "ASN")
    assert client.get("/analys/rattighetsomraden").status_code == 403


def test_rights_areas_page_with_only_a_draft_response(app, make_round, make_user, organisation,
                                                      client, auth, chart_data):
    round_ = make_round(2024)
    submitted_response(round_, organisation("ASN"), make_user(Role.RESPONDENT, "ASN"),
                       areas=(CHILD,), submitted=False)
    auth.login_as(Role.ANALYST, None)
    page = client.get("/analys/rattighetsomraden")
    assert page.status_code == 200
    ranked = chart_data(page.get_data(as_text=True), "areas-ranked")
    assert [note["text"] for note in ranked["layout"]["annotations"]] == [
        "Inga inskickade svar i omgången."]
    # Said in the page too, not only inside the figure (screen readers do not read the SVG).
    assert '<p class="chart-empty">Inga inskickade svar i omgången.</p>' in page.get_data(
        as_text=True)


# --- barrier and principle tags (survey.analysis.tags; support.worlds.build_tags_world) ----

@pytest.fixture
def tags_world(app, make_round, make_user, organisation):
    return build_tags_world(make_round, make_user, organisation)


def tag_rows(html: str, kind: str) -> list[str]:
    """The body rows of one kind's tag table, as HTML."""
    table = html[html.index(f'id="tags-{kind}-table"'):]
    table = table[table.index("<tbody>"):table.index("</tbody>")]
    return [row[row.index("<tr>"):] for row in table.split("</tr>") if "<tr>" in row]


def test_tags_section_counts_the_effective_assessments_tags(tags_world, client, auth,
                                                            chart_data):
    auth.login_as(Role.ANALYST, None)
    html = client.get(f"/analys/rattighetsomraden?round={tags_world['second'].id}"
                      ).get_data(as_text=True)
    section = html[html.index('id="tags-heading"'):]
    assert "Hinder och principer i svaren på fråga 2" in section
    assert "av de 3 organisationer vars inskickade svar har en klar bedömning" in section
    barriers = tag_rows(html, "barrier")
    assert barriers[0] == (f'<tr><th scope="row">Resurser</th><td class="num">2</td>'
                           f'<td class="num">67 %</td><td>{ASN_NAME}, {FRN_NAME}</td>')
    assert barriers[1] == (f'<tr><th scope="row">Kunskap</th><td class="num">1</td>'
                           f'<td class="num">33 %</td><td>{ASN_NAME}</td>')
    assert len(barriers) == 6
    assert '<th scope="row">Data</th><td class="num">0</td><td class="num">0 %</td>' \
        in barriers[3]
    principles = tag_rows(html, "principle")
    assert principles[0] == (f'<tr><th scope="row">{PARTICIPATION}</th><td class="num">1</td>'
                             f'<td class="num">33 %</td><td>{ASN_NAME}</td>')
    assert len(principles) == 4

    chart = chart_data(html, "tags-barrier")
    bar = chart["data"][0]
    assert (bar["type"], bar["orientation"]) == ("bar", "h")
    assert bar["y"][:2] == ["Resurser", "Kunskap"] and len(bar["y"]) == 6
    assert bar["x"] == [2, 1, 0, 0, 0, 0]
    assert bar["text"][:2] == ["2 (67 %)", "1 (33 %)"]
    principle = chart_data(html, "tags-principle")["data"][0]
    assert (principle["y"][0], principle["x"]) == (PARTICIPATION, [1, 0, 0, 0])


def test_tags_section_follows_the_kind_filter(tags_world, client, auth, chart_data):
    auth.login_as(Role.ANALYST, None)
    url = f"/analys/rattighetsomraden?round={tags_world['second'].id}"
    html = client.get(f"{url}&kind=namnd").get_data(as_text=True)
    assert tag_rows(html, "barrier")[0] == (
        f'<tr><th scope="row">Resurser</th><td class="num">2</td>'
        f'<td class="num">100 %</td><td>{ASN_NAME}, {FRN_NAME}</td>')
    html = client.get(f"{url}&kind=bolag").get_data(as_text=True)
    assert "av de 1 organisationer vars inskickade svar" in html
    chart = chart_data(html, "tags-barrier")
    assert [note["text"] for note in chart["layout"]["annotations"]] == [
        "Inget bedömt svar är taggat med hinder."]
    assert '<p class="chart-empty">Inget bedömt svar är taggat med hinder.</p>' in html
    assert all('<td class="num">0</td>' in row for row in tag_rows(html, "barrier"))


def test_tags_section_without_assessed_answers_says_so(tagged, client, auth):
    auth.login_as(Role.ANALYST, None)
    html = client.get(f"/analys/rattighetsomraden?round={tagged['second'].id}"
                      ).get_data(as_text=True)
    section = html[html.index('id="tags-heading"'):]
    assert "Inget inskickat svar 2024 har en klar bedömning ännu" in section
    assert 'id="tags-barrier-table"' not in section
    assert 'id="tags-barrier-data"' not in section
