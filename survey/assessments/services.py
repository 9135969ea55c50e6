"""Operations on an analyst's assessment: start, save with optimistic locking, quotes, done.

Each operation checks the assessment may change, bumps its version with a conditional
UPDATE (`… WHERE version = :seen`), writes an AssessmentRevision snapshot and an audit
entry, and flushes; the view commits. Quotes point into an answer's text *as submitted*
(the Submission snapshot the assessment read), never into the live text, which may change
after the response is returned for completion.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.accounts.models import User
from survey.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentRevision,
    AssessmentScore,
    AssessmentStatus,
    EvidenceQuote,
    Tag,
)
from survey.assessments.rights_areas import organisation_areas
from survey.audit.services import record
from survey.database import update_if_unchanged, utcnow
from survey.extensions import db
from survey.reference.models import Component, RightsArea
from survey.reference.services import components
from survey.responses.models import Answer, Response

MAX_JUSTIFICATION_LENGTH = 5000
#: What a quote is evidence for, by the column that names it.
QUOTE_TARGET_COLUMNS = {Component: "component_id", RightsArea: "rights_area_id", Tag: "tag_id"}


class ScoringError(ValueError):
    """An operation the assessment's state does not allow; Swedish message for the user."""


class AssessmentNotEditable(ScoringError):
    pass


@dataclass
class AssessmentConflict(Exception):
    """The assessment was saved (in another tab) since the analyst's edit began."""

    current_version: int
    levels: dict[str, int | None]
    justifications: dict[str, str]
    updated_at: dt.datetime | None


# --- reading ------------------------------------------------------------------

def find_assessment(response: Response, analyst: User) -> Assessment | None:
    return db.session.scalar(select(Assessment).filter_by(
        response_id=response.id, analyst_id=analyst.id, kind=AssessmentKind.INDEPENDENT))


def submitted_texts(assessment: Assessment) -> dict[int, str]:
    """Each answer's text as it stood in the assessed submission, by answer id."""
    by_key = {a["key"]: a["text"] for a in assessment.submission.content.get("answers", [])}
    return {a.id: by_key.get(a.question.key, "") for a in assessment.response.answers}


def snapshot(assessment: Assessment) -> dict:
    return {
        "submission_id": assessment.submission_id,
        "status": assessment.status.value,
        "levels": {s.component.code: s.level for s in assessment.scores},
        "justifications": {s.component.code: s.justification for s in assessment.scores},
        "quotes": [
            {"answer_id": q.answer_id, "start": q.start, "end": q.end, "text": q.text,
             "target": target_spec(q), "from_suggestion": q.from_suggestion}
            for q in assessment.quotes
        ],
        "rights_areas": [a.id for a in assessment.rights_areas],
        "tags": [t.id for t in assessment.tags],
    }


def target_spec(quote: EvidenceQuote) -> str:
    """The quote's target as a form value: component code, "area-<id>" or "tag-<id>"."""
    if quote.component_id is not None:
        return quote.component.code
    if quote.rights_area_id is not None:
        return f"area-{quote.rights_area_id}"
    return f"tag-{quote.tag_id}"


def resolve_target(spec: str) -> Component | RightsArea | Tag:
    spec = (spec or "").strip()
    target = None
    for prefix, model in (("area-", RightsArea), ("tag-", Tag)):
        if spec.startswith(prefix) and spec[len(prefix):].isdigit():
            target = db.session.get(model, int(spec[len(prefix):]))
            break
    else:
        target = db.session.scalar(select(Component).filter_by(code=spec))
    if target is None:
        raise ScoringError("Välj vad passagen är belägg för.")
    return target


# --- changing -----------------------------------------------------------------

def _require_analyst(user: User) -> None:
    if not user.is_analyst:
        raise PermissionError("Bara stadskontorets analytiker kan bedöma svar.")


