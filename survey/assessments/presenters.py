"""What the assessment page shows: answers split at quote offsets, components with their
self-assessment, level, justification, quotes and text suggestions."""

from __future__ import annotations

from dataclasses import dataclass, field

from survey.assessments.models import Assessment, EvidenceQuote, Tag, TagKind
from survey.assessments.services import target_spec
from survey.reference.models import Component, RightsArea
from survey.responses.models import Answer, Response, Submission


@dataclass
class Segment:
    text: str
    quotes: list[EvidenceQuote]

    @property
    def label(self) -> str:
        return "Belägg för " + ", ".join(target_name(q) for q in self.quotes)

    @property
    def css(self) -> str:
        codes = {q.component.code.lower() for q in self.quotes if q.component is not None}
        return "quote quote-" + (codes.pop() if len(codes) == 1 else "mixed")


@dataclass
class SuggestionRow:
    answer: Answer
    position: int
    start: int
    end: int
    text: str
    level: int | None
    target: str
    used: bool

    @property
    def value(self) -> str:
        return f"{self.answer.id}:{self.start}:{self.end}:{self.target}"


@dataclass
class AnswerRow:
    answer: Answer
    position: int
    question_text: str
    text: str
    segments: list[Segment]


@dataclass
class ComponentRow:
    component: Component
    level: int | None
    justification: str
    self_level: int | None
    self_evidence: str
    quotes: list[EvidenceQuote]
    suggestions: list[SuggestionRow] = field(default_factory=list)
    conflict: dict | None = None


def target_name(quote: EvidenceQuote) -> str:
    if quote.component is not None:
        return quote.component.name
    if quote.rights_area is not None:
        return quote.rights_area.name
    return quote.tag.name


def split_at_quotes(text: str, quotes: list[EvidenceQuote]) -> list[Segment]:
    """The text cut at every quote boundary; each piece knows the quotes that cover it."""
    cuts = sorted({0, len(text)} | {min(max(q.start, 0), len(text)) for q in quotes}
                  | {min(max(q.end, 0), len(text)) for q in quotes})
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [q for q in quotes if q.start <= start and end <= q.end]
        segments.append(Segment(text[start:end], covering))
    return segments


def texts_by_answer(response: Response, submission: Submission | None) -> dict[int, str]:
    content = submission.content if submission is not None else {"answers": []}
    by_key = {a["key"]: a["text"] for a in content.get("answers", [])}
    return {a.id: by_key.get(a.question.key, "") for a in response.answers}


def answer_rows(response: Response, assessment: Assessment | None) -> list[AnswerRow]:
    submission = assessment.submission if assessment else response.latest_submission
    texts = texts_by_answer(response, submission)
    quotes = assessment.quotes if assessment else []
    rows = []
    for question in response.round.questions:
        answer = response.answer_for(question)
        if answer is None:
            continue
        text = texts.get(answer.id, "")
        mine = [q for q in quotes if q.answer_id == answer.id]
        rows.append(AnswerRow(answer, question.position, question.text, text,
                              split_at_quotes(text, mine)))
    return rows


def _suggest():
    try:
        from survey.suggestions.engine import suggest
    except ImportError:  # the suggestion module is optional for the page
        return None
    return suggest


def suggestions(rows: list[AnswerRow], assessment: Assessment | None,
                areas: list[RightsArea]) -> dict[str, list[SuggestionRow]] | None:
    """Suggested passages per target (component code or "area-<id>"); None if unavailable."""
    suggest = _suggest()
    if suggest is None:
        return None
    used = {(q.answer_id, q.start, q.end, target_spec(q))
            for q in (assessment.quotes if assessment else [])}
    area_ids = {a.name: a.id for a in areas}
    grouped: dict[str, list[SuggestionRow]] = {}
    for row in rows:
        if not row.text.strip():
            continue
        for s in suggest(row.text):
            targets = list(s.components) + [
                f"area-{area_ids[name]}" for name in s.rights_areas if name in area_ids]
            for target in targets:
                grouped.setdefault(target, []).append(SuggestionRow(
                    row.answer, row.position, s.start, s.end, s.text, s.level, target,
                    (row.answer.id, s.start, s.end, target) in used))
    return grouped


def assessment_component_rows(response: Response, assessment: Assessment | None,
                              all_components: list[Component], posted=None,
                              conflict=None) -> list[ComponentRow]:
    selves = {s.component_id: s for s in response.self_assessments}
    quotes = assessment.quotes if assessment else []
    rows = []
    for component in all_components:
        score = assessment.score_for(component) if assessment else None
        level = score.level if score else None
        justification = score.justification if score else ""
        if posted is not None:
            level = posted.levels.get(component.code, level)
            justification = posted.justifications.get(component.code, justification)
        own = selves.get(component.id)
        stored = None
        if conflict is not None:
            stored = {"level": conflict.levels.get(component.code),
                      "justification": conflict.justifications.get(component.code, "")}
            if stored == {"level": level, "justification": justification}:
                stored = None
        rows.append(ComponentRow(
            component, level, justification, own.level if own else None,
            own.evidence if own else "",
            [q for q in quotes if q.component_id == component.id],
            conflict=stored,
        ))
    return rows


def tag_groups(tags: list[Tag]) -> list[tuple[str, list[Tag]]]:
    return [
        ("Principer", [t for t in tags if t.kind == TagKind.PRINCIPLE]),
        ("Hinder (fråga 2)", [t for t in tags if t.kind == TagKind.BARRIER]),
    ]


def section_id(target: Component | RightsArea | Tag) -> str:
    """The id of the assessment page's section that shows evidence for this target: the
    component's fieldset, the rights areas' fieldset, or the fieldset of the tag's kind.
    The page's redirects after a quote carry it as their fragment (views.assess)."""
    if isinstance(target, Component):
        return f"component-{target.code}"
    if isinstance(target, RightsArea):
        return "assess-rights-areas"
    return f"assess-tags-{target.kind.value}"


def quote_section_id(quote: EvidenceQuote) -> str:
    return section_id(quote.component or quote.rights_area or quote.tag)
