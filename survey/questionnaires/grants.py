"""The development-funds questionnaire's rules (definitions/redovisning-beviljade-medel.toml):
its question keys, how its stored amounts and years read, and the respondent's warning when a
report states more used than granted. The figures (survey.analysis.grants) and the response
pages both take them from here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.formatting import amount_sv
from survey.questionnaires.question_types import AmountField, InvalidAnswer

if TYPE_CHECKING:
    from survey.responses.models import Response

#: The questionnaire of development-funds reports (survey/questionnaires/definitions/).
GRANTS_QUESTIONNAIRE = "redovisning-beviljade-medel"
AREAS, YEAR, GRANTED, USED = "omraden", "beviljat-ar", "beviljat-belopp", "anvant-belopp"


def parse_amount(text: str | None) -> int | None:
    """Whole kronor from a stored amount ("167000"; imports may hold "167 tkr"), else None."""
    if not text or not text.strip():
        return None
    try:
        return AmountField.parse(text)
    except InvalidAnswer:
        return None


def parse_year(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if len(text) == 4 and text.isascii() and text.isdigit() else None


def overspent_notice(response: Response) -> str | None:
    """The respondent's warning when a report states more used than granted: allowed (the
    work may have been co-funded), but worth explaining."""
    if response.round.questionnaire_key != GRANTS_QUESTIONNAIRE:
        return None
    texts = {answer.question.key: answer.text for answer in response.answers}
    granted, used = parse_amount(texts.get(GRANTED)), parse_amount(texts.get(USED))
    if granted is None or used is None or used <= granted:
        return None
    return (f"Använt belopp ({amount_sv(used)}) är större än beviljat belopp "
            f"({amount_sv(granted)}). Redovisningen kan ändå skickas in; förklara gärna "
            "skillnaden i svaret om resultatet i förhållande till budgeten.")
