"""Build (or reuse) the demo database: logins, closed 2022 and 2023 rounds, an open 2024 round.

Everything goes through the same services as real use, so the demo data obeys the same
rules (case numbers, required answers, optimistic locking, snapshots, audit). Only the
timestamps are moved afterwards, so that each closed round looks answered early the next
year. The analyst's assessments of the closed rounds are added by survey.demo.assessments,
the real reports of granted development funds (round 2018) by survey.demo.grants.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from sqlalchemy import select

from survey.accounts.models import Role, User
from survey.accounts.services import create_user, find_by_email
from survey.demo.assessments import build_assessments
from survey.demo.grants import build_grants, open_grants_round
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.organisations.services import by_short_name
from survey.provisioning import seed_all
from survey.questionnaires.models import Round, RoundStatus
from survey.questionnaires.services import close_round, copy_round, create_round, open_round
from survey.reference.models import RightsArea
from survey.reference.services import components
from survey.responses.models import (
    AnswerRevision,
    DecisionBody,
    EventKind,
    Response,
    ResponseEvent,
    Submission,
)
from survey.responses.services import (
    return_for_completion,
    save_answer,
    save_rights_areas,
    save_self_assessment,
    start_response,
    submit,
)

DEMO_PASSWORD = "malmo-demo-2024"
#: texts.toml holds 2023 and 2024, texts-2022.toml the earliest round.
TEXTS_FILES = (Path(__file__).with_name("texts-2022.toml"), Path(__file__).with_name("texts.toml"))
QUESTIONNAIRE = "sarskild-fraga"
FIRST_YEAR = 2022
CLOSED_YEAR = 2023
OPEN_YEAR = 2024
#: Each year's question is answered with the annual analysis, early the following year.
FIRST_OPENS, FIRST_DEADLINE = dt.date(2023, 1, 9), dt.date(2023, 3, 10)
CLOSED_OPENS, CLOSED_DEADLINE = dt.date(2024, 1, 8), dt.date(2024, 2, 29)
#: The open round is kept open around the day the demo is built.
OPEN_DAYS_BEFORE, OPEN_DAYS_AFTER = 30, 45
ADMIN_EMAIL = "admin@example.org"
ANALYST_EMAIL = "analytiker@example.org"


def load_texts(paths: tuple[Path, ...] = TEXTS_FILES) -> dict:
    """{short name: {year (str): entry}} from the texts files, merged."""
    texts: dict[str, dict] = {}
    for path in paths:
        with path.open("rb") as handle:
            for short_name, years in tomllib.load(handle).items():
                texts.setdefault(short_name, {}).update(years)
    return texts


def build_demo(today: dt.date | None = None) -> list[tuple[str, str]]:
    """Create what is missing of the demo data; return (e-mail, Swedish label) per login."""
    today = today or dt.date.today()
    seed_all()
    logins = _ensure_users()
    texts = load_texts()
    first = _find_round(FIRST_YEAR)
    if first is None:
        first = _build_closed_round(texts, FIRST_YEAR, FIRST_OPENS, FIRST_DEADLINE)
    closed = _find_round(CLOSED_YEAR)
    if closed is None:
        closed = _build_closed_round(texts, CLOSED_YEAR, CLOSED_OPENS, CLOSED_DEADLINE)
    # 2023 stays unpublished: the browser scenario publishes it through the page.
    analyst = find_by_email(ANALYST_EMAIL)
    build_assessments(first, analyst, publish=True)
    build_assessments(closed, analyst, publish=False)
    open_ = _find_round(OPEN_YEAR)
    if open_ is None:
        _build_open_round(closed, texts, today)
    elif open_.status == RoundStatus.OPEN and open_.deadline < today:
        # A demo database reused months later: keep the open round answerable.
        open_.deadline = today + dt.timedelta(days=OPEN_DAYS_AFTER)
    # The real follow-up reports of granted development funds (seeds 001 and 003).
    grants = build_grants(_respondent, _backdate, analyst)
    open_grants_round(grants.questionnaire_key, OPEN_YEAR, today,
                      today - dt.timedelta(days=OPEN_DAYS_BEFORE),
                      today + dt.timedelta(days=OPEN_DAYS_AFTER))
    db.session.commit()
    return logins


# --- users ----------------------------------------------------------------------

def _organisations() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).order_by(Organisation.kind.desc(), Organisation.name)
    ))


def _ensure_user(email: str, name: str, role: Role, organisation: Organisation | None) -> User:
    existing = find_by_email(email)
    if existing is not None:
        return existing
    return create_user(email, name, DEMO_PASSWORD, role,
                       organisation.id if organisation is not None else None)


def respondent_email(organisation: Organisation) -> str:
    return f"{organisation.short_name.lower()}@example.org"


def _ensure_users() -> list[tuple[str, str]]:
    _ensure_user(ADMIN_EMAIL, "Demoadministratör", Role.ADMIN, None)
    _ensure_user(ANALYST_EMAIL, "Analytiker, stadskontoret", Role.ANALYST, None)
    logins = [(ADMIN_EMAIL, "Administratör"), (ANALYST_EMAIL, "Analytiker (stadskontoret)")]
    for organisation in _organisations():
        email = respondent_email(organisation)
        _ensure_user(email, f"Handläggare {organisation.short_name}", Role.RESPONDENT,
                     organisation)
        logins.append((email, f"Svarande, {organisation.name}"))
    return logins


def _respondent(organisation: Organisation) -> User:
    return find_by_email(respondent_email(organisation))


# --- rounds ---------------------------------------------------------------------

def _find_round(year: int) -> Round | None:
    return db.session.scalar(select(Round).filter_by(questionnaire_key=QUESTIONNAIRE, year=year))


def _entries(texts: dict, year: int) -> list[tuple[Organisation, dict]]:
    """The organisations with demo data for the year, in the file's order."""
    found = []
    for short_name, years in texts.items():
        entry = years.get(str(year))
        organisation = by_short_name(short_name)
        if entry is not None and organisation is not None:
            found.append((organisation, entry))
    return found


