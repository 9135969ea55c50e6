"""The benchmarking view (one organisation against the city's anonymous quartiles) and the
analysts' switch that makes a round's results public.

Fixture (self-assessed levels; an empty cell has no level):

    org   MAL KUN  index | assessed (done)
    ASN    1   2   1.5   | 4 on every component
    FRN    2   4   3.0   | 0 on every component
    FSN    3   2   2.5   |
    GSN    4   0   2.0   |
    KN     0       0.0   |
    FN     4 (returned: counts for nothing)
    KS     did not answer

Self-assessments only: MAL [0,1,2,3,4] -> Q1 1, median 2, Q3 3; KUN [0,2,2,4] -> 1.5, 2, 2.5
(inclusive method: positions (n-1)/4, (n-1)/2, 3(n-1)/4 interpolated); the other components
have no level; indices [0,1.5,2,2.5,3] -> 1.5, 2, 2.5.
Effective levels: MAL [4,0,3,4,0] -> 0, 3, 4; KUN [4,0,2,0] -> 0, 1, 2.5; KOM..UPP [4,0]
-> 1, 2, 3; indices ASN 4, FRN 0, FSN 2.5, GSN 2, KN 0 -> [0,0,2,2.5,4] -> 0, 2, 2.5.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select
from support.factories import make_assessment, submitted_response

from survey.accounts.models import Role
from survey.analysis.benchmark import Quartiles, benchmark
from survey.analysis.levels import LevelSource
from survey.analysis.stats import median_from_counts, quartiles, quartiles_from_counts
from survey.audit.models import AuditEvent
from survey.database import utcnow
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round, RoundStatus
from survey.responses.services import return_for_completion

URL = "/analys/jamforelse"
SELF_LEVELS = {"ASN": {"MAL": 1, "KUN": 2}, "FRN": {"MAL": 2, "KUN": 4},
               "FSN": {"MAL": 3, "KUN": 2}, "GSN": {"MAL": 4, "KUN": 0}, "KN": {"MAL": 0}}


@pytest.fixture
def city(app, make_round, make_user, organisation):
    round_ = make_round()
    analyst = make_user(Role.ANALYST, None)
    responses = {}
    for short, levels in SELF_LEVELS.items():
        user = make_user(Role.RESPONDENT, short)
        responses[short] = submitted_response(round_, organisation(short), user, levels)
    make_assessment(responses["ASN"], analyst, 4)
    make_assessment(responses["FRN"], analyst, 0)
    returned = submitted_response(round_, organisation("FN"), make_user(Role.RESPONDENT, "FN"),
                                  {"MAL": 4})
    return_for_completion(returned, analyst, "Komplettera.")
    db.session.commit()
    return round_


def publish(round_: Round) -> None:
    round_.assessments_published_at = utcnow()
    db.session.commit()


class TableReader(HTMLParser):
    """The text of each row of one table, cell by cell."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(" ".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(html: str, table_id: str) -> dict[str, list[str]]:
    """Rows of the table by the text of their first cell."""
    reader = TableReader(table_id)
    reader.feed(html)
    return {row[0]: row[1:] for row in reader.rows if row}


def visible_text(html: str) -> str:
    """The page without the CSRF tokens (random text could contain a short name)."""
    html = re.sub(r'name="csrf-token" content="[^"]*"', "", html)
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def names_of_other_organisations(own_short_name: str) -> list[str]:
    others = db.session.execute(select(Organisation.name, Organisation.short_name)
                                .where(Organisation.short_name != own_short_name)).all()
    return [text for row in others for text in row]


def shown(text: str, html: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(text)}(?!\w)", html) is not None


# --- statistics --------------------------------------------------------------------------

def test_quartiles_from_counts_against_hand_computed_values():
    assert quartiles_from_counts({0: 1, 1: 1, 2: 1, 3: 1, 4: 1}) == (1.0, 2.0, 3.0)
    assert quartiles_from_counts({0: 1, 2: 2, 4: 1, 1: 0}) == (1.5, 2.0, 2.5)
    assert quartiles_from_counts({0: 1, 4: 1}) == (1.0, 2.0, 3.0)
    assert quartiles_from_counts({3: 1, 1: 0}) is None
    assert quartiles_from_counts({}) is None


def test_quartiles_from_counts_equal_quartiles_of_the_expanded_values():
    for counts in ({0: 3, 1: 0, 2: 5, 3: 1, 4: 2}, {1: 7, 4: 2}, {2: 2}, {0: 1, 3: 4, 4: 9}):
        values = [level for level, n in counts.items() for _ in range(n)]
        assert quartiles_from_counts(counts) == quartiles(values)
        assert quartiles_from_counts(counts)[1] == median_from_counts(counts)


