"""One field class per question type: how its input is rendered, how a typed value is
validated and normalised before it is stored, and how a stored value is shown.

After Indico's survey fields. Answers are stored as text whatever the type: a date as
ISO 2024-03-05, an amount as a plain digit string "167000", a choice as the option's
text, several choices as their texts one per line in the question's order, a year as
"2018". `normalise` is idempotent, so a stored value saved again is unchanged (no new
revision), and an empty value is always allowed: required answers are checked at submit.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from survey.formatting import MONTHS, amount_sv, number_sv
from survey.questionnaires.models import QuestionType, RoundQuestion

SHORT_TEXT_MAX_LENGTH = 500
DATE_EXAMPLE = "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2024-03-05."
AMOUNT_EXAMPLE = "Ange beloppet i hela kronor, till exempel 167 000 eller 167 tkr."
YEAR_EXAMPLE = "Ange ett årtal med fyra siffror, till exempel 2018."
YEAR_RANGE = (1990, 2100)


class InvalidAnswer(ValueError):
    """A typed value the question's type cannot take; the message is Swedish, for the user."""


def _too_long(length: int, limit: int) -> InvalidAnswer:
    return InvalidAnswer(
        f"Svaret är {length:,} tecken långt; högst {limit:,} tecken får plats. "
        "Texten är kvar i fältet: korta den och spara igen.".replace(",", "\u00a0")
    )


class QuestionField:
    """The behaviour of one question type, bound to one question."""

    qtype: ClassVar[QuestionType]
    #: The macro in templates/responses/_parts.html that renders the input.
    macro: ClassVar[str]
    #: What autosave (static/js/answer-fields.js) reads: "text" (textarea or input),
    #: "choice" (radios) or "multi" (checkboxes, sent as the checked values one per line).
    kind: ClassVar[str] = "text"
    counts_words: ClassVar[bool] = False
    hint: ClassVar[str] = ""

    def __init__(self, question: RoundQuestion):
        self.question = question

    def normalise(self, raw: str) -> str:
        """The value to store; raises InvalidAnswer with a Swedish message."""
        return raw

    def display(self, value: str) -> str:
        """The stored value as read-only pages show it."""
        return value

    def input_value(self, value: str) -> str:
        """The stored value as the input shows it; normalises back to the same value."""
        return value

    def input_attrs(self) -> dict[str, str]:
        return {}


class LongTextField(QuestionField):
    qtype = QuestionType.LONG_TEXT
    macro = "long_text_input"
    counts_words = True

    def normalise(self, raw: str) -> str:
        return raw.replace("\r\n", "\n")


class ShortTextField(QuestionField):
    qtype = QuestionType.SHORT_TEXT
    macro = "line_input"

    @property
    def max_length(self) -> int:
        return self.question.max_length or SHORT_TEXT_MAX_LENGTH

    @property
    def hint(self) -> str:  # type: ignore[override]
        return f"En rad, högst {number_sv(self.max_length)} tecken."

    def normalise(self, raw: str) -> str:
        text = " ".join(line.strip() for line in raw.splitlines() if line.strip())
        text = text.strip()
        if len(text) > self.max_length:
            raise _too_long(len(text), self.max_length)
        return text

    def input_attrs(self) -> dict[str, str]:
        return {"type": "text", "autocomplete": "off"}


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_LONG_DATE = re.compile(r"(\d{1,2})\s+(\w+)\s+(\d{4})")


class DateField(QuestionField):
    qtype = QuestionType.DATE
    macro = "line_input"
    hint = "Datum som ÅÅÅÅ-MM-DD, till exempel 2024-03-05."

    @staticmethod
    def parse(raw: str) -> dt.date | None:
        text = raw.strip().lower()
        try:
            if match := _ISO_DATE.fullmatch(text):
                year, month, day = (int(g) for g in match.groups())
            elif match := _DMY_DATE.fullmatch(text):
                day, month, year = (int(g) for g in match.groups())
            elif (match := _LONG_DATE.fullmatch(text)) and match.group(2) in MONTHS:
                day, year = int(match.group(1)), int(match.group(3))
                month = MONTHS.index(match.group(2)) + 1
            else:
                return None
            return dt.date(year, month, day)
        except ValueError:
            return None

    def normalise(self, raw: str) -> str:
        if not raw.strip():
            return ""
        day = self.parse(raw)
        if day is None:
            raise InvalidAnswer(DATE_EXAMPLE)
        return day.isoformat()

    def input_attrs(self) -> dict[str, str]:
        return {"type": "date"}

    def is_input_value(self, text: str) -> bool:
        """Whether a date input can show `text`; other text needs a plain text input."""
        return not text or (_ISO_DATE.fullmatch(text) is not None and len(text) == 10
                            and self.parse(text) is not None)


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_AMOUNT = re.compile(r"(?P<sign>[-\u2212\u2013]?)(?P<number>\d+(?:[,.]\d+)?)"
                     r"(?P<unit>kr|kronor|sek|:-|tkr|tkronor|mkr|mnkr|miljonerkronor)?")
