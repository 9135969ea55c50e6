"""Operations on responses: start, save with optimistic locking, restore, submit, return.

Each operation changes state, writes revisions/events/audit and flushes; the view commits.
Saves are conditional UPDATEs (`… WHERE version = :seen`), so an edit that started hours
ago can never silently overwrite a colleague's newer text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from survey.accounts.models import User
from survey.audit.services import record
from survey.database import update_if_unchanged, utcnow
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round, RoundQuestion
from survey.questionnaires.question_types import InvalidAnswer, field_for
from survey.reference.models import Component, RightsArea
from survey.reference.services import components
from survey.responses.case_numbers import check as check_case_number
from survey.responses.case_numbers import registry_code_warning
from survey.responses.decisions import decision_date_problem
from survey.responses.models import (
    Answer,
    AnswerRevision,
    DecisionBody,
    EventKind,
    Response,
    ResponseEvent,
    ResponseStatus,
    RevisionAction,
    SelfAssessment,
    Submission,
    count_words,
)

MAX_EVIDENCE_LENGTH = 2000
#: The question that names a development work in a round of several reports.
WORK_NAME_KEY = "namn"


class ResponseError(ValueError):
    """An operation the response's state does not allow; Swedish message for the user."""


class ResponseNotEditable(ResponseError):
    pass


@dataclass
class ResponseConflict(Exception):
    """Someone saved a newer version since the user's edit began."""

    field: str
    current_version: int
    current_value: object
    updated_by: str
    updated_at: dt.datetime | None


# --- starting -----------------------------------------------------------------

def find_response(round_: Round, organisation: Organisation) -> Response | None:
    """The organisation's response to the round (its first report in a round of several)."""
    return db.session.scalar(
        select(Response).filter_by(round_id=round_.id, organisation_id=organisation.id)
        .order_by(Response.number)
    )


def reports_of(round_: Round, organisation: Organisation) -> list[Response]:
    """All the organisation's responses to the round, by number."""
    return list(db.session.scalars(
        select(Response).filter_by(round_id=round_.id, organisation_id=organisation.id)
        .order_by(Response.number)
    ))


def work_name(response: Response) -> str:
    """The development work's name as the report answers it, or "namnlöst" before that."""
    question = next((q for q in response.round.questions if q.key == WORK_NAME_KEY), None)
    answer = response.answer_for(question) if question is not None else None
    return (answer.text.strip() if answer is not None else "") or "namnlöst"


def report_label(response: Response) -> str:
    return f"Utvecklingsarbete {response.number}: {work_name(response)}"


def start_response(round_: Round, organisation: Organisation, user: User) -> Response:
    """The organisation's response to the round, created with empty answers if needed."""
    existing = find_response(round_, organisation)
    if existing is not None:
        return existing
    if not round_.is_open:
        raise ResponseNotEditable("Omgången är inte öppen för svar.")
    try:
        response = _new_response(round_, organisation, user, number=1)
    except IntegrityError:
        # A colleague started the same response at the same moment.
        return find_response(round_, organisation)
    record("response.start", obj=response, user=user)
    return response


def add_report(round_: Round, organisation: Organisation, user: User) -> Response:
    """One more report of the organisation in a round of several reports (one per
    development work), numbered after the existing ones; each has its own status."""
    if not round_.several_reports:
        raise ResponseError("Omgången tar emot ett svar per organisation.")
    if not round_.is_open:
        raise ResponseNotEditable("Omgången är inte öppen för svar.")
    for _ in range(3):  # colleagues adding reports at the same moment take the next number
        number = 1 + (db.session.scalar(
            select(Response.number)
            .filter_by(round_id=round_.id, organisation_id=organisation.id)
            .order_by(Response.number.desc()).limit(1)) or 0)
        try:
            response = _new_response(round_, organisation, user, number=number)
        except IntegrityError:
            continue
        record("response.start", obj=response, user=user, detail=f"rapport {number}")
        return response
    raise ResponseError("Rapporten kunde inte läggas till just nu; försök igen.")


