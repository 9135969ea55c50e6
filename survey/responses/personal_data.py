"""Warnings (never blocks) for text that seems to contain personal data.

Every scan runs in time linear in the length of the text (answers may be 100 000 characters
and the check runs on every save): the personnummer and phone patterns have only bounded
quantifiers behind a look-behind, and e-mail addresses are found from each "@" outwards
instead of by a pattern that `finditer` would retry from every start position (a run of
40 000 letters used to take seconds).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PERSONNUMMER = re.compile(r"(?<![\d-])(?:19|20)?(\d{6})[-+ ]?(\d{4})(?![\d-])")
#: E-mail addresses are what `[\w.+-]+@[\w-]+(?:\.[\w-]+)+` finds, with the local part cut
#: to the 64 characters and the domain to the 253 characters an address can have (RFC 5321).
_LOCAL_PART = 64
_DOMAIN_LENGTH = 253
#: Matched on the reversed text, just before an "@": greedy with nothing after it, so linear.
_LOCAL_PART_REVERSED = re.compile(r"[\w.+-]+")
#: Matched right after an "@": labels and dots cannot overlap, so it backtracks at most once
#: over the last label.
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
#: An "@" that can start a domain; the look-ahead reads one label, and the labels after
#: successive "@"s do not overlap.
_AT = re.compile(r"@(?=[\w-]+\.[\w-])")
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


def _emails(text: str) -> list[str]:
    """E-mail addresses in `text`, left to right, each "@" looked at once."""
    found: list[str] = []
    reversed_text = text[::-1]
    size, end = len(text), 0  # end: where the previous address ended
    for candidate in _AT.finditer(text):
        at = candidate.start()
        if at < end:
            continue
        domain = _DOMAIN.match(text, at + 1, min(size, at + 1 + _DOMAIN_LENGTH))
        local = _LOCAL_PART_REVERSED.match(reversed_text, size - at,
                                           size - max(end, at - _LOCAL_PART))
        if domain and local:
            found.append(text[at - len(local.group()):domain.end()])
            end = domain.end()
    return found


def find_personal_data(text: str) -> list[PersonalDataWarning]:
    warnings: list[PersonalDataWarning] = []
    for match in _PERSONNUMMER.finditer(text):
        if _is_personnummer(match.group(1), match.group(2)):
            warnings.append(PersonalDataWarning("personnummer", "personnummer", match.group(0)))
    for address in _emails(text):
        warnings.append(PersonalDataWarning("email", "e-postadress", address))
    taken = {w.excerpt for w in warnings}
    for match in _PHONE.finditer(text):
        if match.group(0) not in taken and sum(c.isdigit() for c in match.group(0)) >= 7:
            warnings.append(PersonalDataWarning("phone", "telefonnummer", match.group(0)))
    return warnings
