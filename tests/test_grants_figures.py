"""The development-funds figures (survey.analysis.grants) and their dashboard page
(/analys/utvecklingsmedel) against a hand-computed round built through the real services.

Round 2024 of "redovisning-beviljade-medel":
ASN nr 1  HBTQ-certifiering    Jämställdhet + Antidiskriminering  400 000 / 167 000  41,75 %  KUN
ASN nr 2  Barnrättsutbildning  Barnrätt                           100 000 / 120 000  120 %  MET SAM
          (more used than granted: allowed, flagged)
MKB nr 1  Vägledning           Nationella minoriteter             202 000 / 194 000  96,04 %
FRN nr 1  a draft (999 999 / 999 999): does not count.
ASN: 500 000 / 287 000 = 57,4 %; total 702 000 / 481 000 = 68,52 %. The areas' granted sums
add up to 1 102 000: the two-area work counts in both.
"""

from __future__ import annotations

import html

import pytest
from support.worlds import GRANTS, build_grants_world

from survey.accounts.models import Role
from survey.analysis.filters import DashboardFilter
from survey.analysis.grants import grant_figures
from survey.extensions import db
from survey.organisations.models import OrganisationKind
from survey.questionnaires.grants import parse_amount, parse_year
from survey.questionnaires.models import RoundStatus

NBSP = "\u00a0"


def kr(text: str) -> str:
    """An amount as the page shows it: "167 000 kr" with no-break spaces."""
    return text.replace(" ", NBSP)


@pytest.fixture
def world(app, make_round, make_user, organisation):
    return build_grants_world(make_round, make_user, organisation)


def test_works_carry_amounts_utilisation_and_components(world):
    figures = grant_figures(world["round"], DashboardFilter())
    assert [(w.organisation, w.number, w.name) for w in figures.works] == [
        ("Arbetsmarknads- och socialnämnden", 1, "HBTQ-certifiering"),
        ("Arbetsmarknads- och socialnämnden", 2, "Barnrättsutbildning"),
        ("MKB Fastighets AB", 1, "Vägledning"),
    ]  # FRN's draft does not count
    hbtq, child, guide = figures.works
    assert (hbtq.granted, hbtq.used, hbtq.year) == (400_000, 167_000, 2023)
    assert hbtq.utilisation == pytest.approx(0.4175)
    assert hbtq.areas == ("Jämställdhet", "Antidiskriminering")
    assert (hbtq.components, child.components, guide.components) == (
        ("KUN",), ("MET", "SAM"), ())
    assert (child.utilisation, child.overspent, hbtq.overspent) == (1.2, True, False)
    assert guide.utilisation == pytest.approx(194 / 202)
    assert figures.overspent == [child] and figures.untagged == 1


def test_sums_per_organisation_area_and_in_total(world):
    figures = grant_figures(world["round"], DashboardFilter())
    by_org = {s.label: (s.works, s.granted, s.used) for s in figures.organisations}
    assert by_org == {"Arbetsmarknads- och socialnämnden": (2, 500_000, 287_000),
                      "MKB Fastighets AB": (1, 202_000, 194_000)}
    assert figures.organisations[0].utilisation == pytest.approx(0.574)
    total = figures.total
    assert (total.works, total.granted, total.used) == (3, 702_000, 481_000)
    assert total.utilisation == pytest.approx(481 / 702)
    by_area = {s.label: (s.works, s.granted, s.used) for s in figures.areas}
    assert by_area == {"Jämställdhet": (1, 400_000, 167_000),
                       "Antidiskriminering": (1, 400_000, 167_000),
                       "Barnrätt": (1, 100_000, 120_000),
                       "Nationella minoriteter": (1, 202_000, 194_000)}
    assert sum(s.granted for s in figures.areas) == 1_102_000  # the two-area work twice
    assert {c.code: c.works for c in figures.components} == {
        "MAL": 0, "KUN": 1, "KOM": 0, "MET": 1, "SAM": 1, "KSP": 0, "UPP": 0}


def test_kind_and_organisation_filters_narrow_the_works(world, organisation):
    bolag = grant_figures(world["round"], DashboardFilter(kind=OrganisationKind.BOLAG))
    assert [w.name for w in bolag.works] == ["Vägledning"]
    assert (bolag.total.granted, bolag.total.used) == (202_000, 194_000)
    asn = grant_figures(world["round"],
                        DashboardFilter(organisation_ids=(organisation("ASN").id,)))
    assert [w.number for w in asn.works] == [1, 2]
    assert [s.label for s in asn.organisations] == ["Arbetsmarknads- och socialnämnden"]


