"""Synthetic organisations and closed rounds in bulk, for measuring pages at scale.

`flask --app survey seed-synthetic --orgs N --rounds R` adds N organisations ("Syntetisk
nämnd 0001", short name SYN0001, …) and answers to R rounds of the särskild fråga for the
years ending last year: per round and organisation about 90 % answered (85 % of those
submitted, 10 % drafts, 5 % returned), with answers saved once (and that save's revision),
self-assessments drifting upward over the years, rights-area tags, submissions, workflow
events and, for about 60 % of the submitted responses, a finished assessment with scores, an
evidence quote, rights areas and tags. Existing rounds of those years are reused. It refuses
to run a second time (the synthetic organisations exist).

Rows go in with Core bulk inserts and ids chosen here (the next free ids of each table);
PostgreSQL's id sequences are moved past them at the end. Nobody else may write meanwhile.
Each row's values come from the same builders the services use (survey/responses/services.py,
survey/assessments/services.py), so a synthetic row looks like one the application made.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, insert, select, text

from survey.accounts.models import Role, User
from survey.accounts.services import create_user, find_by_email
from survey.assessments.models import (
    Assessment,
    AssessmentScore,
    EvidenceQuote,
    Tag,
    assessment_rights_area,
    assessment_tag,
)
from survey.assessments.services import (
    done_assessment_values,
    quote_values,
    score_values,
    started_assessment_values,
)
from survey.demo.synthetic_text import TextMaker
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.provisioning import seed_all
from survey.questionnaires.models import Round, RoundQuestion, RoundStatus
from survey.questionnaires.services import create_round
from survey.reference.services import components, rights_areas
from survey.responses.models import (
    Answer,
    AnswerRevision,
    DecisionBody,
    EventKind,
    Response,
    ResponseEvent,
    ResponseStatus,
    SelfAssessment,
    Submission,
    response_rights_area,
)
from survey.responses.services import (
    answer_revision_values,
    first_submission_values,
    saved_answer_values,
    submission_content,
)

QUESTIONNAIRE = "sarskild-fraga"
NAME_PREFIX = "Syntetisk"
SHORT_PREFIX = "SYN"
ANALYST_EMAIL = "syntetisk-analytiker@example.org"
CHUNK = 5000
ANSWERED, SUBMITTED_SHARE, DRAFT_SHARE = 0.90, 0.85, 0.10  # the rest of the answered: returned
ASSESSED, DRAFT_ASSESSED = 0.60, 0.05
BOLAG_SHARE, MISSING_LEVEL = 0.20, 0.10
#: Each table written with explicit ids, in insert order (parents first).
ID_TABLES = (Organisation, Response, Answer, AnswerRevision, SelfAssessment, Submission,
             ResponseEvent, Assessment, AssessmentScore, EvidenceQuote)


class SyntheticError(Exception):
    """Why the synthetic data cannot be added; the message is Swedish, for the console."""


@dataclass
class SyntheticSummary:
    rows: Counter
    seconds: float

    def lines(self) -> list[str]:
        width = max(len(name) for name in self.rows)
        return [f"  {name:<{width}} {count:>10,}".replace(",", "\u00a0")
                for name, count in self.rows.items()] + [f"Klart på {self.seconds:.1f} s."]


@dataclass(frozen=True)
class _Reference:
    component_ids: list[int]
    component_codes: dict[int, tuple[str, str]]  # id -> (code, name)
    area_names: dict[int, str]
    tag_ids: list[int]


@dataclass(frozen=True)
class _Profile:
    """One organisation's starting maturity, its yearly progress and per-component bias."""

    base: float
    slope: float
    offsets: tuple[float, ...]


