"""The demo's real follow-up reports of granted development funds (grants-2018.toml).

Round 2018 of the grants questionnaire, with ASN's two reports (seeds 001 and 003) filed
through the same services as real use: one report per development work, both submitted
with one board decision, and the round closed afterwards.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from survey.accounts.models import User
from survey.assessments.work_components import set_work_components
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.organisations.services import by_short_name
from survey.questionnaires.models import Round
from survey.questionnaires.services import close_round, create_round, open_round
from survey.reference.services import components
from survey.responses.models import DecisionBody, Response
from survey.responses.services import add_report, save_answer, submit_reports

GRANTS_FILE = Path(__file__).with_name("grants-2018.toml")


def load_grants(path: Path = GRANTS_FILE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def answer_text(value: str | list[str]) -> str:
    """The stored form of a file value: several choices one per line, texts as they are."""
    return "\n".join(value) if isinstance(value, list) else value.strip()


def build_grants(respondent: Callable[[Organisation], User],
                 backdate: Callable[..., None], analyst: User,
                 path: Path = GRANTS_FILE) -> Round:
    """The grants round of the file, created unless it exists (re-running adds nothing).

    `respondent` gives the organisation's demo login; `backdate` moves the timestamps of a
    response (survey.demo.build), so that the round looks filed when the reports were;
    `analyst` tags each work with the components of the file.
    """
    data = load_grants(path)
    existing = db.session.scalar(select(Round).filter_by(
        questionnaire_key=data["questionnaire"], year=data["year"]))
    if existing is not None:
        return existing
    organisation = by_short_name(data["organisation"])
    user = respondent(organisation)
    round_ = create_round(data["questionnaire"], data["year"], data["opens"], data["deadline"])
    open_round(round_, today=data["opens"])  # history: opened on its opening day
    reports = []
    for entry in data["reports"]:
        response = add_report(round_, organisation, user)
        _save_answers(response, entry, user)
        reports.append(response)
    decision = data["decision"]
    # One board decision approves all the reports, as the respondent submits them.
    submit_reports(reports, user, DecisionBody(decision["body"]), decision["date"],
                   decision["case_number"])
    for index, (response, entry) in enumerate(zip(reports, data["reports"], strict=True)):
        backdate(response, started=data["opens"] + dt.timedelta(days=1 + index),
                 edited=dt.date.fromisoformat(entry["underskrift-datum"]),
                 submitted=decision["date"] + dt.timedelta(days=1))
    for response, entry in zip(reports, data["reports"], strict=True):
        # The components the analyst tagged the work with (the issue's own examples).
        codes = entry.get("components", [])
        set_work_components(response, [c.id for c in components() if c.code in codes], analyst)
    close_round(round_)
    db.session.flush()
    return round_


def open_grants_round(questionnaire: str, year: int, today: dt.date, opens: dt.date,
                      deadline: dt.date) -> Round:
    """An open round of the grants questionnaire with nothing filed yet, so that a newcomer
    can add a development work; created unless the year has one. A reused demo database
    gets the deadline moved on, so the round stays answerable."""
    round_ = db.session.scalar(select(Round).filter_by(questionnaire_key=questionnaire,
                                                       year=year))
    if round_ is None:
        round_ = create_round(questionnaire, year, opens, deadline)
        open_round(round_, today=today)
    elif round_.is_open and round_.deadline < today:
        round_.deadline = deadline
    db.session.flush()
    return round_


def _save_answers(response: Response, entry: dict, user: User) -> None:
    for question in response.round.questions:
        if question.key in entry:
            save_answer(response, question, answer_text(entry[question.key]),
                        response.answer_for(question).version, user)
    db.session.flush()
