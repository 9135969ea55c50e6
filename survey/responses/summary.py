"""What the submit pages show before a response goes in: each question answered or not
(with its length or value), the self-assessed level per component, the rights areas chosen,
and the warnings that do not block a submit: components without a level, no rights area.
Missing required answers block (services.missing_answers); these only ask for a look."""

from __future__ import annotations

from dataclasses import dataclass

from survey.questionnaires.models import QuestionType
from survey.reference.models import RightsArea
from survey.responses.models import Response
from survey.responses.presenters import (
    ComponentRow,
    QuestionRow,
    question_rows,
    self_assessment_rows,
)


@dataclass(frozen=True)
class AnswerSummary:
    row: QuestionRow

    @property
    def answered(self) -> bool:
        return bool(self.row.text.strip())

    @property
    def is_text(self) -> bool:
        """Free text is summarised by its length; other answers by their value."""
        return self.row.question.qtype == QuestionType.LONG_TEXT

    @property
    def length(self) -> int:
        return len(self.row.text)

    @property
    def missing_required(self) -> bool:
        return self.row.question.required and not self.answered


@dataclass(frozen=True)
class SubmitSummary:
    answers: list[AnswerSummary]
    #: One row per component; empty when the round asks for no self-assessment.
    components: list[ComponentRow]
    #: The chosen rights areas; None when the round asks for none.
    areas: list[RightsArea] | None

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if a.answered)

    @property
    def components_without_level(self) -> list[ComponentRow]:
        return [row for row in self.components if row.level is None]

    @property
    def no_rights_areas(self) -> bool:
        return self.areas is not None and not self.areas

    @property
    def has_warnings(self) -> bool:
        return bool(self.components_without_level) or self.no_rights_areas


def submit_summary(response: Response) -> SubmitSummary:
    round_ = response.round
    return SubmitSummary(
        answers=[AnswerSummary(row) for row in question_rows(response)],
        components=self_assessment_rows(response),
        areas=sorted(response.rights_areas, key=lambda a: a.position)
        if round_.rights_areas else None,
    )
