"""Rounds of several reports (one per development work): an organisation adds numbered
reports, each with its own status; other rounds keep one response per organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from survey.accounts.models import Role
from survey.extensions import db
from survey.questionnaires.services import copy_round
from survey.responses.models import DecisionBody, Response, ResponseStatus
from survey.responses.services import (
    ResponseError,
    add_report,
    find_response,
    reports_of,
    save_answer,
    start_response,
    submit,
)


@pytest.fixture
def grants_round(make_round):
    round_ = make_round(2018)
    round_.several_reports = True
    db.session.commit()
    return round_


def test_an_organisation_adds_numbered_reports_each_with_its_own_status(
        grants_round, make_user, organisation):
    user = make_user(Role.RESPONDENT, "ASN")
    asn = organisation("ASN")

    first, second = add_report(grants_round, asn, user), add_report(grants_round, asn, user)
    for question in grants_round.questions:
        save_answer(first, question, "HBTQ-certifiering.", 0, user)
    submit(first, user, DecisionBody.NAMND, dt.date(2018, 12, 13), "ASN-2018-17557")
    db.session.commit()

    assert [r.number for r in reports_of(grants_round, asn)] == [1, 2]
    assert (first.status, second.status) == (ResponseStatus.SUBMITTED, ResponseStatus.DRAFT)
    assert find_response(grants_round, asn) == first
    assert reports_of(grants_round, organisation("FRN")) == []


def test_a_round_of_one_response_per_organisation_refuses_a_second_report(
        make_round, make_user, organisation):
    round_ = make_round(2024)
    user = make_user(Role.RESPONDENT, "ASN")
    first = start_response(round_, organisation("ASN"), user)

    with pytest.raises(ResponseError, match="ett svar per organisation"):
        add_report(round_, organisation("ASN"), user)
    assert start_response(round_, organisation("ASN"), user) == first
    db.session.add(Response(round_id=round_.id, organisation_id=organisation("ASN").id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_closed_round_takes_no_new_report(grants_round, make_user, organisation):
    grants_round.status = grants_round.status.CLOSED
    db.session.commit()
    with pytest.raises(ResponseError, match="inte öppen"):
        add_report(grants_round, organisation("ASN"), make_user(Role.RESPONDENT, "ASN"))


def test_next_years_copy_keeps_several_reports(grants_round):
    assert copy_round(grants_round).several_reports is True


def test_the_development_funds_questionnaire_takes_several_reports(make_round):
    assert make_round(2024, questionnaire="redovisning-beviljade-medel").several_reports is True
    assert make_round(2023).several_reports is False