_UNITS = {None: 1, "kr": 1, "kronor": 1, "sek": 1, ":-": 1, "tkr": 1000, "tkronor": 1000,
          "mkr": 1_000_000, "mnkr": 1_000_000, "miljonerkronor": 1_000_000}
_MAX_DIGITS = 15


class AmountField(QuestionField):
    qtype = QuestionType.AMOUNT
    macro = "line_input"
    hint = "Belopp i hela kronor, till exempel 167 000"

    @staticmethod
    def parse(raw: str) -> int:
        """Whole kronor from "167 000", "167 000 kr", "167 tkr", "1,5 mkr"; raises InvalidAnswer."""
        text = _SPACES.sub("", raw).lower()
        match = _AMOUNT.fullmatch(text)
        if match is None:
            raise InvalidAnswer(AMOUNT_EXAMPLE)
        number, factor = match.group("number"), _UNITS[match.group("unit")]
        if factor == 1 and not number.isdigit():
            raise InvalidAnswer(AMOUNT_EXAMPLE)  # öre, or an ambiguous "167.000"
        try:
            value = Decimal(number.replace(",", ".")) * factor
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise InvalidAnswer(AMOUNT_EXAMPLE) from None
        if value != value.to_integral_value() or len(number) > _MAX_DIGITS:
            raise InvalidAnswer(AMOUNT_EXAMPLE)
        if match.group("sign") and value:
            raise InvalidAnswer("Beloppet kan inte vara negativt.")
        return int(value)

    def normalise(self, raw: str) -> str:
        if not raw.strip():
            return ""
        return str(self.parse(raw))

    def display(self, value: str) -> str:
        """"167 000 kr"; also for typed text that is a valid amount, other text as it is."""
        try:
            return amount_sv(self.parse(value)) if value.strip() else ""
        except InvalidAnswer:
            return value

    def input_value(self, value: str) -> str:
        # A stored amount is ASCII digits; other stored text ("²") is shown as it is.
        stored = value.isascii() and value.isdigit() and len(value) <= _MAX_DIGITS + 3
        return number_sv(int(value)) if stored else value

    def input_attrs(self) -> dict[str, str]:
        return {"type": "text", "inputmode": "numeric", "autocomplete": "off"}


class ChoiceField(QuestionField):
    qtype = QuestionType.CHOICE
    macro = "choice_input"
    kind = "choice"

    @property
    def choices(self) -> list[str]:
        return list(self.question.choices or [])

    def normalise(self, raw: str) -> str:
        value = raw.strip()
        if value and value not in self.choices:
            raise InvalidAnswer("Välj ett av alternativen i listan.")
        return value


class MultiChoiceField(QuestionField):
    """Any number of the question's options; stored one per line in the options' order, so
    the same choice is the same text however it was ticked."""

    qtype = QuestionType.MULTI_CHOICE
    macro = "multi_choice_input"
    kind = "multi"
    hint = "Välj ett eller flera alternativ."

    @property
    def choices(self) -> list[str]:
        return list(self.question.choices or [])

    @staticmethod
    def selected(value: str) -> list[str]:
        """The options in a stored (or posted) value."""
        return [line.strip() for line in value.splitlines() if line.strip()]

    def normalise(self, raw: str) -> str:
        chosen = set(self.selected(raw))
        if chosen - set(self.choices):
            raise InvalidAnswer("Välj bland alternativen i listan.")
        return "\n".join(choice for choice in self.choices if choice in chosen)

    def display(self, value: str) -> str:
        return ", ".join(self.selected(value))


_YEAR = re.compile(r"[0-9]{4}")  # not \d: that also matches other scripts' digits


class YearField(QuestionField):
    qtype = QuestionType.YEAR
    macro = "line_input"
    hint = "Årtal med fyra siffror, till exempel 2018."

    def normalise(self, raw: str) -> str:
        text = raw.strip()
        if not text:
            return ""
        if not _YEAR.fullmatch(text) or not YEAR_RANGE[0] <= int(text) <= YEAR_RANGE[1]:
            raise InvalidAnswer(YEAR_EXAMPLE)
        return text

    def input_attrs(self) -> dict[str, str]:
        return {"type": "text", "inputmode": "numeric", "autocomplete": "off"}


FIELD_CLASSES: dict[QuestionType, type[QuestionField]] = {
    cls.qtype: cls for cls in (LongTextField, ShortTextField, DateField, AmountField, ChoiceField,
                               MultiChoiceField, YearField)
}


def field_for(question: RoundQuestion) -> QuestionField:
    return FIELD_CLASSES[QuestionType(question.qtype)](question)
