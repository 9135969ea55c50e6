"""Questionnaire definitions: TOML files beside this module, loaded with tomllib."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from survey.questionnaires.models import QuestionType

DEFINITIONS_DIR = Path(__file__).with_name("definitions")


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
    if qtype == QuestionType.CHOICE and not question.choices:
        raise DefinitionError(f"{source}: choice question {question.key!r} lists no choices")
    return question


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