def _new_response(round_: Round, organisation: Organisation, user: User,
                  number: int) -> Response:
    """A response with empty answers (and self-assessment rows, if the round has them);
    raises IntegrityError when that number is taken."""
    response = Response(round_id=round_.id, organisation_id=organisation.id, number=number)
    for question in round_.questions:
        response.answers.append(Answer(question_id=question.id, text="", updated_by_id=user.id))
    if round_.self_assessment:
        for component in components():
            response.self_assessments.append(SelfAssessment(component_id=component.id))
    response.events.append(ResponseEvent(kind=EventKind.CREATED, user_id=user.id))
    with db.session.begin_nested():
        db.session.add(response)
    return response


# --- saving -------------------------------------------------------------------

def _claim_for_edit(response: Response) -> None:
    """Touch the response row only while it is editable.

    The conditional UPDATE also takes the row lock, so a save and a submit of the
    same response cannot interleave on PostgreSQL.
    """
    if not response.round.is_open:
        raise ResponseNotEditable("Omgången är stängd och svaret kan inte längre ändras.")
    result = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.status != ResponseStatus.SUBMITTED)
        .values(updated_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount == 0:
        raise ResponseNotEditable("Svaret är inskickat och kan inte ändras.")


def max_length_for(question: RoundQuestion) -> int:
    limit = current_app.config["MAX_ANSWER_LENGTH"]
    return min(question.max_length, limit) if question.max_length else limit


def _who(user: User | None) -> str:
    return user.name if user is not None else "okänd"


def answer_revision_values(version: int, text: str, at: dt.datetime, user_id: int | None = None,
                           action: RevisionAction = RevisionAction.SAVE) -> dict:
    """The revision a save (or restore) leaves: the answer's new version and text, when and
    by whom (None: unknown). Also the bulk writer's (demo/synthetic.py)."""
    return {"version": version, "text": text, "action": action, "created_at": at,
            "user_id": user_id}


def save_answer(response: Response, question: RoundQuestion, text: str, seen_version: int,
                user: User, action: RevisionAction = RevisionAction.SAVE) -> Answer:
    """Save one answer if nobody saved since `seen_version`; keep a revision."""
    text = text.replace("\r\n", "\n")
    try:
        text = field_for(question).normalise(text)
    except InvalidAnswer as error:
        raise ResponseError(str(error)) from error
    limit = max_length_for(question)
    if len(text) > limit:
        raise ResponseError(
            f"Svaret är {len(text):,} tecken långt; högst {limit:,} tecken får plats. "
            "Texten är kvar i fältet: korta den och spara igen.".replace(",", "\u00a0")
        )
    answer = response.answer_for(question)
    if answer is None:
        raise ResponseError("Frågan hör inte till detta svar.")
    if answer.version == seen_version and answer.text == text:
        return answer  # nothing changed: no revision
    _claim_for_edit(response)
    now = utcnow()
    if not update_if_unchanged(answer, Answer.version, seen_version,
                               text=text, word_count=count_words(text), updated_at=now,
                               updated_by_id=user.id):
        raise ResponseConflict(f"answer-{question.id}", answer.version, answer.text,
                       _who(answer.updated_by), answer.updated_at)
    db.session.add(AnswerRevision(answer_id=answer.id, **answer_revision_values(
        answer.version, text, now, user.id, action)))
    record("answer.save" if action == RevisionAction.SAVE else "answer.restore", obj=answer,
           organisation_id=response.organisation_id, user=user,
           detail=f"fråga {question.key}, version {answer.version}, {len(text)} tecken")
    return answer


def restore_revision(response: Response, revision: AnswerRevision, seen_version: int,
                     user: User) -> Answer:
    """Make an earlier text the current one again; itself a new revision."""
    answer = revision.answer
    if answer.response_id != response.id:
        raise ResponseError("Versionen hör inte till detta svar.")
    return save_answer(response, answer.question, revision.text, seen_version, user,
                       action=RevisionAction.RESTORE)


def save_self_assessment(response: Response, component: Component, level: int | None,
                         evidence: str, seen_version: int, user: User) -> SelfAssessment:
    if level is not None and not 0 <= level <= 4:
        raise ResponseError("Nivån ska vara mellan 0 och 4.")
    evidence = evidence.replace("\r\n", "\n")
    if len(evidence) > MAX_EVIDENCE_LENGTH:
        raise ResponseError(f"Motiveringen får vara högst {MAX_EVIDENCE_LENGTH} tecken.")
    row = next((s for s in response.self_assessments if s.component_id == component.id), None)
    if row is None:
        raise ResponseError("Självskattning ingår inte i denna omgång.")
    if row.version == seen_version and row.level == level and row.evidence == evidence:
        return row
    _claim_for_edit(response)
    if not update_if_unchanged(row, SelfAssessment.version, seen_version, level=level,
                               evidence=evidence, updated_at=utcnow(), updated_by_id=user.id):
        raise ResponseConflict(f"self-{component.code}", row.version,
                       {"level": row.level, "evidence": row.evidence},
                       _who(row.updated_by), row.updated_at)
    record("self_assessment.save", obj=row, organisation_id=response.organisation_id, user=user,
           detail=f"{component.code} nivå {level}")
    return row


def save_rights_areas(response: Response, area_ids: list[int], seen_version: int,
                      user: User) -> Response:
    areas = list(db.session.scalars(select(RightsArea).where(RightsArea.id.in_(area_ids))))
    if len(areas) != len(set(area_ids)):
        raise ResponseError("Okänt rättighetsområde.")
    if response.tags_version == seen_version and {a.id for a in response.rights_areas} == set(
        area_ids
    ):
        return response
    _claim_for_edit(response)
    if not update_if_unchanged(response, Response.tags_version, seen_version):
        raise ResponseConflict("rights-areas", response.tags_version,
                       [a.id for a in response.rights_areas], "en kollega", response.updated_at)
    response.rights_areas = sorted(areas, key=lambda a: a.position)
    record("response.tags", obj=response, user=user, detail=f"{len(areas)} områden")
    return response


# --- submitting and returning ---------------------------------------------------

def missing_answers(response: Response) -> list[RoundQuestion]:
    texts = _answer_texts(response)
    return [q for q in response.round.questions if q.required and not texts[q.id].strip()]


def _answer_texts(response: Response) -> dict[int, str]:
    """Each question's current text by question id ("" where there is no answer row)."""
    by_question = {a.question_id: a.text for a in response.answers}
    return {q.id: by_question.get(q.id, "") for q in response.round.questions}


def snapshot(response: Response) -> dict:
    """Everything the organisation submitted, as it stood."""
    answers = {a.question_id: a for a in response.answers}
    organisation = response.organisation
    return submission_content(
        (response.round_id, response.round.title, response.round.year),
        (response.organisation_id, organisation.name, organisation.short_name),
        [(q.key, q.text, answers[q.id].text if q.id in answers else "",
          answers[q.id].version if q.id in answers else 0) for q in response.round.questions],
        [(s.component.code, s.component.name, s.level, s.evidence)
         for s in sorted(response.self_assessments, key=lambda s: s.component.position)],
        [a.name for a in response.rights_areas],
    )


def submission_content(round_: tuple[int, str, int], organisation: tuple[int, str, str],
                       answers: Iterable[tuple[str, str, str, int]],
                       self_assessment: Iterable[tuple[str, str, int | None, str]],
                       rights_areas: Iterable[str]) -> dict:
    """A submission's snapshot (`Submission.content`) from plain values: the round as (id,
    title, year), the organisation as (id, name, short name), the answers as (key, question,
    text, version) in question order, the self-assessment as (code, component, level,
    evidence) in component order, and the rights areas' names."""
    round_id, title, year = round_
    organisation_id, name, short_name = organisation
    return {
        "round": {"id": round_id, "title": title, "year": year},
        "organisation": {"id": organisation_id, "name": name, "short_name": short_name},
        "answers": [{"key": key, "question": question, "text": text, "version": version}
                    for key, question, text, version in answers],
        "self_assessment": [{"code": code, "component": component, "level": level,
                             "evidence": evidence}
                            for code, component, level, evidence in self_assessment],
        "rights_areas": list(rights_areas),
    }


def submit(response: Response, user: User, decision_body: DecisionBody,
           decision_date: dt.date, case_number: str) -> Submission:
    missing = missing_answers(response)
    if missing:
        raise ResponseError(
            "Svar saknas på fråga " + ", ".join(str(q.position) for q in missing) + "."
        )
    checked = check_case_number(case_number)
    if not checked.valid:
        raise ResponseError(checked.message)
    date_problem = decision_date_problem(decision_date, response.round.year)
    if date_problem:
        raise ResponseError(date_problem)
    if not response.round.is_open:
        raise ResponseNotEditable("Omgången är stängd.")
    now = utcnow()
    result = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.status != ResponseStatus.SUBMITTED)
        .values(status=ResponseStatus.SUBMITTED, submitted_at=now, updated_at=now),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount == 0:
        raise ResponseNotEditable("Svaret är redan inskickat.")
    db.session.refresh(response)
    submission = Submission(
        response_id=response.id, number=len(response.submissions) + 1, submitted_at=now,
        submitted_by_id=user.id, decision_body=decision_body, decision_date=decision_date,
        case_number=case_number.strip(), content=snapshot(response),
    )
    db.session.add(submission)
    db.session.flush()
    db.session.add(ResponseEvent(response_id=response.id, kind=EventKind.SUBMITTED, at=now,
                                 user_id=user.id, submission_id=submission.id))
    record("response.submit", obj=response, user=user,
           detail=f"inlämning {submission.number}, {submission.case_number}")
    db.session.flush()
    db.session.refresh(response)
    return submission


