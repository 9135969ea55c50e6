"""Helpers for the answering views: saving a posted form or one autosaved field through
the services, and the rows the answer pages render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from survey.accounts.models import User
from survey.database import utcnow
from survey.formatting import datetime_sv, time_sv
from survey.questionnaires.models import RoundQuestion
from survey.questionnaires.question_types import InvalidAnswer, QuestionField, field_for
from survey.questionnaires.wording import asks_for_name, wording_for
from survey.reference.models import Component
from survey.reference.services import components
from survey.responses.forms import PostedForm, normalise_text
from survey.responses.models import Answer, Response, SelfAssessment
from survey.responses.personal_data import find_personal_data
from survey.responses.services import (
    ResponseConflict,
    ResponseError,
    ResponseNotEditable,
    max_length_for,
    save_answer,
    save_rights_areas,
    save_self_assessment,
)

_KIND_TEXT = {"personnummer": "ett personnummer", "email": "en e-postadress",
              "phone": "ett telefonnummer"}


def personal_data_warnings(text: str, noun: str = "svaret", names: bool = True) -> list[str]:
    """Non-blocking Swedish warnings, one per kind of personal data found. `noun` is the
    questionnaire's word for the response (Wording.noun); `names` False for a question that
    asks for a name, where a warning against names would contradict the question."""
    advice = (f"Skriv inte personuppgifter eller namn på enskilda personer i {noun}." if names
              else "Frågan ber om ett namn: skriv inga andra personuppgifter här.")
    messages, seen = [], set()
    for warning in find_personal_data(text or ""):
        if warning.kind in seen:
            continue
        seen.add(warning.kind)
        messages.append(
            f"Texten verkar innehålla {_KIND_TEXT.get(warning.kind, warning.label)} "
            f"({warning.excerpt}). {advice}"
        )
    return messages


def question_warnings(question: RoundQuestion, text: str) -> list[str]:
    """The personal-data warnings for an answer to `question`, in its questionnaire's words."""
    return personal_data_warnings(text, wording_for(question.round).noun,
                                  names=not asks_for_name(question))


def word_count(text: str) -> int:
    return len((text or "").split())


# --- rows the pages render -----------------------------------------------------------

@dataclass
class QuestionRow:
    question: RoundQuestion
    answer: Answer | None
    text: str
    version: int
    error: str = ""
    conflict: ResponseConflict | None = None
    #: Whether `text` is what the user posted (kept after an error), not the stored value.
    posted: bool = False

    @property
    def name(self) -> str:
        return f"answer-{self.question.id}"

    @property
    def field(self) -> QuestionField:
        return field_for(self.question)

    @property
    def input_value(self) -> str:
        """What the input shows: the user's own input after an error, else the stored value."""
        return self.text if self.posted else self.field.input_value(self.text)

    @property
    def display(self) -> str:
        return self.field.display(self.text)

    @property
    def checks_text(self) -> bool:
        """Whether the answer is free text, checked for personal data."""
        return self.question.qtype in ("long_text", "short_text")

    @property
    def asks_for_name(self) -> bool:
        return asks_for_name(self.question)

    @property
    def warnings(self) -> list[str]:
        return question_warnings(self.question, self.text) if self.checks_text else []

    @property
    def words(self) -> int:
        return word_count(self.text)

    @property
    def max_length(self) -> int:
        return max_length_for(self.question)


@dataclass
class ComponentRow:
    component: Component
    row: SelfAssessment
    level: int | None
    evidence: str
    version: int
    error: str = ""
    conflict: ResponseConflict | None = None

    @property
    def name(self) -> str:
        return f"self-{self.component.code}"

    @property
    def warnings(self) -> list[str]:
        return personal_data_warnings(self.evidence,
                                      wording_for(self.row.response.round).noun)


@dataclass
class TagsState:
    selected: set[int]
    version: int
    error: str = ""
    conflict: ResponseConflict | None = None


@dataclass
class SaveOutcome:
    posted: PostedForm
    errors: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, ResponseConflict] = field(default_factory=dict)
    saved: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


