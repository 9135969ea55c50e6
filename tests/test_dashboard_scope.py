"""The answer-scope page (survey.analysis.answer_scope + /analys/omfang) against a
hand-computed fixture built through the real services."""

from __future__ import annotations

import re

import pytest
from support.factories import CODES, assess, give_back, submitted_response

from dashboards.pages.answer_scope import correlation_text
from survey.accounts.models import Role
from survey.analysis.answer_scope import answer_scope
from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import LevelSource
from survey.organisations.models import OrganisationKind


def words(n: int) -> str:
    return " ".join(["ord"] * n)


@pytest.fixture
def scoped(app, make_round, make_user, organisation):
    """2024, words per question and index (effective):

    ASN  3 + 2  = 5    assessed 3 (self MAL 1)
    FRN  10 + 10 = 20  self MAL 1, KUN 2 -> 1,5
    FSN  30 + 10 = 40  assessed 4 (no self-assessment)
    MKB  6 + 2  = 8    self 1 everywhere -> 1
    FN   100 words, submitted then returned -> missing
    GSN  a draft with 50 words -> missing
    KS   never answered -> missing
    Pearson r over (5, 3), (20, 1,5), (40, 4), (8, 1) = 39,625 / √(756,75 · 5,6875) ≈ 0,604.
    """
    round_ = make_round(2024)
    user = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None)
    orgs = {short: organisation(short)
            for short in ("ASN", "FRN", "FSN", "MKB", "FN", "GSN", "KS")}
    assess(submitted_response(round_, orgs["ASN"], user, {"MAL": 1},
                              texts=("ett två tre", "fyra  fem\n")), analyst, 3)
    submitted_response(round_, orgs["FRN"], user, {"MAL": 1, "KUN": 2},
                       texts=(words(10), words(10)))
    assess(submitted_response(round_, orgs["FSN"], user, texts=(words(30), words(10))), analyst, 4)
    submitted_response(round_, orgs["MKB"], user, dict.fromkeys(CODES, 1),
                       texts=(words(6), words(2)))
    give_back(submitted_response(round_, orgs["FN"], user, texts=(words(60), words(40))), analyst)
    submitted_response(round_, orgs["GSN"], user, texts=(words(25), words(25)), submitted=False)
    return {"round": round_, "orgs": orgs}


def test_words_are_summed_per_organisation_and_question(scoped):
    scope = answer_scope(scoped["round"], DashboardFilter())
    orgs = scoped["orgs"]
    q1, q2 = (q.id for q in scope.questions)
    by_id = {o.organisation_id: o for o in scope.organisations}
    assert [o.organisation_id for o in scope.with_words] == [
        orgs["FSN"].id, orgs["FRN"].id, orgs["MKB"].id, orgs["ASN"].id]  # most words first
    asn = by_id[orgs["ASN"].id]
    assert (asn.words, asn.answered, asn.per_question, asn.index) == (5, 2, {q1: 3, q2: 2}, 3.0)
    assert asn.words_per_answer == 2.5
    assert by_id[orgs["FSN"].id].per_question == {q1: 30, q2: 10}
    assert by_id[orgs["FRN"].id].index == 1.5
    for short in ("FN", "GSN", "KS"):  # returned, draft, never answered: missing, not 0
        missing = by_id[orgs[short].id]
        assert missing.words is None and missing.per_question == {q1: None, q2: None}
        assert missing.words_per_answer is None
    assert {o.organisation_id for o in scope.missing} >= {orgs[s].id for s in ("FN", "GSN", "KS")}
    assert scope.organisations[len(scope.with_words)].words is None  # missing come last
    assert scope.word_quartiles == (7.25, 14.0, 25.0)


def test_correlation_of_words_with_the_assessed_index(scoped):
    scope = answer_scope(scoped["round"], DashboardFilter())
    assert len(scope.pairs) == 4
    assert scope.correlation == pytest.approx(39.625 / (756.75 * 5.6875) ** 0.5)
    own = answer_scope(scoped["round"], DashboardFilter(source=LevelSource.SELF_ASSESSMENT))
    # FSN has no self-assessed level: (5, 1), (20, 1,5), (8, 1) remain.
    assert sorted((o.words, o.index) for o in own.pairs) == [(5, 1.0), (8, 1.0), (20, 1.5)]
    assert correlation_text(0.604, 40) == (
        "r = 0,60 (40 organisationer): ett starkt samband; längre svar hänger ihop med högre "
        "mognad, men det säger inget om orsak.")
    assert correlation_text(0.604, 4).endswith("sambandet mycket osäkert.")
    assert "lägre mognad" in correlation_text(-0.35, 10)
    assert "kan inte beräknas" in correlation_text(None, 2)


def test_filters_narrow_and_sort_the_organisations(scoped):
    orgs = scoped["orgs"]
    bolag = answer_scope(scoped["round"], DashboardFilter(kind=OrganisationKind.BOLAG))
    assert [o.organisation_id for o in bolag.with_words] == [orgs["MKB"].id]
    assert all(o.kind == OrganisationKind.BOLAG for o in bolag.organisations)
    by_name = answer_scope(scoped["round"], DashboardFilter(sort="name"))
    names = [o.name.casefold() for o in by_name.organisations]
    assert names == sorted(names)


def test_answer_scope_page_shows_words_and_missing(scoped, client, auth):
    auth.login_as(Role.ANALYST, None)
    page = client.get("/analys/omfang")
    assert page.status_code == 200
    html = re.sub(r">\s+<", "><", page.get_data(as_text=True))
    assert "r = 0,60 (4 organisationer)" in html
    table = html[html.index('id="words-table"'):]
    row = table[table.index("Funktionsstödsnämnden"):]
    assert row.index('<td class="num">30</td><td class="num">10</td>'
                     '<td class="num">40</td><td class="num">20</td>') < row.index("</tr>")
    assert table.index("Funktionsstödsnämnden") < table.index("Arbetsmarknads")
    returned = table[table.index("Förskolenämnden"):]
    assert returned.index("Inget inskickat svar") < returned.index("</tr>")


def test_answer_scope_filters_in_the_url(scoped, client, auth):
    auth.login_as(Role.ANALYST, None)
    bolag = client.get("/analys/omfang?kind=bolag").get_data(as_text=True)
    table = bolag[bolag.index('id="words-table"'):]
    assert "MKB Fastighets AB" in table and "Funktionsstödsnämnden" not in table
    by_name = client.get("/analys/omfang?sort=name").get_data(as_text=True)
    table = by_name[by_name.index('id="words-table"'):]
    assert table.index("Arbetsmarknads") < table.index("Funktionsstödsnämnden")
    own = client.get("/analys/omfang?source=self_assessment").get_data(as_text=True)
    assert "(3 organisationer)" in own


def test_answer_scope_page_is_for_analysts_only(scoped, client, auth):
    auth.login_as(Role.RESPONDENT, "ASN")
    assert client.get("/analys/omfang").status_code == 403


def test_answer_scope_page_with_only_a_draft_response(app, make_round, make_user, organisation,
                                                      client, auth, chart_data):
    round_ = make_round(2024)
    submitted_response(round_, organisation("ASN"), make_user(Role.RESPONDENT, "ASN"),
                       submitted=False)
    auth.login_as(Role.ANALYST, None)
    page = client.get("/analys/omfang")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert [note["text"] for note in chart_data(html, "spread")["layout"]["annotations"]] == [
        "Inga inskickade svar i omgången."]
    assert '<p class="chart-empty">Inga inskickade svar i omgången.</p>' in html
    assert "Sambandet kan inte beräknas" in html