def case_number_warning(organisation: Organisation, case_number: str) -> str | None:
    """The non-blocking warning when the case number's registry code is not one of the
    organisation's known codes (see `Organisation.registry_codes`)."""
    return registry_code_warning(case_number, organisation.registry_code_list,
                                 organisation.kind.possessive)


def submit_reports(responses: list[Response], user: User, decision_body: DecisionBody,
                   decision_date: dt.date, case_number: str) -> list[Submission]:
    """Submit several reports of one organisation and round under one board decision:
    every report is checked before any is submitted, and a failure undoes them all."""
    if not responses:
        raise ResponseError("Välj minst ett utvecklingsarbete att skicka in.")
    if len({(r.round_id, r.organisation_id) for r in responses}) > 1:
        raise ResponseError("Redovisningarna ska höra till samma organisation och omgång.")
    responses = sorted(responses, key=lambda r: r.number)
    problems = []
    for response in responses:
        missing = missing_answers(response)
        if response.status == ResponseStatus.SUBMITTED:
            problems.append(f"{report_label(response)} är redan inskickat.")
        elif missing:
            problems.append(f"{report_label(response)} saknar svar på fråga "
                            + ", ".join(str(q.position) for q in missing) + ".")
    if problems:
        raise ResponseError("Inget skickades in. " + " ".join(problems))
    if not responses[0].round.is_open:
        raise ResponseNotEditable("Omgången är stängd.")
    checked = check_case_number(case_number)
    if not checked.valid:
        raise ResponseError(checked.message)
    date_problem = decision_date_problem(decision_date, responses[0].round.year)
    if date_problem:
        raise ResponseError(date_problem)
    # A savepoint: a report a colleague submitted meanwhile undoes the ones before it.
    with db.session.begin_nested():
        submissions = [submit(r, user, decision_body, decision_date, case_number)
                       for r in responses]
    record("response.submit_reports", obj=responses[0].round, user=user,
           organisation_id=responses[0].organisation_id,
           detail=f"rapport {', '.join(str(r.number) for r in responses)}, "
                  f"{case_number.strip()}")
    db.session.flush()
    return submissions


