"""The "Bedömningar" sheet: per organisation with an effective assessment and per component,
the level (of the filter's source), the assessment's justification and its evidence quotes
(survey.analysis.annex.assessment_rows)."""

from __future__ import annotations

from collections.abc import Iterator

from exports.cells import CELL_LIMIT, clean_text, split_for_cells, utf16_length
from exports.sheets import Column, Kind, Sheet
from survey.analysis.annex import assessment_rows
from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import SOURCE_ASSESSMENT, SOURCE_SELF_ASSESSMENT
from survey.questionnaires.models import Round

SHEET = "Bedömningar"
COLUMNS = [Column("Organisation", Kind.WRAPPED, 36), Column("Komponent", Kind.WRAPPED, 34),
           Column("Nivå", Kind.LEVEL, 7), Column("Källa", Kind.TEXT, 14),
           Column("Motivering", Kind.WRAPPED, 60), Column("Citat", Kind.WRAPPED, 80)]
SOURCE_LABELS = {SOURCE_ASSESSMENT: "Bedömning", SOURCE_SELF_ASSESSMENT: "Självskattning"}
#: Shown where a justification or the quotes together would not fit in one cell.
SHORTENED = " … [förkortad: får inte plats i en cell]"


def fit_in_cell(text: str) -> str:
    """`text`, visibly shortened if it is longer than an Excel cell can hold."""
    text = clean_text(text)
    if utf16_length(text) <= CELL_LIMIT:
        return text
    return split_for_cells(text, CELL_LIMIT - len(SHORTENED))[0] + SHORTENED


def assessments_sheet(round_: Round, filters: DashboardFilter) -> Sheet:
    def rows() -> Iterator[list]:
        for row in assessment_rows(round_, filters):
            quotes = "\n\n".join(f"Fråga {position}: ”{quote}”" for position, quote in row.quotes)
            yield [row.organisation_name, f"{row.code} – {row.component_name}", row.level,
                   SOURCE_LABELS.get(row.source, ""), fit_in_cell(row.justification or ""),
                   fit_in_cell(quotes)]

    return Sheet(SHEET, COLUMNS, rows(), freeze="C2")
