"""The demo analyst's finished assessments of the closed rounds, from assessments.toml.

They go through the real scoring services (start, save, quote, done) and publishing, so
they obey the same rules as an analyst's work; only the timestamps are moved afterwards,
so that each assessment looks done some weeks after the answer came in. Quotes are stored
as text in the data file and located in the submitted answer here: a passage that is not
found raises DemoDataError naming the organisation, so the data cannot silently rot.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from sqlalchemy import select

from survey.accounts.models import User
from survey.assessments.models import Assessment, AssessmentRevision, EvidenceQuote
from survey.assessments.publishing import publish_assessments
from survey.assessments.services import (
    ScoringError,
    add_quote,
    find_assessment,
    mark_done,
    save_assessment,
    start_assessment,
    submitted_texts,
)
from survey.extensions import db
from survey.organisations.services import by_short_name
from survey.questionnaires.models import Round
from survey.reference.models import RightsArea
from survey.responses.models import Answer, Response, ResponseStatus

ASSESSMENTS_FILE = Path(__file__).with_name("assessments.toml")
#: Publishing follows a week after the last assessment of the round was done.
PUBLISH_DAYS_AFTER = 7
#: The analyst worked on each assessment for a couple of days before marking it done.
WORKING_DAYS = 2


class DemoDataError(ValueError):
    """assessments.toml does not fit the demo answers (names the organisation and year)."""


def load_assessments(path: Path = ASSESSMENTS_FILE) -> dict:
    """{short name: {year (str): entry}} from assessments.toml."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def locate_quote(texts: dict[int, str], passage: str) -> tuple[int, int, int] | None:
    """(answer id, start, end) of the passage's first occurrence in the answers, or None."""
    for answer_id, text in sorted(texts.items()):
        start = text.find(passage)
        if start >= 0:
            return answer_id, start, start + len(passage)
    return None


def build_assessments(round_: Round, analyst: User, publish: bool,
                      data: dict | None = None) -> int:
    """Add the round's missing demo assessments (done); publish them if asked. How many added.

    Responses that already have this analyst's assessment, or are no longer submitted, are
    left alone, so running the demo build again adds nothing.
    """
    data = load_assessments() if data is None else data
    added: list[Assessment] = []
    for short_name, years in data.items():
        entry = years.get(str(round_.year))
        if entry is None:
            continue
        response = _response(round_, short_name)
        if response.status != ResponseStatus.SUBMITTED or find_assessment(response, analyst):
            continue
        added.append(_assess(response, analyst, entry, f"{short_name} {round_.year}"))
    if added and publish and round_.assessments_published_at is None:
        publish_assessments(round_, analyst)
        last = max(a.completed_at for a in added)
        round_.assessments_published_at = last + dt.timedelta(days=PUBLISH_DAYS_AFTER)
    db.session.flush()
    return len(added)


def _response(round_: Round, short_name: str) -> Response:
    organisation = by_short_name(short_name)
    response = None if organisation is None else db.session.scalar(
        select(Response).filter_by(round_id=round_.id, organisation_id=organisation.id))
    if response is None:
        raise DemoDataError(f"{short_name} {round_.year}: no demo response to assess.")
    return response


def _assess(response: Response, analyst: User, entry: dict, label: str) -> Assessment:
    try:
        assessment = start_assessment(response, analyst)
        save_assessment(assessment, assessment.version, analyst, entry["levels"],
                        entry["justification"], [a.id for a in response.rights_areas], [])
        texts = submitted_texts(assessment)
        for quote in entry.get("quotes", []):
            found = locate_quote(texts, quote["text"])
            if found is None:
                raise DemoDataError(f"{label}: quote not found in the answers: "
                                    f"{quote['text']!r}")
            answer = db.session.get(Answer, found[0])
            for target in _targets(quote, label):
                add_quote(assessment, answer, found[1], found[2], target, analyst)
        mark_done(assessment, analyst)
    except ScoringError as error:
        raise DemoDataError(f"{label}: {error}") from error
    _backdate(assessment, entry["completed_days"])
    return assessment


def _targets(quote: dict, label: str) -> list[str]:
    """The quote's component code, and its rights area as "area-<id>" when one is named."""
    targets = [quote["component"]]
    if "area" in quote:
        area_id = db.session.scalar(select(RightsArea.id).filter_by(name=quote["area"]))
        if area_id is None:
            raise DemoDataError(f"{label}: unknown rights area {quote['area']!r}.")
        targets.append(f"area-{area_id}")
    return targets


def _backdate(assessment: Assessment, completed_days: int) -> None:
    """Done `completed_days` after the submission, started a couple of days before."""
    submitted = assessment.submission.submitted_at
    done = submitted + dt.timedelta(days=completed_days, hours=5)
    started = done - dt.timedelta(days=WORKING_DAYS, hours=3)
    assessment.created_at = started
    assessment.updated_at = assessment.completed_at = done
    revisions = list(db.session.scalars(select(AssessmentRevision).filter_by(
        assessment_id=assessment.id).order_by(AssessmentRevision.version)))
    for revision in revisions:
        revision.created_at = started
    revisions[-1].created_at = done
    for quote in db.session.scalars(select(EvidenceQuote).filter_by(
            assessment_id=assessment.id)):
        quote.created_at = started
    db.session.flush()
