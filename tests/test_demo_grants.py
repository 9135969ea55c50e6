"""The demo's real follow-up reports of granted development funds: ASN's two works of 2018
(seeds 001 and 003), filed in round 2018 and submitted with one board decision."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from survey.accounts.models import Role
from survey.demo.build import build_demo
from survey.demo.grants import answer_text, load_grants
from survey.extensions import db
from survey.organisations.services import by_short_name, seed_organisations
from survey.questionnaires.models import Round, RoundStatus
from survey.responses.models import (
    AnswerRevision,
    DecisionBody,
    Response,
    ResponseStatus,
    Submission,
)

NBSP = "\u00a0"


def _grants_round() -> Round:
    return db.session.scalar(select(Round).filter_by(
        questionnaire_key="redovisning-beviljade-medel", year=2018))


def _reports() -> list[Response]:
    return list(db.session.scalars(
        select(Response).filter_by(round_id=_grants_round().id).order_by(Response.number)))


def _answers(response: Response) -> dict[str, str]:
    return {answer.question.key: answer.text for answer in response.answers}


@pytest.fixture
def demo(app):
    build_demo()


def test_two_asn_reports_in_a_closed_2018_round(demo):
    round_ = _grants_round()
    assert round_.status == RoundStatus.CLOSED and round_.several_reports
    reports = _reports()
    assert [r.number for r in reports] == [1, 2]
    assert {r.organisation.short_name for r in reports} == {"ASN"}
    assert all(r.status == ResponseStatus.SUBMITTED for r in reports)
    names = [_answers(r)["namn"] for r in reports]
    assert names[0].startswith("HBtQ-certifiering av ungdomssektion")
    assert names[1] == "Program för barnets rättigheter i stadsutveckling"


def test_both_reports_are_submitted_with_one_decision(demo):
    submissions = [s for r in _reports() for s in r.submissions]
    assert len(submissions) == 2
    decisions = {(s.decision_body, s.decision_date, s.case_number) for s in submissions}
    assert decisions == {(DecisionBody.NAMND, dt.date(2019, 1, 31), "ASN-2019-412")}
    # The timestamps are those of early 2019, not of the day the demo was built.
    assert {s.submitted_at.date() for s in submissions} == {dt.date(2019, 2, 1)}
    assert all(r.submitted_at.date() == dt.date(2019, 2, 1) for r in _reports())


def test_every_answer_is_the_file_text_exactly(demo):
    entries = load_grants()["reports"]
    reports = _reports()
    assert len(reports) == len(entries)
    for response, entry in zip(reports, entries, strict=True):
        entry = {key: value for key, value in entry.items() if key != "components"}  # tags
        answers = _answers(response)
        assert set(answers) == set(entry)
        for key, value in entry.items():
            assert answers[key] == answer_text(value), key
        # The submitted snapshot holds the same texts.
        snapshot = {a["key"]: a["text"] for a in response.submissions[0].content["answers"]}
        assert snapshot == answers


def test_the_seed_texts_arrive_whole(demo):
    hbtq, program = (_answers(r) for r in _reports())
    assert hbtq["tillvarata"] == ("Genom att arbeta aktivt med den handlingsplan som "
                                  "framarbetas i samband med certifieringen.")
    assert hbtq["resultat-budget"].startswith(
        "Verksamheten har uppnått de kriterier som är uppställda för certifieringen.")
    assert hbtq["resultat-budget"].endswith(
        "De beviljade medlen har gått till avsett ändamål, dock avslutas inte certifieringen "
        "förrän januari 2019.")
    assert hbtq["ansvarig-chef"] == "Joanna Eriksson"
    assert hbtq["omraden"] == "Antidiskriminering"
    # The long answer, bullet lists and all, with the page footer gone from its middle.
    maluppfyllelse = program["maluppfyllelse"]
    assert maluppfyllelse.startswith(
        "Program för barnets rättigheter i stadsutveckling har under 2018 engagerat")
    assert ("Den 15 januari 2019 genomfördes ett seminarium kring barns involvering i "
            "stadsutveckling.") in maluppfyllelse
    assert "\n- Barnen har fått möjlighet att praktisera demokrati.\n" in maluppfyllelse
    assert maluppfyllelse.endswith(
        "- Möjligheter att hitta former för kontinuerlig samverkan inom ramen för ordinarie "
        "verksamheter.")
    assert "Kungsgatan" not in maluppfyllelse and "*" not in maluppfyllelse
    assert program["tillvarata"].startswith(
        "Utvecklingsarbetet faller väl in under det nämnds mål som är beskrivet i målområde 8A:")
    assert program["resultat-budget"] == (
        "Arbetsmarknads- och socialnämnden /förvaltningen beviljades 202 000 kr för detta "
        "utvecklingsarbete. Preliminärt bokslut visar att vi har använt ca 194 000 kr. Alla "
        "planerade budgetposter har använts. Kostnaderna för budgetposterna har blivit något "
        "lägre än beräknat.")
    assert program["ansvarig-chef"] == "Jonas Magnusson"
    assert (program["beviljat-belopp"], program["anvant-belopp"]) == ("202000", "194000")
    assert (hbtq["beviljat-belopp"], hbtq["anvant-belopp"]) == ("100000", "100000")
    assert program["beviljat-ar"] == hbtq["beviljat-ar"] == "2018"


def test_the_analyst_sees_the_amounts_in_kronor(demo, auth, client):
    auth.login_as(Role.ANALYST, None)
    hbtq, program = _reports()
    page = client.get(f"/svar/{program.id}/visa")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"202{NBSP}000{NBSP}kr" in html and f"194{NBSP}000{NBSP}kr" in html
    assert "Program för barnets rättigheter i stadsutveckling" in html
    assert "ASN-2019-412" in html
    html = client.get(f"/svar/{hbtq.id}/visa").get_data(as_text=True)
    assert f"100{NBSP}000{NBSP}kr" in html and "Joanna Eriksson" in html


def test_rebuilding_adds_nothing(demo):
    def counts():
        return [db.session.scalar(select(func.count()).select_from(model))
                for model in (Round, Response, Submission, AnswerRevision)]

    before = counts()
    build_demo()
    assert counts() == before


def test_asn_exists_in_2018(demo):
    asn = by_short_name("ASN")
    assert asn.valid_from == dt.date(2017, 5, 1)
    assert asn.is_valid_in(2018)
    # The other organisations keep their start.
    assert by_short_name("GSN").valid_from == dt.date(2022, 1, 1)


def test_seeding_moves_an_existing_start_back_but_never_forward(app):
    asn, gsn = by_short_name("ASN"), by_short_name("GSN")
    asn.valid_from = dt.date(2022, 1, 1)  # a database seeded before ASN's start was known
    gsn.valid_from = dt.date(2023, 1, 1)  # an administrator's later start is kept
    db.session.flush()
    seed_organisations()
    assert asn.valid_from == dt.date(2017, 5, 1)
    assert gsn.valid_from == dt.date(2023, 1, 1)


def test_the_works_are_tagged_with_the_components_they_strengthen(demo):
    from survey.assessments.work_components import components_of

    reports = _reports()
    assert [[c.code for c in components_of(r)] for r in reports] == [["KOM"], ["MET", "SAM"]]