class _Writer:
    """Hands out the next free ids and bulk-inserts rows in chunks, counting them."""

    def __init__(self):
        self.next_id = {model.__table__.name: (db.session.scalar(
            select(model.id).order_by(model.id.desc()).limit(1)) or 0) + 1
            for model in ID_TABLES}
        self.rows: Counter = Counter()

    def take_id(self, model) -> int:
        name = model.__table__.name
        self.next_id[name] += 1
        return self.next_id[name] - 1

    def insert(self, model_or_table, rows: list[dict]) -> None:
        table = model_or_table if isinstance(model_or_table, Table) else model_or_table.__table__
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[start:start + CHUNK])
        self.rows[table.name] += len(rows)

    def finish(self) -> None:
        """PostgreSQL: continue each id sequence after the ids inserted here, and give the
        planner statistics now rather than whenever autovacuum gets to the new rows."""
        if db.engine.dialect.name != "postgresql":
            return
        for name, next_id in self.next_id.items():
            # Nobody else writes meanwhile: the next id handed out is the next free one.
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {next_id}, false)"))
        for name in self.rows:
            db.session.execute(text(f"ANALYZE {name}"))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def seed_synthetic(orgs: int, rounds: int, seed: int = 2024, today: dt.date | None = None,
                   echo: Callable[[str], None] = lambda line: None) -> SyntheticSummary:
    """Add the synthetic organisations and rounds (see the module docstring); commits."""
    started = time.perf_counter()
    today = today or dt.date.today()
    seed_all()
    if db.session.scalar(select(Organisation.id).where(
            Organisation.name.like(NAME_PREFIX + " %")).limit(1)) is not None:
        raise SyntheticError("Det finns redan syntetiska organisationer i databasen; "
                             "bygg en ny databas för att lägga in andra mängder.")
    rng = random.Random(seed)
    reference = _load_reference()
    years = list(range(today.year - rounds, today.year))
    writer = _Writer()
    analyst_id = _analyst().id
    organisations = _add_organisations(writer, rng, orgs, dt.date(years[0], 1, 1))
    profiles = [_Profile(rng.gauss(1.0, 0.6), rng.uniform(0.0, 0.3),
                         tuple(rng.gauss(0, 0.5) for _ in reference.component_ids))
                for _ in organisations]
    db.session.commit()
    echo(f"{orgs} syntetiska organisationer inlagda.")
    texts = TextMaker(rng)
    for index, year in enumerate(years):
        round_started = time.perf_counter()
        round_, reused = _round_for(year, today)
        filler = _RoundFiller(writer, rng, texts, reference, round_, analyst_id, today)
        for organisation, profile in zip(organisations, profiles, strict=True):
            filler.add(organisation, profile, index)
        filler.write()
        db.session.commit()
        echo(f"{year}{' (befintlig omgång)' if reused else ''}: {filler.summary()}, "
             f"{time.perf_counter() - round_started:.1f} s")
    writer.finish()
    db.session.commit()
    return SyntheticSummary(writer.rows, time.perf_counter() - started)


def _load_reference() -> _Reference:
    found = components()
    return _Reference(
        component_ids=[component.id for component in found],
        component_codes={component.id: (component.code, component.name) for component in found},
        area_names={area.id: area.name for area in rights_areas()},
        tag_ids=list(db.session.scalars(select(Tag.id).order_by(Tag.kind, Tag.position))),
    )


def _analyst() -> User:
    """The analyst the synthetic assessments belong to; nobody can log in as it."""
    return find_by_email(ANALYST_EMAIL) or create_user(
        ANALYST_EMAIL, "Syntetisk analytiker", secrets.token_urlsafe(24), Role.ANALYST)


def _add_organisations(writer: _Writer, rng: random.Random, count: int,
                       valid_from: dt.date) -> list[dict]:
    width = max(4, len(str(count)))
    rows = []
    for number in range(1, count + 1):
        bolag = rng.random() < BOLAG_SHARE
        rows.append({
            "id": writer.take_id(Organisation),
            "name": f"{'Syntetiskt bolag' if bolag else 'Syntetisk nämnd'} {number:0{width}d}",
            "short_name": f"{SHORT_PREFIX}{number:0{width}d}",
            "kind": OrganisationKind.BOLAG if bolag else OrganisationKind.NAMND,
            "valid_from": valid_from, "valid_to": None,
        })
    writer.insert(Organisation, rows)
    return rows


def _round_for(year: int, today: dt.date) -> tuple[Round, bool]:
    """The year's round of the särskild fråga: the existing one, or a new closed one."""
    existing = db.session.scalar(select(Round).filter_by(questionnaire_key=QUESTIONNAIRE,
                                                         year=year))
    if existing is not None:
        return existing, True
    # As in the demo: the question about a year is answered early the following year.
    round_ = create_round(QUESTIONNAIRE, year, dt.date(year + 1, 1, 8), dt.date(year + 1, 2, 28))
    round_.status = RoundStatus.CLOSED
    round_.created_at = _at(dt.date(year, 12, 15), 9)
    published = round_.deadline + dt.timedelta(days=90)
    round_.assessments_published_at = _at(published, 10) if published < today else None
    db.session.flush()
    return round_, False


