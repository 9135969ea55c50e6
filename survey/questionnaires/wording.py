"""What a round's questionnaire definition says about its own wording, read at page time:
the [wording] table (how the pages speak of one response: "svaret", "redovisningen") and
which questions ask for a person's name.

A round keeps its questions in the database but is tied to its definition by
`Round.questionnaire_key`; a round whose definition is gone, or a definition without a
[wording] table, speaks as the särskild fråga does.
"""

from __future__ import annotations

from functools import lru_cache

from survey.questionnaires.definitions import (
    SPECIAL_QUESTION,
    QuestionnaireDefinition,
    Wording,
    all_definitions,
)
from survey.questionnaires.models import Round, RoundQuestion


@lru_cache(maxsize=1)
def _definitions() -> dict[str, QuestionnaireDefinition]:
    """The definitions ship with the code: read once per process."""
    return all_definitions()


def wording_for(round_: Round) -> Wording:
    definitions = _definitions()
    definition = definitions.get(round_.questionnaire_key)
    if definition is not None and definition.wording is not None:
        return definition.wording
    wording = definitions[SPECIAL_QUESTION].wording
    assert wording is not None  # tests/test_wording.py: both shipped definitions have one
    return wording


def asks_for_name(question: RoundQuestion) -> bool:
    """Whether the question asks for a person's name (no warning against names for it)."""
    definition = _definitions().get(question.round.questionnaire_key)
    if definition is None:
        return False
    return any(q.asks_for_name for q in definition.questions if q.key == question.key)


def name_questions(round_: Round) -> list[RoundQuestion]:
    return [q for q in round_.questions if asks_for_name(q)]
