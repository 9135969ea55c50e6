"""The columns of the answers sheet ("Svar"): one layout for the annex, the import template and
the importer, so that an exported round can be imported again.

The template's header is exactly
    Organisation, År, Svar fråga 1, Svar fråga 2, Beslutsdatum, Diarienummer, MAL … UPP
(one "Svar fråga N" per question of the round, the component codes in the policy's order).
A text longer than one cell continues in the columns right after its own, headed
"Svar fråga 1 (fortsättning 1)", …; the importer joins them back. The annex adds columns for
reading ("Typ", "Kortnamn", "Status") that the importer skips.
"""

from __future__ import annotations

import re

from exports.cells import continuation_header
from survey.reference.services import load_reference

SHEET = "Svar"
ORGANISATION = "Organisation"
YEAR = "År"
DECISION_DATE = "Beslutsdatum"
CASE_NUMBER = "Diarienummer"
#: Columns of the annex that are there to read, not to import.
INFORMATIONAL = ("Kortnamn", "Typ", "Status")

_ANSWER = re.compile(r"^Svar fråga (\d+)(?: \(fortsättning (\d+)\))?$")


def component_codes() -> list[str]:
    """The components' codes in the policy's order (from the reference data file)."""
    return [raw["code"] for raw in load_reference()["components"]]


def answer_header(position: int) -> str:
    return f"Svar fråga {position}"


def answer_headers(position: int, parts: int) -> list[str]:
    """The header of question `position`'s answer and of its continuation columns."""
    return [continuation_header(answer_header(position), part) for part in range(1, parts + 1)]


def parse_answer_header(header: str) -> tuple[int, int] | None:
    """(question position, part) for an answer column's header, part 1 being the first."""
    found = _ANSWER.match(header)
    if not found:
        return None
    return int(found.group(1)), int(found.group(2) or 0) + 1


def template_header(question_count: int = 2) -> list[str]:
    """The import template's header row."""
    return ([ORGANISATION, YEAR]
            + [answer_header(position) for position in range(1, question_count + 1)]
            + [DECISION_DATE, CASE_NUMBER] + component_codes())
