"""The Swedish names of the objects audit events point at ("Svar 35 (ASN, 2024)")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey.accounts.models import User
from survey.assessments.models import Assessment
from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.mail.models import OutgoingMail, Reminder
from survey.organisations.models import Organisation
from survey.questionnaires.models import Round
from survey.responses.models import Answer, Response, SelfAssessment


def _response_ref(response: Response) -> str:
    """ "35 (ASN, 2024)", with the report number in a round of several reports."""
    report = f", rapport {response.number}" if response.round.several_reports else ""
    return f"{response.id} ({response.organisation.short_name}, {response.round.year}{report})"


def _answer_name(answer: Answer) -> str:
    return f"Svarstext fråga {answer.question.position} i svar {_response_ref(answer.response)}"


def _self_assessment_name(row: SelfAssessment) -> str:
    return f"Självskattning {row.component.code} i svar {_response_ref(row.response)}"


def _assessment_name(assessment: Assessment) -> str:
    return f"Bedömning {assessment.id} av svar {_response_ref(assessment.response)}"


@dataclass(frozen=True)
class _Kind:
    noun: str  # for an object that no longer exists: "Svar 35 (borttaget)"
    model: type
    options: tuple
    name: Callable[[object], str]


_RESPONSE = (joinedload(Response.organisation), joinedload(Response.round))

#: By the table name record() stores as object_type.
KINDS: dict[str, _Kind] = {
    "user_account": _Kind("Användare", User, (), lambda user: f"Användare {user.email}"),
    "organisation": _Kind("Organisation", Organisation, (),
                          lambda org: f"Organisation {org.name} ({org.short_name})"),
    "survey_round": _Kind("Omgång", Round, (), lambda round_: f"Omgång {round_.title}"),
    "response": _Kind("Svar", Response, _RESPONSE, lambda r: f"Svar {_response_ref(r)}"),
    "answer": _Kind("Svarstext", Answer, (
        joinedload(Answer.question),
        joinedload(Answer.response).joinedload(Response.organisation),
        joinedload(Answer.response).joinedload(Response.round)), _answer_name),
    "self_assessment": _Kind("Självskattning", SelfAssessment, (
        joinedload(SelfAssessment.component),
        joinedload(SelfAssessment.response).joinedload(Response.organisation),
        joinedload(SelfAssessment.response).joinedload(Response.round)), _self_assessment_name),
    "assessment": _Kind("Bedömning", Assessment, (
        joinedload(Assessment.response).joinedload(Response.organisation),
        joinedload(Assessment.response).joinedload(Response.round)), _assessment_name),
    "reminder": _Kind("Påminnelse", Reminder, (joinedload(Reminder.round),),
                      lambda reminder: f"Påminnelse {reminder.id} ({reminder.round.title})"),
    "outgoing_mail": _Kind("E-post", OutgoingMail, (),
                           lambda mail: f"E-post {mail.id} till {mail.recipient}"),
}


def object_names(events: Iterable[AuditEvent]) -> dict[tuple[str, int], str]:
    """{(object_type, object_id): name} for the events' objects, one query per kind."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.object_type and event.object_id is not None:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    names = {}
    for object_type, ids in wanted.items():
        kind = KINDS.get(object_type)
        if kind is None:
            names.update({(object_type, i): f"{object_type} {i}" for i in ids})
            continue
        found = db.session.scalars(select(kind.model).options(*kind.options)
                                   .where(kind.model.id.in_(sorted(ids)))).unique()
        names.update({(object_type, obj.id): kind.name(obj) for obj in found})
        names.update({(object_type, i): f"{kind.noun} {i} (finns inte längre)"
                      for i in ids if (object_type, i) not in names})
    return names
