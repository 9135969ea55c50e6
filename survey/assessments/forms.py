"""The assessment form.

It has one level and one justification per component, checkboxes for rights areas and
tags, and several submit buttons (save, done, reopen, move, add a quote, accept a
suggestion, remove a quote), so it is parsed by `parse_assessment_form` rather than
declared; CSRFProtect checks its token like any post. One form for everything means a
quote added or removed never loses unsaved levels or justifications.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from survey.inputs import parse_int

ACTIONS = {"save", "done", "reopen", "move"}


class AssessmentFormDataError(ValueError):
    """A post no page of ours would send (tampered or truncated): 400."""


@dataclass
class QuoteRequest:
    answer_id: int
    start: int
    end: int
    target: str
    from_suggestion: bool = False


@dataclass
class PostedAssessment:
    action: str
    seen_version: int
    levels: dict[str, int | None] = field(default_factory=dict)
    justifications: dict[str, str] = field(default_factory=dict)
    rights_area_ids: list[int] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    quote: QuoteRequest | None = None
    remove_quote_id: int | None = None


def _int(value: str | None, optional: bool = False) -> int | None:
    value = (value or "").strip()
    if optional and value == "":
        return None
    number = parse_int(value)
    if number is None:
        raise AssessmentFormDataError(value[:20])
    return number


def _offset(value: str | None) -> int:
    """Offsets the analyst may type in by hand: a bad one is a user error, not a 400."""
    number = parse_int(value or "")
    return -1 if number is None else number


def parse_assessment_form(form: MultiDict, codes: list[str]) -> PostedAssessment:
    action = "save"
    if form.get("remove_quote"):
        action = "remove_quote"
    elif form.get("suggestion"):
        action = "suggestion"
    elif form.get("quote_answer"):
        action = "quote"
    elif form.get("action") in ACTIONS:
        action = form["action"]
    posted = PostedAssessment(action=action, seen_version=_int(form.get("version")))
    for code in codes:
        if f"level-{code}" in form:
            level = _int(form.get(f"level-{code}"), optional=True)
            posted.levels[code] = level
        if f"justification-{code}" in form:
            posted.justifications[code] = form.get(f"justification-{code}", "")
    posted.rights_area_ids = [_int(v) for v in form.getlist("rights_area")]
    posted.tag_ids = [_int(v) for v in form.getlist("tag")]
    if action == "quote":
        answer_id = _int(form.get("quote_answer"))
        posted.quote = QuoteRequest(answer_id, _offset(form.get(f"start-{answer_id}")),
                                    _offset(form.get(f"end-{answer_id}")),
                                    form.get(f"target-{answer_id}", ""))
    elif action == "suggestion":
        parts = form["suggestion"].split(":", 3)
        if len(parts) != 4:
            raise AssessmentFormDataError(form["suggestion"])
        posted.quote = QuoteRequest(_int(parts[0]), _int(parts[1]), _int(parts[2]), parts[3],
                                    from_suggestion=True)
    elif action == "remove_quote":
        posted.remove_quote_id = _int(form.get("remove_quote"))
    return posted