def _build_closed_round(texts: dict, year: int, opens: dt.date, deadline: dt.date) -> Round:
    round_ = create_round(QUESTIONNAIRE, year, opens, deadline)
    round_.created_at = _at(opens - dt.timedelta(days=21), 9)
    open_round(round_, today=opens)  # history: opened on its opening day
    for index, (organisation, entry) in enumerate(_entries(texts, year)):
        decided = entry["decision_date"]
        response = _fill(round_, organisation, entry)
        _submit(response, organisation, entry, decided)
        _backdate(response, started=opens + dt.timedelta(days=2 + index),
                  edited=decided - dt.timedelta(days=8),
                  submitted=decided + dt.timedelta(days=1))
    close_round(round_)
    db.session.flush()
    return round_


def _build_open_round(previous: Round, texts: dict, today: dt.date) -> Round:
    round_ = copy_round(previous, OPEN_YEAR)
    round_.opens_at = today - dt.timedelta(days=OPEN_DAYS_BEFORE)
    round_.deadline = today + dt.timedelta(days=OPEN_DAYS_AFTER)
    open_round(round_, today=today)
    analyst = find_by_email(ANALYST_EMAIL)
    for index, (organisation, entry) in enumerate(_entries(texts, OPEN_YEAR)):
        status = entry.get("status", "draft")
        started = round_.opens_at + dt.timedelta(days=1 + index)
        submitted = returned = None
        response = _fill(round_, organisation, entry, in_steps=status == "draft")
        if status in ("submitted", "returned"):
            decided = today - dt.timedelta(days=entry["decision_days_ago"])
            submitted = min(decided + dt.timedelta(days=1), today)
            _submit(response, organisation, entry, decided)
        if status == "returned":
            return_for_completion(response, analyst, entry["return_reason"])
            returned = today - dt.timedelta(days=entry.get("returned_days_ago", 0))
        edited = today - dt.timedelta(days=entry.get("edited_days_ago", 0))
        if submitted is not None:
            edited = submitted - dt.timedelta(days=3)
        _backdate(response, started=min(started, edited), edited=edited, submitted=submitted,
                  returned=returned)
    db.session.flush()
    return round_