def test_position_against_quartiles():
    city = Quartiles(1.0, 2.0, 3.0)
    assert [city.position(v) for v in (0, 1, 2, 2.5, 3, 4, None)] == [
        "below", "lower", "median", "upper", "upper", "above", None]


# --- the figures ----------------------------------------------------------------------------

def test_benchmark_uses_only_self_assessments_until_published(city, organisation):
    result = benchmark(city, organisation("ASN"))
    assert result.source == LevelSource.SELF_ASSESSMENT and result.submitted
    by_code = {c.code: c for c in result.components}
    assert (by_code["MAL"].own, by_code["MAL"].own_source) == (1, "self_assessment")
    assert by_code["MAL"].city == Quartiles(1.0, 2.0, 3.0)
    assert by_code["MAL"].organisations == 5  # the returned FN does not count
    assert (by_code["KUN"].own, by_code["KUN"].city) == (2, Quartiles(1.5, 2.0, 2.5))
    assert by_code["KUN"].organisations == 4
    assert (by_code["KOM"].own, by_code["KOM"].city, by_code["KOM"].organisations) == (
        None, None, 0)
    assert result.index.own == 1.5 and result.index.own_present == 2
    assert result.index.city == Quartiles(1.5, 2.0, 2.5) and result.index.organisations == 5
    assert result.index.position == "lower"  # on the lower quartile counts as between
    assert result.public is None


def test_benchmark_uses_effective_levels_once_published(city, organisation):
    publish(city)
    result = benchmark(city, organisation("ASN"))
    assert result.source == LevelSource.EFFECTIVE
    by_code = {c.code: c for c in result.components}
    assert (by_code["MAL"].own, by_code["MAL"].own_source) == (4, "assessment")
    assert by_code["MAL"].city == Quartiles(0.0, 3.0, 4.0)
    assert by_code["KUN"].city == Quartiles(0.0, 1.0, 2.5)
    assert by_code["KOM"].city == Quartiles(1.0, 2.0, 3.0)
    assert result.index.own == 4.0 and result.index.own_present == 7
    assert result.index.city == Quartiles(0.0, 2.0, 2.5)


# --- the page -----------------------------------------------------------------------------

def test_respondent_sees_own_levels_against_the_city_quartiles(client, auth, city,
                                                               make_round):
    make_round(2025, RoundStatus.DRAFT)
    auth.login_as(Role.RESPONDENT, "ASN")
    page = client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = table(html, "benchmark-table")
    assert rows["Mål och styrning"][:6] == ["1 * (självskattning)", "1,00", "2,00", "3,00",
                                            "5", "Mellan nedre kvartilen och medianen"]
    assert rows["Kunskap och statistik"][1:5] == ["1,50", "2,00", "2,50", "4"]
    assert rows["Kompetenshöjande insatser"][1:5] == ["– saknas"] * 3 + ["0"]
    assert rows["Mognadsindex (2 av 7 komponenter)"] == [
        "1,50", "1,50", "2,00", "2,50", "5", "Mellan nedre kvartilen och medianen"]
    assert "bara självskattningar" in html
    assert "2025" not in html  # draft rounds are not offered
    assert 'id="benchmark-missing"' not in html


def test_unpublished_assessments_do_not_leak(client, auth, city):
    auth.login_as(Role.RESPONDENT, "ASN")
    before = table(client.get(URL).get_data(as_text=True), "benchmark-table")
    assert before["Mål och styrning"][0].startswith("1")  # self-assessed, not the assessed 4
    assert before["Kompetenshöjande insatser"][4] == "0"  # only assessments have KOM levels
    publish(city)
    html = client.get(URL).get_data(as_text=True)
    after = table(html, "benchmark-table")
    assert after["Mål och styrning"][:4] == ["4", "0,00", "3,00", "4,00"]
    assert after["Kompetenshöjande insatser"][:5] == ["4", "1,00", "2,00", "3,00", "2"]
    assert after["Mognadsindex (7 av 7 komponenter)"][:4] == ["4,00", "0,00", "2,00", "2,50"]
    assert "stadskontorets bedömning där den finns" in html


