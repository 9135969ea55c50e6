"""Warnings (never blocks) for text that seems to contain personal data."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PERSONNUMMER = re.compile(r"(?<![\d-])(?:19|20)?(\d{6})[-+ ]?(\d{4})(?![\d-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![\w-])(?:\+46[\s-]?|0)\d{1,3}[\s-]?\d{2,3}(?:[\s-]?\d{2,3}){1,3}(?![\w-])"
)


@dataclass(frozen=True)
class PersonalDataWarning:
    kind: str
    label: str
    excerpt: str


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _is_personnummer(date_part: str, tail: str) -> bool:
    month, day = int(date_part[2:4]), int(date_part[4:6])
    if day > 60:  # samordningsnummer
        day -= 60
    try:
        dt.date(2000, month, day)
    except ValueError:
        return False
    return _luhn_ok(date_part + tail)


def find_personal_data(text: str) -> list[PersonalDataWarning]:
    warnings: list[PersonalDataWarning] = []
    for match in _PERSONNUMMER.finditer(text):
        if _is_personnummer(match.group(1), match.group(2)):
            warnings.append(PersonalDataWarning("personnummer", "personnummer", match.group(0)))
    for match in _EMAIL.finditer(text):
        warnings.append(PersonalDataWarning("email", "e-postadress", match.group(0)))
    taken = {w.excerpt for w in warnings}
    for match in _PHONE.finditer(text):
        if match.group(0) not in taken and sum(c.isdigit() for c in match.group(0)) >= 7:
            warnings.append(PersonalDataWarning("phone", "telefonnummer", match.group(0)))
    return warnings
