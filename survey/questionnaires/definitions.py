"""Questionnaire definitions: TOML files beside this module, loaded with tomllib."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from survey.questionnaires.models import QuestionType

DEFINITIONS_DIR = Path(__file__).with_name("definitions")
#: The annual special question (särskild fråga): the dashboards' and the annex's questionnaire.
SPECIAL_QUESTION = "sarskild-fraga"
CHOICE_TYPES = frozenset({QuestionType.CHOICE, QuestionType.MULTI_CHOICE})


@dataclass(frozen=True)
class QuestionDefinition:
    key: str
    order: int
    text: str
    type: QuestionType
    guidance: str = ""
    required: bool = True
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionnaireDefinition:
    key: str
    title: str
    introduction: str
    self_assessment: bool
    rights_areas: bool
    #: One report per piece of work, several per organisation and round (Round.several_reports).
    several_reports: bool = False
    questions: tuple[QuestionDefinition, ...] = field(default_factory=tuple)


class DefinitionError(ValueError):
    pass


def _question(raw: dict, source: str) -> QuestionDefinition:
    try:
        qtype = QuestionType(raw["type"])
    except (KeyError, ValueError) as exc:
        raise DefinitionError(f"{source}: question {raw.get('key')!r} has no valid type") from exc
    question = QuestionDefinition(
        key=raw["key"],
        order=int(raw["order"]),
        text=raw["text"].strip(),
        type=qtype,
        guidance=raw.get("guidance", "").strip(),
        required=bool(raw.get("required", True)),
        min_length=raw.get("min_length"),
        max_length=raw.get("max_length"),
        choices=tuple(raw.get("choices", ())),
    )
    _check_choices(question, source)
    return question


def _check_choices(question: QuestionDefinition, source: str) -> None:
    """Choices only where they are asked, each once and on one line: a multi-choice
    answer stores its options one per line."""
    name = f"{source}: question {question.key!r}"
    if question.type not in CHOICE_TYPES:
        if question.choices:
            raise DefinitionError(f"{name} is of type {question.type.value} and takes no choices")
        return
    if not question.choices:
        raise DefinitionError(f"{name} lists no choices")
    if len(set(question.choices)) != len(question.choices):
        raise DefinitionError(f"{name} lists a choice twice")
    for choice in question.choices:
        if not isinstance(choice, str) or not choice.strip() or choice != choice.strip() \
                or "\n" in choice:
            raise DefinitionError(f"{name} has an empty or multi-line choice: {choice!r}")


def load_definition(path: Path) -> QuestionnaireDefinition:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    questions = tuple(
        sorted((_question(q, path.name) for q in raw.get("questions", [])), key=lambda q: q.order)
    )
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        raise DefinitionError(f"{path.name}: question keys are not unique")
    return QuestionnaireDefinition(
        key=raw["key"],
        title=raw["title"],
        introduction=raw.get("introduction", "").strip(),
        self_assessment=bool(raw.get("self_assessment", False)),
        rights_areas=bool(raw.get("rights_areas", False)),
        several_reports=bool(raw.get("several_reports", False)),
        questions=questions,
    )


def all_definitions() -> dict[str, QuestionnaireDefinition]:
    definitions = {}
    for path in sorted(DEFINITIONS_DIR.glob("*.toml")):
        definition = load_definition(path)
        definitions[definition.key] = definition
    return definitions


def get_definition(key: str) -> QuestionnaireDefinition:
    try:
        return all_definitions()[key]
    except KeyError:
        raise DefinitionError(f"okänt frågeformulär: {key}") from None