def return_for_completion(response: Response, user: User, reason: str) -> ResponseEvent:
    reason = reason.strip()
    if not reason:
        raise ResponseError("Ange varför svaret skickas tillbaka.")
    if not response.can_be_returned:
        if response.status != ResponseStatus.SUBMITTED:
            raise ResponseError("Bara ett inskickat svar kan skickas tillbaka.")
        raise ResponseError(
            "Omgången är stängd; öppna den igen för att kunna skicka tillbaka svar."
        )
    response.status = ResponseStatus.RETURNED
    response.updated_at = utcnow()
    event = ResponseEvent(response_id=response.id, kind=EventKind.RETURNED, user_id=user.id,
                          reason=reason)
    db.session.add(event)
    record("response.return", obj=response, user=user)
    db.session.flush()
    db.session.refresh(response)
    return event


# --- recording history ----------------------------------------------------------
# A response of an earlier round (imported, or synthetic for benchmarks) is recorded as
# submitting would have left it, although the round is closed. Its shape is written here
# once: `record_submitted_response` through the session, and the values it is built from
# for the bulk writer of demo/synthetic.py.

def saved_answer_values(text: str, at: dt.datetime) -> dict:
    """An answer's columns after its one save, at `at`."""
    return {"text": text, "word_count": count_words(text), "version": 1, "updated_at": at}


