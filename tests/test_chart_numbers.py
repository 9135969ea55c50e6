"""Numbers in charts the Swedish way (issue 14, finding 11): a space between thousands, a
decimal comma, a true minus sign, "1 organisation" but "2 organisationer", kronor axes in
whole kronor ("200 000 kr", never "200k"); and the agreement page says in a sentence that
nothing is double-assessed instead of showing a table of zeros."""

from __future__ import annotations

import pytest
from support.factories import assess, submitted_response
from support.worlds import build_grants_world

from dashboards.charts import sv_change, sv_count, sv_number
from survey.accounts.models import Role

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (1234.5, 1, f"1{NBSP}234,5"),
    (-5 / 12, 2, f"{MINUS}0,42"),
    (-0.001, 2, "0,00"),  # no "−0,00"
    (0, 2, "0,00"),
    (None, 2, "saknas"),
])
def test_sv_number(value, decimals, text):
    assert sv_number(value, decimals) == text


def test_changes_carry_their_sign_and_counts_their_number():
    assert [sv_change(v) for v in (1, -1, 0, -0.001)] == [
        "+1,00", f"{MINUS}1,00", "0,00", "0,00"]
    assert sv_count(1) == "1 organisation"
    assert sv_count(2) == "2 organisationer"
    assert sv_count(6021) == f"6{NBSP}021 organisationer"


def test_trend_charts_use_true_minus_and_count_words(client, auth, make_round, make_user,
                                                     organisation, chart_data):

    first, second = make_round(2023), make_round(2024)
    user, analyst = make_user(Role.RESPONDENT, "ASN"), make_user(Role.ANALYST, None)
    assess(submitted_response(first, organisation("ASN"), user), analyst, 3)
    assess(submitted_response(second, organisation("ASN"), user), analyst, 2)
    auth.login_as(Role.ANALYST, None)
    html = client.get("/analys/trender").get_data(as_text=True)
    falls = chart_data(html, "falls")["data"][0]
    assert falls["text"] == [f"{MINUS}1,00"]
    trend = chart_data(html, "trend")["data"][0]
    assert trend["customdata"] == [["1 organisation"], ["1 organisation"]]
    changes = chart_data(html, "changes")["data"][0]
    assert set(changes["text"]) == {f"{MINUS}1,00"}


def test_the_kronor_axis_shows_whole_kronor(client, auth, make_round, make_user, organisation,
                                            chart_data):
    build_grants_world(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    html = client.get("/analys/utvecklingsmedel").get_data(as_text=True)
    axis = chart_data(html, "grants-amounts")["layout"]["xaxis"]
    assert axis["tickformat"] == ",d" and axis["ticksuffix"] == f"{NBSP}kr"


def test_the_agreement_page_without_pairs_says_so_in_a_sentence(client, auth, make_round):
    round_ = make_round(2024)
    auth.login_as(Role.ANALYST, None)
    page = client.get(f"/samstammighet/omgangar/{round_.id}").get_data(as_text=True)
    assert "Inga svar är dubbelbedömda i omgången ännu, så samstämmigheten kan inte" in page
    assert "Exakt överensstämmelse per komponent" not in page
