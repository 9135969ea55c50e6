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
    #: Whether the question asks for a person's name (the development-funds report's
    #: signing manager): the warning against names is not given for it.
    asks_for_name: bool = False


@dataclass(frozen=True)
class Wording:
    """How the answering pages speak of one response of the questionnaire (its [wording]
    table): the särskild fråga's "svaret", the development-funds report's "redovisningen"."""

    #: The response in the definite singular: "Skicka in svaret", "Tillbaka till svaret".
    noun: str
    #: The noun in the indefinite singular: "skriva i samma svar", "samma redovisning".
    indefinite: str
    #: The pronoun for the noun, which is also its gender: "det" (neuter), "den" (common).
    pronoun: str
    #: "Submitted" agreeing with the noun: "Svaret är inskickat", "Redovisningen är inskickad".
    submitted: str
    #: The submit page's button.
    submit_button: str
    #: The message after a successful submit.
    submitted_banner: str
    #: The submit page's paragraph above the decision fields.
    decision_intro: str
    #: The sentence ending the personal-data notice on the answer page.
    public_record: str

    @property
    def neuter(self) -> bool:
        """Whether adjectives take the neuter -t: "gemensamt" (svaret), "gemensam"."""
        return self.pronoun == "det"

    @property
    def Genitive(self) -> str:  # noqa: N802 - at the start of a caption
        """"Svarets", "Redovisningens": Swedish adds -s (neither noun ends in s)."""
        return self.Noun + "s"

    def agree(self, common: str, neuter: str) -> str:
        """The adjective agreeing with the noun: agree("sparad", "sparat")."""
        return neuter if self.neuter else common

    @property
    def Noun(self) -> str:  # noqa: N802 - the noun at the start of a sentence
        return self.noun[:1].upper() + self.noun[1:]


WORDING_FIELDS = tuple(Wording.__dataclass_fields__)


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
    wording: Wording | None = None


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
        asks_for_name=bool(raw.get("asks_for_name", False)),
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


def _wording(raw: dict, source: str) -> Wording | None:
    """Every text of the [wording] table, each a non-empty string. A definition without the
    table speaks as the särskild fråga does (survey.questionnaires.wording)."""
    table = raw.get("wording")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise DefinitionError(f"{source}: wording is not a table")
    texts = {}
    for name in WORDING_FIELDS:
        value = table.get(name)
        if not isinstance(value, str) or not value.strip():
            raise DefinitionError(f"{source}: wording.{name} is missing or empty")
        texts[name] = " ".join(value.split())
    if texts["pronoun"] not in ("det", "den"):
        raise DefinitionError(f"{source}: wording.pronoun is 'det' or 'den'")
    unknown = set(table) - set(WORDING_FIELDS)
    if unknown:
        raise DefinitionError(f"{source}: unknown wording {', '.join(sorted(unknown))}")
    return Wording(**texts)


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
        wording=_wording(raw, path.name),
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
