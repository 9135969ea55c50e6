"""Factories of what the figures are made of: submitted responses, development-work reports
and assessments.

`submitted_response`, `filed_report` and `assess` go through the respondents' and analysts'
services;
`make_assessment` writes the rows directly, for assessments in states the services do not
produce in one step (a given kind, status or completion time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from survey.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentScore,
    AssessmentStatus,
    Tag,
)
from survey.assessments.services import add_quote, mark_done, save_assessment, start_assessment
from survey.extensions import db
from survey.reference.models import Component, RightsArea
from survey.responses.models import DecisionBody
from survey.responses.services import (
    add_report,
    return_for_completion,
    save_answer,
    save_rights_areas,
    start_response,
    submit,
)

CODES = ("MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP")
T0 = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)


def components_by_code() -> dict[str, Component]:
    return {c.code: c for c in db.session.scalars(select(Component))}


def area_ids(*names: str) -> list[int]:
    by_name = {a.name: a.id for a in db.session.scalars(select(RightsArea))}
    return [by_name[name] for name in names]


def tag_ids(*names: str) -> list[int]:
    """Barrier and principle tags by name (the reference data names no two alike)."""
    by_name = {t.name: t.id for t in db.session.scalars(select(Tag))}
    return [by_name[name] for name in names]


def submitted_response(round_, org, user, self_levels: dict[str, int] | None = None,
                       text: str = "Vi arbetar systematiskt med policyn.", *,
                       texts: Sequence[str] | None = None, areas: tuple[str, ...] = (),
                       submitted: bool = True, case_number: str | None = None):
    """The organisation's response through the respondent's services: every question answered
    (`texts` one per question, or `text` everywhere), self-assessed levels (by code),
    rights-area tags; submitted (case number `<short name>-2024-123` unless given), or left a
    draft with `submitted=False`."""
    response = start_response(round_, org, user)
    db.session.flush()
    texts = [text] * len(round_.questions) if texts is None else texts
    for question, answer_text in zip(round_.questions, texts, strict=True):
        save_answer(response, question, answer_text, response.answer_for(question).version, user)
    by_id = {c.id: c.code for c in components_by_code().values()}
    for row in response.self_assessments:
        row.level = (self_levels or {}).get(by_id[row.component_id])
    if areas:
        save_rights_areas(response, area_ids(*areas), response.tags_version, user)
    if submitted:
        submit(response, user, DecisionBody.NAMND, dt.date(2024, 2, 1),
               case_number or f"{org.short_name}-2024-123")
    db.session.commit()
    return response


def filed_report(round_, org, user, name: str, areas: Sequence[str] = ("Antidiskriminering",),
                 granted: str = "400000", used: str = "167000", *,
                 text: str = "Redovisad text.", submitted: bool = True):
    """A development-work report of a grants round (seeds 001 and 003) through the
    respondents' services: the work's name, areas and amounts (as typed, e.g. "167 tkr"),
    `text` in every other answer; submitted (case number `<short name>-2024-17`) unless
    `submitted=False`."""
    texts = {"namn": name, "omraden": "\n".join(areas), "beviljat-ar": "2023",
             "beviljat-belopp": granted, "anvant-belopp": used, "ansvarig-chef": "Anna Chef",
             "underskrift-datum": "2024-02-01"}
    report = add_report(round_, org, user)
    db.session.flush()
    for question in round_.questions:
        save_answer(report, question, texts.get(question.key, text),
                    report.answer_for(question).version, user)
    if submitted:
        submit(report, user, DecisionBody.NAMND, dt.date(2024, 2, 1),
               f"{org.short_name}-2024-17")
    db.session.commit()
    return report


def give_back(response, analyst, reason: str = "Komplettera svaret."):
    """Return the submitted response to the respondent for completion."""
    return_for_completion(response, analyst, reason)
    db.session.commit()


def assess(response, analyst, levels: dict[str, int] | int, areas: tuple[str, ...] = (),
           done: bool = True, *, justification: str | None = None,
           quotes: dict[str, tuple[int, int]] | None = None, tags: tuple[str, ...] = ()):
    """An analyst's assessment through the scoring services: `levels` by code (int: all seven),
    a `justification` per level (a format string of `code`), rights areas, barrier and
    principle `tags` (by name), quotes (code: offsets) in question 1's answer; marked done
    (all seven levels needed) if `done`."""
    if isinstance(levels, int):
        levels = dict.fromkeys(CODES, levels)
    justifications = ({} if justification is None
                      else {code: justification.format(code=code) for code in levels})
    assessment = start_assessment(response, analyst)
    db.session.flush()
    save_assessment(assessment, assessment.version, analyst, levels, justifications,
                    area_ids(*areas), tag_ids(*tags))
    answer = response.answer_for(response.round.questions[0])
    for code, (start, end) in (quotes or {}).items():
        add_quote(assessment, answer, start, end, code, analyst)
    if done:
        mark_done(assessment, analyst)
    db.session.commit()
    return assessment


def make_assessment(response, analyst, levels: dict[str, int | None] | int, *,
                    kind=AssessmentKind.INDEPENDENT, status=AssessmentStatus.DONE,
                    completed_at=T0, justification="Motivering {code}."):
    """An assessment of the response's latest submission, written as rows; `levels` by code
    (int: all)."""
    comps = components_by_code()
    if isinstance(levels, int):
        levels = {code: levels for code in CODES}
    assessment = Assessment(
        response_id=response.id, submission_id=response.latest_submission.id,
        analyst_id=analyst.id, kind=kind, status=status,
        completed_at=completed_at if status == AssessmentStatus.DONE else None,
        scores=[AssessmentScore(component_id=comps[code].id, level=level,
                                justification=justification.format(code=code))
                for code, level in levels.items()],
    )
    db.session.add(assessment)
    db.session.commit()
    return assessment