def test_respondent_never_sees_another_organisations_name(client, auth, city):
    publish(city)
    for short in ("ASN", "FRN", "KS"):
        auth.logout()
        auth.login_as(Role.RESPONDENT, short)
        html = visible_text(client.get(URL).get_data(as_text=True))
        own = db.session.scalar(select(Organisation.name).filter_by(short_name=short))
        assert own in html
        leaked = [name for name in names_of_other_organisations(short) if shown(name, html)]
        assert leaked == []
        assert 'id="public-table"' not in html


def test_public_results_show_every_organisations_index(client, auth, city):
    auth.login_as(Role.ANALYST, None)
    reply = client.post(f"/samstammighet/omgangar/{city.id}/resultat-offentliga", {"public": "1"})
    assert reply.status_code == 302
    auth.logout()
    auth.login_as(Role.RESPONDENT, "ASN")
    html = client.get(URL).get_data(as_text=True)
    rows = table(html, "public-table")
    assert rows["Fritidsnämnden"][1] == "3,00"
    assert rows["Kulturnämnden"][1] == "0,00"
    assert rows["Arbetsmarknads- och socialnämnden (er organisation)"][1] == "1,50"
    assert rows["Kommunstyrelsen"][1] == "– saknas"  # did not answer: missing, never 0
    assert rows["Förskolenämnden"][1] == "– saknas"  # returned
    assert len(rows) == 1 + db.session.query(Organisation).count()  # header + everyone


def test_organisation_without_submitted_response_sees_the_city_and_a_note(client, auth, city):
    for short in ("FN", "KS"):  # returned; never answered
        auth.logout()
        auth.login_as(Role.RESPONDENT, short)
        html = client.get(URL).get_data(as_text=True)
        assert 'id="benchmark-missing"' in html
        assert "inget inskickat svar" in html
        rows = table(html, "benchmark-table")
        assert rows["Mål och styrning"][:4] == ["– uppgift saknas för Mål och styrning",
                                                "1,00", "2,00", "3,00"]
        assert rows["Mognadsindex"][:4] == ["– saknas", "1,50", "2,00", "2,50"]


def test_analyst_chooses_the_organisation_with_org(client, auth, city, organisation):
    auth.login_as(Role.ANALYST, None)
    default = client.get(URL).get_data(as_text=True)
    assert "Du ser sidan så som svarande på Arbetsmarknads- och socialnämnden" in default
    html = client.get(f"{URL}?org={organisation('FRN').id}&round={city.id}").get_data(
        as_text=True)
    assert "svarande på Fritidsnämnden" in html
    assert table(html, "benchmark-table")["Kunskap och statistik"][0].startswith("4")


def test_respondent_cannot_choose_another_organisation(client, auth, city, organisation):
    auth.login_as(Role.RESPONDENT, "ASN")
    html = client.get(f"{URL}?org={organisation('FRN').id}").get_data(as_text=True)
    assert not shown("Fritidsnämnden", visible_text(html))
    assert table(html, "benchmark-table")["Kunskap och statistik"][0].startswith("2")


# --- making results public ----------------------------------------------------------------

def test_analyst_makes_results_public_and_not_public(client, auth, city):
    auth.login_as(Role.ANALYST, None)
    page = client.get(f"/samstammighet/omgangar/{city.id}").get_data(as_text=True)
    assert "Gör resultaten offentliga" in page
    assert "varandras mognadsindex i jämförelsevyn" in page
    url = f"/samstammighet/omgangar/{city.id}/resultat-offentliga"
    reply = client.post(url, {"public": "1"})
    assert reply.status_code == 302 and reply.headers["Location"].endswith(
        f"/samstammighet/omgangar/{city.id}")
    db.session.rollback()
    assert db.session.get(Round, city.id).results_public is True
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Resultaten är offentliga" in page and "Gör resultaten icke-offentliga" in page
    assert client.post(url, {"public": "0"}).status_code == 302
    db.session.rollback()
    assert db.session.get(Round, city.id).results_public is False
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("round.results%")).order_by(AuditEvent.id)).all()
    assert actions == ["round.results_public", "round.results_not_public"]


def test_only_analysts_make_results_public(client, auth, city):
    url = f"/samstammighet/omgangar/{city.id}/resultat-offentliga"
    assert client.get(url).status_code == 405
    anonymous = client.post(url, {"public": "1"})
    assert anonymous.status_code == 401 or "/logga-in" in anonymous.headers.get("Location", "")
    auth.login_as(Role.RESPONDENT, "ASN")
    assert client.post(url, {"public": "1"}).status_code == 403
    db.session.rollback()
    assert db.session.get(Round, city.id).results_public is False