def _check_editable(assessment: Assessment) -> None:
    if assessment.is_out_of_date:
        raise AssessmentNotEditable(
            "Bedömningen gäller en äldre version av svaret och kan inte ändras.")
    if assessment.status == AssessmentStatus.DONE:
        raise AssessmentNotEditable(
            "Bedömningen är markerad som klar. Öppna den igen för att ändra.")


def _bump(assessment: Assessment, seen_version: int) -> None:
    """Claim the next version, or raise AssessmentConflict with what is stored now."""
    if not update_if_unchanged(assessment, Assessment.version, seen_version,
                               updated_at=utcnow()):
        raise AssessmentConflict(assessment.version,
                       {s.component.code: s.level for s in assessment.scores},
                       {s.component.code: s.justification for s in assessment.scores},
                       assessment.updated_at)


#: The audit event of each revision action (its first word: "moved to submission 3").
REVISION_EVENTS = {
    "save": "assessment.save",
    "quote": "assessment.quote",
    "unquote": "assessment.unquote",
    "done": "assessment.done",
    "reopen": "assessment.reopen",
    "moved": "assessment.moved",
}


def _revise(assessment: Assessment, user: User, action: str, detail: str = "") -> None:
    db.session.flush()
    db.session.expire(assessment, ["quotes", "scores", "rights_areas", "tags"])
    db.session.add(AssessmentRevision(assessment_id=assessment.id, version=assessment.version,
                                      content=snapshot(assessment), action=action,
                                      user_id=user.id))
    record(REVISION_EVENTS[action.split(" ")[0]], obj=assessment,
           organisation_id=assessment.response.organisation_id, user=user,
           detail=f"version {assessment.version}{', ' + detail if detail else ''}")
    db.session.flush()


def start_assessment(response: Response, analyst: User) -> Assessment:
    """The analyst's own independent assessment of the response, created if needed."""
    _require_analyst(analyst)
    existing = find_assessment(response, analyst)
    if existing is not None:
        return existing
    latest = response.latest_submission
    if latest is None:
        raise ScoringError("Svaret har inte skickats in och kan inte bedömas ännu.")
    # The analyst's rights areas start from the organisation's own (rights_areas.py):
    # an assessment marked done without touching them must not count the response as
    # addressing none.
    assessment = Assessment(response_id=response.id, submission_id=latest.id,
                            rights_areas=organisation_areas(latest),
                            **started_assessment_values(analyst.id, utcnow()))
    for component in components():
        assessment.scores.append(AssessmentScore(**score_values(component.id)))
    try:
        with db.session.begin_nested():
            db.session.add(assessment)
    except IntegrityError:
        return find_assessment(response, analyst)  # started in another tab at once
    record("assessment.start", obj=assessment, organisation_id=response.organisation_id,
           user=analyst, detail=f"inlämning {latest.number}")
    return assessment


def save_assessment(assessment: Assessment, seen_version: int, user: User,
                    levels: dict[str, int | None], justifications: dict[str, str],
                    rights_area_ids: list[int], tag_ids: list[int]) -> Assessment:
    """Save levels, justifications and tags if nobody saved since `seen_version`."""
    _require_analyst(user)
    justifications = {code: text.replace("\r\n", "\n").strip()
                      for code, text in justifications.items()}
    for code, level in levels.items():
        if level is not None and not 0 <= level <= 4:
            raise ScoringError(f"Nivån för {code} ska vara mellan 0 och 4.")
    for code, text in justifications.items():
        if len(text) > MAX_JUSTIFICATION_LENGTH:
            raise ScoringError(
                f"Motiveringen för {code} får vara högst {MAX_JUSTIFICATION_LENGTH} tecken.")
    areas = list(db.session.scalars(select(RightsArea).where(RightsArea.id.in_(rights_area_ids))))
    tags = list(db.session.scalars(select(Tag).where(Tag.id.in_(tag_ids))))
    if len(areas) != len(set(rights_area_ids)) or len(tags) != len(set(tag_ids)):
        raise ScoringError("Okänt rättighetsområde eller okänd tagg.")
    scores = {s.component.code: s for s in assessment.scores}
    if set(levels) - set(scores) or set(justifications) - set(scores):
        raise ScoringError("Okänd komponent.")
    unchanged = (
        all(scores[c].level == v for c, v in levels.items())
        and all(scores[c].justification == v for c, v in justifications.items())
        and {a.id for a in assessment.rights_areas} == {a.id for a in areas}
        and {t.id for t in assessment.tags} == {t.id for t in tags}
    )
    if unchanged and assessment.version == seen_version:
        return assessment  # nothing changed: no revision
    _check_editable(assessment)
    _bump(assessment, seen_version)
    for code, level in levels.items():
        scores[code].level = level
    for code, text in justifications.items():
        scores[code].justification = text
    assessment.rights_areas = sorted(areas, key=lambda a: a.position)
    assessment.tags = sorted(tags, key=lambda t: (t.kind.value, t.position))
    _revise(assessment, user, "save")
    return assessment