# --- responses ------------------------------------------------------------------

def _fill(round_: Round, organisation: Organisation, entry: dict,
          in_steps: bool = False) -> Response:
    """Start the response and save its answers, self-assessment and rights areas."""
    user = _respondent(organisation)
    response = start_response(round_, organisation, user)
    for question in round_.questions:
        text = entry.get(question.key, "").strip()
        if not text:
            continue
        paragraphs = text.split("\n\n")
        if in_steps and len(paragraphs) > 1:
            # A draft written over several sessions: the history shows each step.
            save_answer(response, question, paragraphs[0],
                                 response.answer_for(question).version, user)
        save_answer(response, question, text, response.answer_for(question).version, user)
    levels, evidence = entry.get("self_assessment", {}), entry.get("evidence", {})
    rows = {row.component_id: row for row in response.self_assessments}
    for component in components():
        if component.code in levels and component.id in rows:
            save_self_assessment(response, component, levels[component.code],
                                 evidence.get(component.code, ""),
                                 rows[component.id].version, user)
    if entry.get("rights_areas"):
        area_ids = list(db.session.scalars(
            select(RightsArea.id).where(RightsArea.name.in_(entry["rights_areas"]))
        ))
        save_rights_areas(response, area_ids, response.tags_version, user)
    db.session.flush()
    return response


def _submit(response: Response, organisation: Organisation, entry: dict,
            decided: dt.date) -> None:
    default = DecisionBody.STYRELSE if organisation.kind == OrganisationKind.BOLAG \
        else DecisionBody.NAMND
    body = DecisionBody(entry.get("decision_body", default))
    case_number = entry["case_number"].replace("{year}", str(decided.year))
    submit(response, _respondent(organisation), body, decided, case_number)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)


def _backdate(response: Response, *, started: dt.date, edited: dt.date,
              submitted: dt.date | None = None, returned: dt.date | None = None) -> None:
    """Give the response a plausible history instead of 'everything happened just now'."""
    db.session.flush()
    response.created_at = _at(started, 8)
    # The last thing that happened to it: its last edit, submission or return (the edits of
    # a submitted answer come days before it, so it never shows "senast ändrat" after
    # "inskickat").
    response.updated_at = max(moment for moment in (
        _at(edited, 14), submitted and _at(submitted, 9), returned and _at(returned, 10))
        if moment)
    for answer in response.answers:
        answer.updated_at = _at(edited, 11)
        revisions = list(db.session.scalars(
            select(AnswerRevision).filter_by(answer_id=answer.id).order_by(AnswerRevision.version)
        ))
        for step, revision in enumerate(revisions):
            # Earlier steps of a draft on earlier days, the last on the day of the last edit.
            days_before = 2 * (len(revisions) - 1 - step)
            revision.created_at = _at(max(started, edited - dt.timedelta(days=days_before)), 11)
    for row in response.self_assessments:
        if row.level is not None:
            row.updated_at = _at(edited, 14)
    if submitted is not None:
        response.submitted_at = _at(submitted, 9)
        for submission in db.session.scalars(select(Submission).filter_by(response_id=response.id)):
            submission.submitted_at = _at(submitted, 9)
    moments = {EventKind.CREATED: _at(started, 8)}
    if submitted is not None:
        moments[EventKind.SUBMITTED] = _at(submitted, 9)
    if returned is not None:
        moments[EventKind.RETURNED] = _at(returned, 10)
    for event in db.session.scalars(select(ResponseEvent).filter_by(response_id=response.id)):
        if event.kind in moments:
            event.at = moments[event.kind]
    db.session.flush()