def question_rows(response: Response, outcome: SaveOutcome | None = None) -> list[QuestionRow]:
    posted = {p.question_id: p for p in outcome.posted.answers} if outcome else {}
    rows = []
    for question in response.round.questions:
        answer = response.answer_for(question)
        row = QuestionRow(question, answer, answer.text if answer else "",
                          answer.version if answer else 0)
        name = row.name
        if outcome and (name in outcome.errors or name in outcome.conflicts):
            # Give the user's own text back, never the stored one in its place.
            row.text = posted[question.id].text
            row.version = posted[question.id].version
            row.posted = True
            row.error = outcome.errors.get(name, "")
            row.conflict = outcome.conflicts.get(name)
            if row.conflict:
                row.version = row.conflict.current_version
        rows.append(row)
    return rows


def self_assessment_rows(response: Response,
                         outcome: SaveOutcome | None = None) -> list[ComponentRow]:
    if not response.round.self_assessment:
        return []
    posted = {p.code: p for p in outcome.posted.self_assessments} if outcome else {}
    by_component = {s.component_id: s for s in response.self_assessments}
    rows = []
    for component in components():
        stored = by_component.get(component.id)
        if stored is None:
            continue
        row = ComponentRow(component, stored, stored.level, stored.evidence, stored.version)
        if outcome and (row.name in outcome.errors or row.name in outcome.conflicts):
            mine = posted[component.code]
            row.level = mine.level if mine.level is not None else stored.level
            row.evidence, row.version = mine.evidence, mine.version
            row.error = outcome.errors.get(row.name, "")
            row.conflict = outcome.conflicts.get(row.name)
            if row.conflict:
                row.version = row.conflict.current_version
        rows.append(row)
    return rows


def tags_state(response: Response, outcome: SaveOutcome | None = None) -> TagsState:
    state = TagsState({a.id for a in response.rights_areas}, response.tags_version)
    name = "rights-areas"
    if outcome and outcome.posted.tags and (name in outcome.errors or name in outcome.conflicts):
        state.selected = set(outcome.posted.tags.area_ids)
        state.version = outcome.posted.tags.version
        state.error = outcome.errors.get(name, "")
        state.conflict = outcome.conflicts.get(name)
        if state.conflict:
            state.version = state.conflict.current_version
    return state


# --- saving the whole form ---------------------------------------------------------

def _text_at_version(answer: Answer, version: int) -> str | None:
    if version == 0:
        return ""
    return next((r.text for r in answer.revisions if r.version == version), None)


def _normalised(question: RoundQuestion, text: str) -> str:
    """The value `text` would be stored as; itself when invalid (saving then reports it)."""
    try:
        return field_for(question).normalise(text)
    except InvalidAnswer:
        return text


def save_form(response: Response, posted: PostedForm, user: User) -> SaveOutcome:
    """Save every field the user changed; collect conflicts and errors instead of failing.

    Raises ResponseNotEditable when the response can no longer be changed at all.
    """
    outcome = SaveOutcome(posted)
    questions = {q.id: q for q in response.round.questions}

    def attempt(name: str, save) -> None:
        try:
            save()
            outcome.saved += 1
        except ResponseConflict as conflict:
            outcome.conflicts[name] = conflict
        except ResponseNotEditable:
            raise
        except ResponseError as error:
            outcome.errors[name] = str(error)

    for mine in posted.answers:
        question = questions.get(mine.question_id)
        answer = response.answer_for(question) if question else None
        name = f"answer-{mine.question_id}"
        if answer is None or name in posted.use_saved:
            continue
        text = _normalised(question, mine.text)  # "167 000" is the stored "167000"
        if text == answer.text:
            continue
        if mine.version != answer.version and text == _text_at_version(answer, mine.version):
            continue  # the user did not touch it; a colleague's newer text stays
        attempt(name, lambda q=question, m=mine: save_answer(response, q, m.text, m.version,
                                                            user))

    codes = {c.code: c for c in components()}
    stored = {s.component_id: s for s in response.self_assessments}
    for mine in posted.self_assessments:
        component = codes.get(mine.code)
        row = stored.get(component.id) if component else None
        name = f"self-{mine.code}"
        if row is None or name in posted.use_saved:
            continue
        level = mine.level if mine.level is not None else row.level
        if (level, mine.evidence) == (row.level, row.evidence):
            continue
        attempt(name, lambda c=component, m=mine, lv=level: save_self_assessment(
            response, c, lv, m.evidence, m.version, user))

    tags = posted.tags
    if tags is not None and "rights-areas" not in posted.use_saved and set(tags.area_ids) != {
        a.id for a in response.rights_areas
    }:
        attempt("rights-areas", lambda: save_rights_areas(response, tags.area_ids,
                                                          tags.version, user))
    return outcome