def add_quote(assessment: Assessment, answer: Answer, start: int, end: int, target: str,
              user: User, from_suggestion: bool = False) -> EvidenceQuote:
    """Mark text[start:end] of the answer (as submitted) as evidence for the target."""
    _require_analyst(user)
    _check_editable(assessment)
    if answer.response_id != assessment.response_id:
        raise ScoringError("Svaret hör inte till denna bedömning.")
    text = submitted_texts(assessment)[answer.id]
    if not 0 <= start < end <= len(text):
        raise ScoringError(
            f"Markeringen ({start}–{end}) ligger utanför svarets text, som har {len(text)} "
            "tecken. Markera en passage i svaret och försök igen.")
    resolved = resolve_target(target)
    column = QUOTE_TARGET_COLUMNS[type(resolved)]
    if any(q.answer_id == answer.id and q.start == start and q.end == end
           and getattr(q, column) == resolved.id for q in assessment.quotes):
        raise ScoringError("Passagen är redan belägg för detta.")
    _bump(assessment, assessment.version)
    quote = EvidenceQuote(assessment_id=assessment.id, **quote_values(
        answer.id, text, start, end, column, resolved.id, user.id, utcnow(), from_suggestion))
    db.session.add(quote)
    _revise(assessment, user, "quote", f"{end - start} tecken")
    return quote


def remove_quote(quote: EvidenceQuote, user: User) -> None:
    _require_analyst(user)
    assessment = quote.assessment
    _check_editable(assessment)
    _bump(assessment, assessment.version)
    db.session.delete(quote)
    _revise(assessment, user, "unquote")


def missing_levels(assessment: Assessment) -> list[Component]:
    return [s.component for s in sorted(assessment.scores, key=lambda s: s.component.position)
            if s.level is None]


def mark_done(assessment: Assessment, user: User) -> Assessment:
    _require_analyst(user)
    _check_editable(assessment)
    missing = missing_levels(assessment)
    if missing:
        raise ScoringError("Nivå saknas för " + ", ".join(
            f"{c.name} ({c.code})" for c in missing) + ". Välj en nivå för alla sju komponenter.")
    _bump(assessment, assessment.version)
    assessment.status = AssessmentStatus.DONE
    assessment.completed_at = utcnow()
    _revise(assessment, user, "done")
    return assessment


def reopen_assessment(assessment: Assessment, user: User) -> Assessment:
    _require_analyst(user)
    if assessment.status != AssessmentStatus.DONE:
        raise ScoringError("Bedömningen är inte markerad som klar.")
    if assessment.is_out_of_date:
        raise AssessmentNotEditable("Bedömningen gäller en äldre version av svaret.")
    _bump(assessment, assessment.version)
    assessment.status = AssessmentStatus.DRAFT
    assessment.completed_at = None
    _revise(assessment, user, "reopen")
    return assessment


