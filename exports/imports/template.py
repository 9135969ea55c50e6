"""The import template: an empty "Svar" sheet with the header row, and an "Anvisning" sheet
that explains each column in Swedish. Both are described as blocks (exports.sheets) that
exports.writer writes, every text through exports.cells.text_cell."""

from __future__ import annotations

from typing import BinaryIO

from openpyxl import Workbook

from exports import layout
from exports.cells import CELL_LIMIT, continuation_header
from exports.imports.rows import FIRST_YEAR, QUESTIONNAIRE
from exports.sheets import Column, DocumentSheet, Header, Kind, Table
from exports.writer import write_document
from survey.questionnaires.definitions import get_definition
from survey.reference.services import components, maturity_levels
from survey.responses.case_numbers import FORMAT_HINT

GUIDE_SHEET = "Anvisning"
DOWNLOAD_NAME = "Importmall-sarskild-fraga.xlsx"
_GUIDE_COLUMNS = [Column("Kolumn", Kind.TEXT, 24), Column("Obligatorisk", Kind.TEXT, 14),
                  Column("Vad och hur", Kind.WRAPPED, 100)]


def question_count() -> int:
    return len(get_definition(QUESTIONNAIRE).questions)


def write_template(out: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    write_document(workbook, answers_sheet())
    write_document(workbook, guide_sheet())
    workbook.save(out)


def answers_sheet() -> DocumentSheet:
    """The header row alone, the answers' columns wide."""
    columns = [Column(text, Kind.TEXT, 60 if text.startswith("Svar") else 16)
               for text in layout.template_header(question_count())]
    return DocumentSheet(layout.SHEET, [column.width for column in columns],
                         [Table(columns, [], header=Header.BOLD)], freeze="A2")


def guide_sheet() -> DocumentSheet:
    """The "Anvisning" sheet: a line of introduction, then one row per column."""
    return DocumentSheet(GUIDE_SHEET, [column.width for column in _GUIDE_COLUMNS],
                         [Table(_GUIDE_COLUMNS, column_guide(), header=Header.BOLD)],
                         freeze="A2")


def column_guide() -> list[tuple[str, str, str]]:
    definition = get_definition(QUESTIONNAIRE)
    scale = ", ".join(f"{level.level} = {level.name}" for level in maturity_levels())
    rows = [
        ("Allmänt", "", "En rad per organisation och år, i bladet ”Svar”, under rubrikraden. "
         "Ändra inte rubrikerna. Året får inte redan ha ett svar från organisationen. Saknas "
         "omgången för året skapas den, stängd. Filen importeras bara om alla rader är "
         "korrekta; annars visas varje fel med rad och kolumn och inget importeras."),
        (layout.ORGANISATION, "Ja", "Organisationens namn eller kortnamn så som de står i "
         "plattformen, till exempel ”Arbetsmarknads- och socialnämnden” eller ”ASN”. "
         "Stora och små bokstäver spelar ingen roll."),
        (layout.YEAR, "Ja", f"Året som svaret gäller, med fyra siffror ({FIRST_YEAR} till "
         "i år), till exempel 2021."),
    ]
    for question in definition.questions:
        most = f" Högst {_count(question.max_length)} tecken." if question.max_length else ""
        rows.append((layout.answer_header(question.order), "Ja" if question.required else "Nej",
                     f"Svaret på fråga {question.order}: ”{question.text}”{most} En cell rymmer "
                     f"{_count(CELL_LIMIT)} tecken: fortsätter texten, lägg resten i en kolumn "
                     f"”{continuation_header(layout.answer_header(question.order), 2)}” "
                     "(och ”(fortsättning 2)” osv.) direkt efter; delarna fogas ihop."))
    rows += [
        (layout.DECISION_DATE, "Ja", "Dagen då nämnden eller styrelsen beslutade om svaret: "
         "ÅÅÅÅ-MM-DD, till exempel 2022-02-24, eller ett datum i Excel. Inte i framtiden."),
        (layout.CASE_NUMBER, "Ja", f"Diarienumret för beslutet: {FORMAT_HINT}."),
    ]
    for component in components():
        rows.append((component.code, "Nej", f"Stadskontorets bedömda nivå för "
                     f"{component.name}: ett heltal 0–4 ({scale}). Tom = ingen nivå. "
                     "Nivåerna blir en klar bedömning av svaret."))
    return rows


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")