def first_submission_values(at: dt.datetime, decision_body: DecisionBody,
                            decision_date: dt.date, case_number: str, content: dict) -> dict:
    """A response's first submission's columns, handed in at `at` by someone unknown."""
    return {"number": 1, "submitted_at": at, "submitted_by_id": None,
            "decision_body": decision_body, "decision_date": decision_date,
            "case_number": case_number, "content": content}


def record_submitted_response(round_: Round, organisation: Organisation, texts: dict[int, str],
                              decision_body: DecisionBody, decision_date: dt.date,
                              case_number: str, at: dt.datetime) -> Response:
    """The organisation's response to a (closed) round, recorded as submitted at `at`:
    answers by question position (version 1, one revision; "" where none is given), empty
    self-assessment rows if the round has them, submission number 1 with its snapshot, and
    the CREATED and SUBMITTED events. Who did it is unknown (None); the caller writes the
    audit entry. Flushes."""
    response = Response(round_id=round_.id, organisation_id=organisation.id,
                        status=ResponseStatus.SUBMITTED, created_at=at, updated_at=at,
                        submitted_at=at)
    db.session.add(response)
    for question in round_.questions:
        answer = Answer(question_id=question.id,
                        **saved_answer_values(texts.get(question.position, ""), at))
        answer.revisions.append(AnswerRevision(**answer_revision_values(
            answer.version, answer.text, at)))
        response.answers.append(answer)
    if round_.self_assessment:
        # Empty rows, as when a response is started: the organisation rated nothing here.
        for component in components():
            response.self_assessments.append(SelfAssessment(component_id=component.id))
    response.events.append(ResponseEvent(kind=EventKind.CREATED, at=at))
    db.session.flush()
    submission = Submission(response_id=response.id, **first_submission_values(
        at, decision_body, decision_date, case_number, snapshot(response)))
    db.session.add(submission)
    db.session.flush()
    db.session.add(ResponseEvent(response_id=response.id, kind=EventKind.SUBMITTED, at=at,
                                 submission_id=submission.id))
    db.session.flush()
    db.session.refresh(response)
    return response