def can_move(assessment: Assessment) -> bool:
    response = assessment.response
    latest = response.latest_submission
    return (response.status.value == "submitted" and latest is not None
            and latest.id != assessment.submission_id)


def move_to_latest_submission(assessment: Assessment, user: User) -> Assessment:
    """Assess the new version: keep levels and texts, keep quotes still found in place."""
    _require_analyst(user)
    if not can_move(assessment):
        raise ScoringError("Det finns ingen ny inskickad version att bedöma.")
    latest = assessment.response.latest_submission
    _bump(assessment, assessment.version)
    assessment.submission_id = latest.id
    db.session.flush()
    db.session.expire(assessment, ["submission"])
    texts = submitted_texts(assessment)
    dropped = 0
    for quote in list(assessment.quotes):
        if texts.get(quote.answer_id, "")[quote.start:quote.end] != quote.text:
            db.session.delete(quote)
            dropped += 1
    assessment.status = AssessmentStatus.DRAFT
    assessment.completed_at = None
    _revise(assessment, user, f"moved to submission {latest.number}",
            f"{dropped} belägg togs bort")
    return assessment


# --- the shape of an assessment -------------------------------------------------
# What starting, scoring, quoting and finishing leave in the tables, as plain values: the
# services build their rows from them, and so does the bulk writer of demo/synthetic.py.
# The response, submission and assessment ids are the caller's.

def started_assessment_values(analyst_id: int, at: dt.datetime) -> dict:
    """An analyst's independent assessment as starting it at `at` leaves it: a draft, not
    yet saved."""
    return {"analyst_id": analyst_id, "kind": AssessmentKind.INDEPENDENT,
            "status": AssessmentStatus.DRAFT, "version": 0, "created_at": at,
            "updated_at": at, "completed_at": None}


def done_assessment_values(analyst_id: int, begun: dt.datetime,
                           completed: dt.datetime) -> dict:
    """An independent assessment recorded as done in one step (its first version), begun at
    `begun` and completed at `completed`."""
    return started_assessment_values(analyst_id, begun) | {
        "status": AssessmentStatus.DONE, "version": 1, "updated_at": completed,
        "completed_at": completed}


def score_values(component_id: int, level: int | None = None, justification: str = "") -> dict:
    """One component's score: empty as starting an assessment makes it, or as given."""
    return {"component_id": component_id, "level": level, "justification": justification}


def quote_values(answer_id: int, submitted_text: str, start: int, end: int, column: str,
                 target_id: int, created_by_id: int | None, at: dt.datetime,
                 from_suggestion: bool = False) -> dict:
    """Evidence quote text[start:end] of an answer as submitted, for the target named by
    `column` (one of QUOTE_TARGET_COLUMNS' values) and `target_id`; the others stay empty."""
    return {"answer_id": answer_id, "start": start, "end": end,
            "text": submitted_text[start:end],
            **dict.fromkeys(QUOTE_TARGET_COLUMNS.values()), column: target_id,
            "from_suggestion": from_suggestion, "created_by_id": created_by_id,
            "created_at": at}


def record_done_assessment(response: Response, levels: dict[str, int], analyst: User,
                           action: str = "import") -> Assessment:
    """The analyst's independent assessment of the latest submission, recorded as done now
    with the given levels by component code (a score row per component, as starting an
    assessment makes; the levels not given stay empty), and its first revision. Flushes."""
    now = utcnow()
    assessment = Assessment(response_id=response.id,
                            submission_id=response.latest_submission.id,
                            **done_assessment_values(analyst.id, now, now))
    for component in components():
        assessment.scores.append(AssessmentScore(**score_values(component.id,
                                                                levels.get(component.code))))
    db.session.add(assessment)
    db.session.flush()
    db.session.add(AssessmentRevision(assessment_id=assessment.id, version=1,
                                      content=snapshot(assessment), action=action,
                                      user_id=analyst.id))
    db.session.flush()
    return assessment