class _RoundFiller:
    """Collects one round's rows for every organisation, then writes them table by table."""

    def __init__(self, writer: _Writer, rng: random.Random, texts: TextMaker,
                 reference: _Reference, round_: Round, analyst_id: int, today: dt.date):
        self.writer, self.rng, self.texts, self.ref = writer, rng, texts, reference
        self.round_id, self.year, self.title = round_.id, round_.year, round_.title
        self.opens, self.deadline = round_.opens_at, min(round_.deadline, today)
        self.analyst_id, self.today = analyst_id, today
        self.questions = list(db.session.execute(
            select(RoundQuestion.id, RoundQuestion.key, RoundQuestion.text)
            .where(RoundQuestion.round_id == round_.id).order_by(RoundQuestion.position)))
        self.tables: dict = {key: [] for key in (
            Response, Answer, AnswerRevision, SelfAssessment, response_rights_area, Submission,
            ResponseEvent, Assessment, AssessmentScore, EvidenceQuote, assessment_rights_area,
            assessment_tag)}
        self.statuses: Counter = Counter()

    def summary(self) -> str:
        s = self.statuses
        return (f"{sum(s.values())} svar ({s[ResponseStatus.SUBMITTED]} inskickade, "
                f"{s[ResponseStatus.DRAFT]} utkast, {s[ResponseStatus.RETURNED]} återsända), "
                f"{len(self.tables[Assessment])} bedömningar")

    def write(self) -> None:
        for table, rows in self.tables.items():
            self.writer.insert(table, rows)

    def _day(self, earliest: dt.date, latest: dt.date) -> dt.date:
        span = max((latest - earliest).days, 0)
        return earliest + dt.timedelta(days=self.rng.randint(0, span))

    def _status(self) -> ResponseStatus | None:
        rng = self.rng
        if rng.random() >= ANSWERED:
            return None
        draw = rng.random()
        if draw < SUBMITTED_SHARE:
            return ResponseStatus.SUBMITTED
        return ResponseStatus.DRAFT if draw < SUBMITTED_SHARE + DRAFT_SHARE \
            else ResponseStatus.RETURNED

    def _levels(self, profile: _Profile, year_index: int) -> dict[int, int | None]:
        rng, levels = self.rng, {}
        for component_id, offset in zip(self.ref.component_ids, profile.offsets, strict=True):
            value = profile.base + offset + profile.slope * year_index + rng.gauss(0, 0.4)
            levels[component_id] = None if rng.random() < MISSING_LEVEL \
                else min(4, max(0, round(value)))
        return levels

    def add(self, organisation: dict, profile: _Profile, year_index: int) -> None:
        status = self._status()
        if status is None:
            return
        self.statuses[status] += 1
        rng, t = self.rng, self.tables
        response_id = self.writer.take_id(Response)
        created = self._day(self.opens, self.deadline - dt.timedelta(days=14))
        edited = self._day(created, self.deadline)
        areas = rng.sample(list(self.ref.area_names), rng.randint(0, 5))
        answers = []
        for question in self.questions:
            body = self.texts.answer()
            answers.append({"id": self.writer.take_id(Answer), "response_id": response_id,
                            "question_id": question.id, "updated_by_id": None,
                            **saved_answer_values(body, _at(edited, 11))})
        levels = self._levels(profile, year_index)
        submitted = self._day(edited, self.deadline) if status != ResponseStatus.DRAFT else None
        t[Response].append({
            "id": response_id, "round_id": self.round_id, "organisation_id": organisation["id"],
            "status": status, "tags_version": 1 if areas else 0,
            "created_at": _at(created, 8), "updated_at": _at(submitted or edited, 13),
            "submitted_at": _at(submitted, 9) if submitted else None})
        t[Answer].extend(answers)
        t[AnswerRevision].extend({
            "id": self.writer.take_id(AnswerRevision), "answer_id": answer["id"],
            **answer_revision_values(answer["version"], answer["text"], answer["updated_at"])}
            for answer in answers)
        t[SelfAssessment].extend({
            "id": self.writer.take_id(SelfAssessment), "response_id": response_id,
            "component_id": component_id, "level": level, "evidence": "",
            "version": 0 if level is None else 1, "updated_at": _at(edited, 14),
            "updated_by_id": None} for component_id, level in levels.items())
        t[response_rights_area].extend({"response_id": response_id, "rights_area_id": area}
                                       for area in areas)
        self._event(response_id, EventKind.CREATED, _at(created, 8))
        if submitted is None:
            return
        submission_id = self._submit(organisation, response_id, submitted, answers, levels,
                                     areas)
        if status == ResponseStatus.RETURNED:
            returned = self._day(submitted, self.deadline)
            self._event(response_id, EventKind.RETURNED, _at(returned, 10),
                        reason=self.texts.return_reason())
            return
        draw = rng.random()
        if draw < ASSESSED + DRAFT_ASSESSED:
            self._assess(response_id, submission_id, submitted, answers, levels, areas,
                         done=draw < ASSESSED)

    def _event(self, response_id: int, kind: EventKind, at: dt.datetime, reason: str = "",
               submission_id: int | None = None) -> None:
        self.tables[ResponseEvent].append({
            "id": self.writer.take_id(ResponseEvent), "response_id": response_id, "kind": kind,
            "at": at, "user_id": None, "reason": reason, "submission_id": submission_id})

    def _submit(self, organisation: dict, response_id: int, submitted: dt.date,
                answers: list[dict], levels: dict, areas: list[int]) -> int:
        """Submission number 1 with its snapshot, built as the responses service builds it."""
        submission_id = self.writer.take_id(Submission)
        decided = max(submitted - dt.timedelta(days=self.rng.randint(1, 10)), self.opens)
        bolag = organisation["kind"] == OrganisationKind.BOLAG
        body = DecisionBody.STYRELSE if bolag else self.rng.choices(
            [DecisionBody.NAMND, DecisionBody.ARBETSUTSKOTT, DecisionBody.DELEGATION],
            [85, 10, 5])[0]
        codes = self.ref.component_codes
        content = submission_content(
            (self.round_id, self.title, self.year),
            (organisation["id"], organisation["name"], organisation["short_name"]),
            [(q.key, q.text, a["text"], a["version"])
             for q, a in zip(self.questions, answers, strict=True)],
            [(codes[c][0], codes[c][1], lv, "") for c, lv in levels.items()],
            [self.ref.area_names[a] for a in sorted(areas)])
        case_number = f"{SHORT_PREFIX}-{decided.year}-{organisation['id']}"
        self.tables[Submission].append({
            "id": submission_id, "response_id": response_id, **first_submission_values(
                _at(submitted, 9), body, decided, case_number, content)})
        self._event(response_id, EventKind.SUBMITTED, _at(submitted, 9),
                    submission_id=submission_id)
        return submission_id

    def _assessed_level(self, own: int | None, profile_guess: int) -> int:
        """Near the self-assessment, more often lower than higher."""
        start = profile_guess if own is None else own
        step = self.rng.choices([0, -1, 1, -2], [55, 30, 10, 5])[0]
        return min(4, max(0, start + step))

    def _assess(self, response_id: int, submission_id: int, submitted: dt.date,
                answers: list[dict], levels: dict, areas: list[int], done: bool) -> None:
        rng, t = self.rng, self.tables
        assessment_id = self.writer.take_id(Assessment)
        begun = _at(self._day(submitted, submitted + dt.timedelta(days=30)), 10)
        completed = _at(min(begun.date() + dt.timedelta(days=rng.randint(0, 40)), self.today),
                        15) if done else None
        # A draft has been saved once (levels, justifications, a quote): version 1.
        t[Assessment].append({
            "id": assessment_id, "response_id": response_id, "submission_id": submission_id,
            **(done_assessment_values(self.analyst_id, begun, completed) if done
               else started_assessment_values(self.analyst_id, begun) | {"version": 1})})
        present = [lv for lv in levels.values() if lv is not None]
        guess = round(sum(present) / len(present)) if present else 1
        t[AssessmentScore].extend({
            "id": self.writer.take_id(AssessmentScore), "assessment_id": assessment_id,
            **score_values(component_id, self._assessed_level(own, guess),
                           self.texts.justification())} for component_id, own in levels.items())
        answer = rng.choice(answers)
        start, end = self.texts.quote_span(answer["text"])
        t[EvidenceQuote].append({
            "id": self.writer.take_id(EvidenceQuote), "assessment_id": assessment_id,
            **quote_values(answer["id"], answer["text"], start, end, "component_id",
                           rng.choice(self.ref.component_ids), self.analyst_id, begun)})
        chosen = set(rng.sample(areas, min(len(areas), rng.randint(0, 3))))
        if rng.random() < 0.3:
            chosen.add(rng.choice(list(self.ref.area_names)))
        t[assessment_rights_area].extend({"assessment_id": assessment_id, "rights_area_id": a}
                                         for a in sorted(chosen))
        tags = rng.sample(self.ref.tag_ids, rng.randint(0, min(3, len(self.ref.tag_ids))))
        t[assessment_tag].extend({"assessment_id": assessment_id, "tag_id": tag} for tag in tags)