def test_a_missing_amount_is_left_out_of_the_utilisation(world):
    answer = next(a for a in world["guide"].answers if a.question.key == "anvant-belopp")
    answer.text = "ungefär hälften"  # as an import might have stored it
    db.session.commit()
    figures = grant_figures(world["round"], DashboardFilter())
    guide = figures.works[2]
    assert (guide.used, guide.utilisation, guide.overspent) == (None, None, False)
    assert (figures.total.granted, figures.total.used) == (702_000, 287_000)
    assert figures.total.utilisation == pytest.approx(287 / 500)
    assert figures.total.missing_amounts == 1


@pytest.mark.parametrize(("text", "kronor"), [
    ("167000", 167_000), ("167 tkr", 167_000), ("0", 0), ("", None), ("-5", None),
    ("mycket", None), (None, None)])
def test_parse_amount(text, kronor):
    assert parse_amount(text) == kronor


@pytest.mark.parametrize(("text", "year"), [("2023", 2023), (" 2018 ", 2018), ("23", None),
                                            ("", None), ("år 2023", None)])
def test_parse_year(text, year):
    assert parse_year(text) == year


def page(client, **args) -> str:
    reply = client.get("/analys/utvecklingsmedel", query_string=args)
    assert reply.status_code == 200
    return html.unescape(reply.get_data(as_text=True))


def test_the_page_shows_the_hand_computed_figures(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    text = page(client)
    assert "<h1>Utvecklingsmedel</h1>" in text
    organisations = text[text.index('id="organisations-table"'):text.index('id="areas-heading"')]
    assert kr("500 000 kr") in organisations and kr("287 000 kr") in organisations
    assert f"57{NBSP}%" in organisations and f"69{NBSP}%" in organisations
    assert kr("702 000 kr") in organisations
    works = text[text.index('id="works-table"'):]
    assert f"42{NBSP}%" in works and kr("167 000 kr") in works and kr("400 000 kr") in works
    assert f"120{NBSP}%" in works and "Mer använt än beviljat" in works
    assert works.count("Mer använt än beviljat") == 1
    assert "Utkast" not in works and kr("999 999 kr") not in text
    assert "räknas i vart och ett av dem" in text
    assert "grants-amounts-data" in text
    assert '<a href="/analys/utvecklingsmedel' in text  # in the page menu


def test_the_page_links_each_work_to_its_report(client, auth, world, app):
    auth.login_as(Role.ANALYST, None)
    text = page(client)
    with app.test_request_context():
        from flask import url_for
        for key in ("hbtq", "child", "guide"):
            assert url_for("responses.view", response_id=world[key].id) in text
        assert url_for("responses.view", response_id=world["draft"].id) + '"' not in text


def test_the_page_filters_by_kind(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    text = page(client, kind="bolag")
    assert "Vägledning" in text and "HBTQ-certifiering" not in text
    assert f"96{NBSP}%" in text


def test_the_round_chooser_offers_only_development_funds_rounds(client, auth, world,
                                                                make_round):
    special = make_round(2024)
    closed = make_round(2023, questionnaire=GRANTS, status=RoundStatus.CLOSED)
    auth.login_as(Role.ANALYST, None)
    text = page(client)
    rounds = text[text.index('name="round"'):text.index("</select>", text.index('name="round"'))]
    assert f'<option value="{world["round"].id}" selected>' in rounds
    assert f'<option value="{closed.id}">' in rounds
    assert f'<option value="{special.id}"' not in rounds
    assert rounds.count("<option") == 2
    older = page(client, round=closed.id)
    assert "Det finns inga inskickade redovisningar i omgången ännu." in older
    assert "HBTQ-certifiering" not in older


def test_without_a_development_funds_round_the_page_says_so(client, auth, make_round):
    make_round(2024)
    auth.login_as(Role.ANALYST, None)
    assert "Det finns ingen öppen eller stängd omgång av redovisningar" in page(client)


def test_a_respondent_may_not_see_the_page(client, auth, world):
    auth.login_as(Role.RESPONDENT, "ASN")
    reply = client.get("/analys/utvecklingsmedel")
    assert reply.status_code == 403