# --- autosave of one field -------------------------------------------------------------

class BadPayload(ValueError):
    pass


def _version(payload: dict) -> int:
    version = payload.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise BadPayload("version")
    return version


def _saved(version: int, moment: dt.datetime | None) -> dict:
    moment = moment or utcnow()
    return {"ok": True, "version": version, "saved_at": moment.isoformat(),
            "saved_label": f"Sparat {time_sv(moment)}"}


def conflict_json(conflict: ResponseConflict, your_value) -> dict:
    return {
        "conflict": True, "field": conflict.field, "your_value": your_value,
        "current_value": conflict.current_value, "current_version": conflict.current_version,
        "updated_by": conflict.updated_by,
        "updated_at": conflict.updated_at.isoformat() if conflict.updated_at else None,
        "updated_label": datetime_sv(conflict.updated_at),
    }


@dataclass(frozen=True)
class Autosaved:
    """What an autosave stored; `json()` is the reply. The personal-data check runs in
    `json()`, which the view calls after the commit: never while the transaction holds the
    row lock (PostgreSQL) or the database's write lock (SQLite takes it at a write request's
    first query)."""

    reply: dict
    #: The stored text to check for personal data ("" when the field has no free text).
    text: str = ""
    #: The questionnaire's word for the response (Wording.noun), for the warnings.
    noun: str = "svaret"
    #: False for a question that asks for a name: no warning against names.
    names: bool = True

    def json(self) -> dict:
        return {**self.reply,
                "warnings": personal_data_warnings(self.text, self.noun, self.names)}


def autosave_field(response: Response, payload: dict, user: User) -> Autosaved:
    """Save one field named like the form's fields.

    Raises ResponseConflict, ResponseError or BadPayload."""
    if not isinstance(payload, dict) or not isinstance(payload.get("field"), str):
        raise BadPayload("field")
    name, value, version = payload["field"], payload.get("value"), _version(payload)
    if name.startswith("answer-"):
        question = next((q for q in response.round.questions if f"answer-{q.id}" == name), None)
        if question is None or not isinstance(value, str):
            raise BadPayload(name)
        answer = save_answer(response, question, normalise_text(value), version, user)
        row = QuestionRow(question, answer, answer.text, answer.version)
        # `value`: the stored value as the input shows it ("167 tkr" comes back "167 000").
        return Autosaved({**_saved(answer.version, answer.updated_at),
                          "value": row.input_value}, row.text if row.checks_text else "",
                         wording_for(response.round).noun, not row.asks_for_name)
    if name.startswith("self-"):
        component = next((c for c in components() if f"self-{c.code}" == name), None)
        if component is None or not isinstance(value, dict):
            raise BadPayload(name)
        level, evidence = value.get("level"), value.get("evidence", "")
        if level is not None and (isinstance(level, bool) or not isinstance(level, int)):
            raise BadPayload(name)
        if not isinstance(evidence, str):
            raise BadPayload(name)
        row = save_self_assessment(response, component, level, normalise_text(evidence),
                                   version, user)
        return Autosaved(_saved(row.version, row.updated_at), row.evidence,
                         wording_for(response.round).noun)
    if name == "rights-areas" and response.round.rights_areas:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise BadPayload(name)
        saved = save_rights_areas(response, value, version, user)
        return Autosaved(_saved(saved.tags_version, saved.updated_at))
    raise BadPayload(name)
