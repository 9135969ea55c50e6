"""The live server of the browser tests: the demo data plus a few responses prepared for the
scenarios, served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler

from survey.accounts.models import Role
from survey.accounts.services import create_user, find_by_email
from survey.demo.build import DEMO_PASSWORD, build_demo
from survey.extensions import db
from survey.organisations.services import by_short_name
from survey.questionnaires.models import Round
from survey.responses.models import DecisionBody, Response
from survey.responses.services import save_answer, start_response, submit

PASSWORD = DEMO_PASSWORD
#: Second respondent of the organisation used for the conflict scenario.
COLLEAGUE_EMAIL = "kollega-gyvux@example.org"


@dataclass
class Site:
    """The served app and the ids the tests navigate to."""

    base_url: str
    app: object
    ids: dict = field(default_factory=dict)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def complete_draft(round_: Round, short_name: str) -> Response:
    """A draft with every question answered, ready to be submitted."""
    organisation = by_short_name(short_name)
    user = find_by_email(f"{short_name.lower()}@example.org")
    response = start_response(round_, organisation, user)
    for question in round_.questions:
        answer = response.answer_for(question)
        save_answer(response, question, f"Svar från {short_name} på fråga {question.position}: "
                    "vi arbetar med mål, kunskap och uppföljning.", answer.version, user)
    return response


def prepare(app) -> dict:
    """Demo data, and responses in the state each scenario starts from."""
    with app.app_context():
        db.create_all()
        build_demo()
        # The policy rounds by year (the demo's grants round shares 2024 with the open one).
        rounds = {r.year: r for r in db.session.scalars(select(Round)) if not r.several_reports}
        open_round, closed_round = rounds[2024], rounds[2023]
        gyvux = by_short_name("GYVUX")
        create_user(COLLEAGUE_EMAIL, "Kollega GYVUX", PASSWORD, Role.RESPONDENT, gyvux.id)
        ids = {"open_round": open_round.id, "closed_round": closed_round.id}
        for key, short_name in [("session", "FSN"), ("conflict", "GYVUX"),
                                ("submit", "SBN"), ("keyboard", "TEATER"),
                                ("network", "MKP"), ("axe_submit", "POM")]:
            ids[key] = start_response(open_round, by_short_name(short_name),
                                      find_by_email(f"{short_name.lower()}@example.org")).id
        for short_name in ("SBN", "POM"):
            complete_draft(open_round, short_name)
        returned = complete_draft(open_round, "MN")
        submit(returned, find_by_email("mn@example.org"), DecisionBody.NAMND,
               dt.date.today() - dt.timedelta(days=3), f"MN-{dt.date.today().year}-120")
        ids["to_return"] = returned.id
        asn = by_short_name("ASN")
        ids["asn_draft"] = db.session.scalar(select(Response.id).filter_by(
            round_id=open_round.id, organisation_id=asn.id))
        ids["asn_submitted"] = db.session.scalar(select(Response.id).filter_by(
            round_id=closed_round.id, organisation_id=asn.id))
        ids["fn_submitted"] = db.session.scalar(select(Response.id).filter_by(
            round_id=open_round.id, organisation_id=by_short_name("FN").id))
        ids["first_question"] = open_round.questions[0].id
        ids["questions"] = [q.id for q in open_round.questions]
        ids["admin_user"] = find_by_email("admin@example.org").id
        ids["organisation"] = asn.id
        ids.update(prepare_scoring(closed_round))
        db.session.commit()
        db.session.remove()
    return ids


#: The second analyst of the double-coded response (scoring scenarios).
SECOND_ANALYST_EMAIL = "analytiker2@example.org"


def prepare_scoring(closed_round: Round) -> dict:
    """Scoring scenarios, on 2023 responses no other scenario touches: HVON's is scored in
    the browser; TN's is double coded (two DONE independent assessments that differ);
    BOPLATS's gets a quote added and removed in a browser without JavaScript."""
    from survey.assessments.services import mark_done, save_assessment, start_assessment

    def response_of(short_name):
        return db.session.scalar(select(Response).filter_by(
            round_id=closed_round.id, organisation_id=by_short_name(short_name).id))

    first = find_by_email("analytiker@example.org")
    second = create_user(SECOND_ANALYST_EMAIL, "Andra analytikern", PASSWORD, Role.ANALYST, None)
    double = response_of("TN")
    codes = ["MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP"]
    for analyst, levels in [(first, [1, 1, 2, 2, 2, 1, 1]), (second, [1, 2, 2, 3, 2, 1, 1])]:
        assessment = start_assessment(double, analyst)
        save_assessment(assessment, assessment.version, analyst,
                        dict(zip(codes, levels, strict=True)),
                        {code: f"Motivering av {analyst.name}." for code in codes}, [], [])
        mark_done(assessment, analyst)
    return {"score": response_of("HVON").id, "double_coded": double.id,
            "quote_without_script": response_of("BOPLATS").id}
