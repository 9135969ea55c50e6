"""Reading the import sheet's rows into checked values, or every problem with row and column.

Columns are found by their header (exports/layout.py): the annex's informational columns are
skipped, a long answer's continuation columns are joined back in order, and any other
header is an error. Every row is checked before anything is written, so the user gets the
whole list of problems at once (the first MAX_PROBLEMS_SHOWN of them, and how many there
are; a quoted cell is cut to MAX_QUOTED characters).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from exports import layout
from exports.cells import continuation_header
from exports.imports.upload import MAX_PROBLEMS_SHOWN, ImportRefused, Problem, Sheet, shown
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.definitions import get_definition
from survey.questionnaires.models import QuestionType, Round, RoundStatus
from survey.questionnaires.question_types import InvalidAnswer, field_for
from survey.responses.case_numbers import FORMAT_HINT
from survey.responses.case_numbers import check as check_case_number
from survey.responses.models import Response

QUESTIONNAIRE = "sarskild-fraga"
FIRST_YEAR = 1990
#: Longer than any case number: not looked at closely (that costs time per character).
CASE_NUMBER_MAX = 100
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
#: ASCII digits only: "\d" would take "٢٠٢٤" as 2024.
_INTEGER = re.compile(r"\s*([0-9]{1,4})(?:[.,]0+)?\s*")


@dataclass(frozen=True)
class QuestionSpec:
    """What the checks need of a question, from the round or, for a new round, the definition."""

    position: int
    required: bool
    max_length: int | None
    qtype: QuestionType


@dataclass
class ImportRow:
    """One checked row: a submitted response to create."""

    row: int
    organisation: Organisation
    year: int
    answers: dict[int, str]  # by question position
    decision_date: dt.date
    case_number: str
    levels: dict[str, int] = field(default_factory=dict)  # by component code; given ones only


@dataclass(frozen=True)
class Columns:
    """Where each known column is: index by header, answer parts by question position."""

    index: dict[str, int]
    answers: dict[int, list[tuple[int, str]]]  # position -> [(column index, header)] in order
    #: Columns that hold nothing to import (informational or without header), and the width.
    named: frozenset[int] = frozenset()


def expected_headers(question_count: int) -> list[str]:
    return layout.template_header(question_count)


def map_columns(header: list[str], question_count: int) -> Columns:
    """The columns by header; raises ImportRefused naming what is wrong and what is expected."""
    expected = expected_headers(question_count)
    hint = "Förväntade rubriker: " + ", ".join(expected) + "."
    problems, index, parts = [], {}, {}
    optional = set(layout.component_codes())
    for position, text in enumerate(header):
        answer = layout.parse_answer_header(text)
        if text in layout.INFORMATIONAL or not text:
            continue  # a column without header may stay empty; check() refuses values in it
        if text in index or (answer and answer in parts):
            problems.append(Problem(None, text, "Rubriken förekommer två gånger."))
        elif answer and 1 <= answer[0] <= question_count:
            parts[answer] = position
            if answer[1] == 1:
                index[text] = position
        elif text in expected:
            index[text] = position
        else:
            problems.append(Problem(None, text, f"Okänd kolumnrubrik. {hint}"))
    for text in expected:
        if text not in index and text not in optional:
            problems.append(Problem(None, text, f"Kolumnen saknas. {hint}"))
    answers: dict[int, list[tuple[int, str]]] = {}
    for (question, part), column in sorted(parts.items()):
        if (question, part - 1) not in parts and part > 1:
            before = continuation_header(layout.answer_header(question), part - 1)
            problems.append(Problem(None, header[column], f"Kolumnen ”{before}” saknas; "
                                    "delarna av ett långt svar står i ordning."))
        answers.setdefault(question, []).append((column, header[column]))
    if problems:
        raise ImportRefused(problems)
    named = frozenset(position for position, text in enumerate(header) if text)
    return Columns(index, answers, named)


class RowChecker:
    """Checks the rows against the database as it is now, collecting every problem."""

    def __init__(self, today: dt.date):
        self.today = today
        self.problems: list[Problem] = []  # the first MAX_PROBLEMS_SHOWN
        self.count = 0  # every problem found
        definition = get_definition(QUESTIONNAIRE)
        self.definition_questions = [
            QuestionSpec(q.order, q.required, q.max_length, q.type) for q in definition.questions]
        self.organisations = _organisations_by_name()
        self.rounds: dict[int, Round | None] = {}
        self.seen: dict[tuple[int, int], int] = {}
        self.limit = current_app.config["MAX_ANSWER_LENGTH"]
        self.component_codes = layout.component_codes()  # read from a file: once, not per row

    def problem(self, row: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(Problem(row, column, message))

    def round_for(self, year: int) -> Round | None:
        if year not in self.rounds:
            self.rounds[year] = db.session.scalar(
                select(Round).filter_by(questionnaire_key=QUESTIONNAIRE, year=year))
        return self.rounds[year]

    def questions(self, year: int | None) -> list[QuestionSpec]:
        round_ = self.round_for(year) if year is not None else None
        if round_ is None:
            return self.definition_questions
        return [QuestionSpec(q.position, q.required, q.max_length, q.qtype)
                for q in round_.questions]

    def check(self, number: int, values: tuple, columns: Columns) -> ImportRow | None:
        def cell(header: str):
            column = columns.index.get(header)
            return values[column] if column is not None and column < len(values) else None

        before = self.count
        for column, value in enumerate(values):
            if column not in columns.named and _text(value).strip():
                self.problem(number, f"nr {column + 1} (utan rubrik)",
                             "Kolumnen har ingen rubrik men ett värde. Ta bort värdet eller "
                             "skriv det i rätt kolumn.")
        organisation = self._organisation(number, cell(layout.ORGANISATION))
        year = self._year(number, cell(layout.YEAR))
        if organisation is not None and year is not None:
            self._unique(number, organisation, year)
        answers = self._answers(number, values, columns, year)
        decided = self._date(number, cell(layout.DECISION_DATE))
        case_number = self._case_number(number, cell(layout.CASE_NUMBER))
        levels = {code: level for code in self.component_codes
                  if (level := self._level(number, code, cell(code))) is not None}
        if self.count > before:
            return None
        return ImportRow(number, organisation, year, answers, decided, case_number, levels)

    def _organisation(self, number: int, value) -> Organisation | None:
        text = _text(value).strip()
        if not text:
            self.problem(number, layout.ORGANISATION, "Ange organisationens namn eller kortnamn.")
            return None
        found = self.organisations.get(text.casefold())
        if found is None:
            self.problem(number, layout.ORGANISATION, f"Okänd organisation: ”{shown(text)}”. Skriv "
                         "namnet eller kortnamnet så som det står i plattformen.")
        return found

    def _year(self, number: int, value) -> int | None:
        year = _integer(value)
        if year is None or not FIRST_YEAR <= year <= self.today.year:
            given = shown(_text(value).strip())
            self.problem(number, layout.YEAR, (f"”{given}” är inget giltigt år. " if given else
                                               "Året saknas. ")
                         + f"Ange året som fyra siffror, {FIRST_YEAR}–{self.today.year}.")
            return None
        round_ = self.round_for(year)
        if round_ is not None and round_.status != RoundStatus.CLOSED:
            # Importing is for earlier rounds: an open round is still being answered.
            state = round_.status.label.lower()
            self.problem(number, layout.YEAR, f"Omgången för {year} är {state}; bara "
                         "avslutade år kan importeras.")
            return None
        return year

    def _unique(self, number: int, organisation: Organisation, year: int) -> None:
        key = (organisation.id, year)
        if key in self.seen:
            self.problem(number, layout.ORGANISATION, f"{organisation.name} finns redan för "
                         f"{year} på rad {self.seen[key]}.")
            return
        self.seen[key] = number
        round_ = self.round_for(year)
        if round_ is not None and db.session.scalar(select(Response.id).filter_by(
                round_id=round_.id, organisation_id=organisation.id)) is not None:
            self.problem(number, layout.ORGANISATION, f"Det finns redan ett svar från "
                         f"{organisation.name} för {year}.")

    def _answers(self, number: int, values: tuple, columns: Columns,
                 year: int | None) -> dict[int, str]:
        answers = {}
        questions = self.questions(year)
        for position in sorted(set(columns.answers) - {q.position for q in questions}):
            if any(_text(values[c]).strip() for c, _ in columns.answers[position]):
                self.problem(number, layout.answer_header(position),
                             f"Omgången för {year} har ingen fråga {position}.")
        for question in questions:
            header = layout.answer_header(question.position)
            text = "".join(_text(values[c]) for c, _ in columns.answers.get(question.position, []))
            try:
                text = field_for(question).normalise(text.replace("\r\n", "\n"))
            except InvalidAnswer as error:
                self.problem(number, header, str(error))
                continue
            limit = min(question.max_length or self.limit, self.limit)
            if question.required and not text.strip():
                self.problem(number, header, "Svaret saknas.")
            elif len(text) > limit:
                self.problem(number, header, f"Svaret är {_count(len(text))} tecken långt; "
                             f"högst {_count(limit)} tecken tas emot.")
            answers[question.position] = text
        return answers

    def _date(self, number: int, value) -> dt.date | None:
        day = _day(value)
        if day is None:
            given = shown(_text(value).strip())
            self.problem(number, layout.DECISION_DATE,
                         (f"”{given}” är inget giltigt datum. " if given else
                          "Beslutsdatum saknas. ")
                         + "Skriv datumet som ÅÅÅÅ-MM-DD eller som ett datum i Excel.")
        elif day > self.today:
            self.problem(number, layout.DECISION_DATE, "Beslutsdatum kan inte ligga i framtiden.")
            return None
        return day

    def _case_number(self, number: int, value) -> str:
        text = _text(value).strip()
        if len(text) > CASE_NUMBER_MAX:
            self.problem(number, layout.CASE_NUMBER, f"”{shown(text)}” är för långt för att "
                         f"vara ett diarienummer. Skriv det som {FORMAT_HINT}.")
            return text
        checked = check_case_number(text)
        if not checked.valid:
            self.problem(number, layout.CASE_NUMBER, checked.message)
        return text

    def _level(self, number: int, code: str, value) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        level = _integer(value)
        if level is None or not 0 <= level <= 4:
            self.problem(number, code, f"Nivån ska vara ett heltal 0–4 eller tom, inte "
                         f"”{shown(_text(value).strip())}”.")
            return None
        return level


def check_rows(sheet: Sheet, today: dt.date | None = None) -> list[ImportRow]:
    """The sheet's rows, checked; raises ImportRefused with every problem found."""
    today = today or dt.date.today()
    question_count = len(get_definition(QUESTIONNAIRE).questions)
    columns = map_columns(sheet.header, question_count)
    if not sheet.rows:
        raise ImportRefused("Filen har inga rader med data under rubrikraden.")
    checker = RowChecker(today)
    rows = [checker.check(number, values, columns) for number, values in sheet.rows]
    if checker.count:
        raise ImportRefused(checker.problems, total=checker.count)
    return rows


# --- cell values -----------------------------------------------------------------------

def _organisations_by_name() -> dict[str, Organisation]:
    found = {}
    for organisation in db.session.scalars(select(Organisation)):
        found[organisation.name.casefold()] = organisation
        found[organisation.short_name.casefold()] = organisation
    return found


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _integer(value) -> int | None:
    """3, 3.0 and "3" are 3; anything else (True, 3.5, "tre") is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and (found := _INTEGER.fullmatch(value)):
        return int(found.group(1))
    return None


def _day(value) -> dt.date | None:
    """An Excel date or date-time, or text written yyyy-mm-dd."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")
