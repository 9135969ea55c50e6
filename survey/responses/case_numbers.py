"""Case numbers (diarienummer): `KOD-ÅÅÅÅ-löpnummer`, optionally `-dokumentnummer`.

Only the ASCII digits 0–9 and the capitals A–Z, Å, Ä, Ö are accepted: Python's `\\d` and
`str.isdigit` also match Arabic-Indic (`٢`), fullwidth (`２`) and superscript (`²`) digits,
which look right on screen but are other characters to a registry search. Such a number is
refused, and its ASCII form is suggested, converted deliberately here. A running number
with leading zeros (`STK-2018-074`) is kept as typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

CASE_NUMBER = re.compile(
    r"^[A-ZÅÄÖ]{2,5}-[0-9]{4}-(?=[0-9]*[1-9])[0-9]{1,6}(?:-[0-9]{1,4})?$"
)
REGISTRY_CODE = re.compile(r"^[A-ZÅÄÖ]{2,5}$")
#: The stored length (Submission.case_number); a valid number has at most 22 characters.
MAX_LENGTH = 40
FORMAT_HINT = "KOD-ÅÅÅÅ-löpnummer, till exempel ASN-2019-17557 eller GYVF-2022-1941-15"
_TOKENS = re.compile(r"[A-Za-zÅÄÖåäö]+|[0-9]+")
_SWEDISH_LETTERS = "ÅÄÖåäö"
_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class CaseNumberCheck:
    valid: bool
    message: str = ""
    suggestion: str | None = None


def is_valid(case_number: str) -> bool:
    return bool(CASE_NUMBER.match(case_number))


def _ascii_character(character: str) -> str | None:
    """The ASCII letter or digit a look-alike stands for (`٢` → 2, `²` → 2, `Ａ` → A),
    or None when the character is plain or no such letter or digit."""
    if character.isascii() or character in _SWEDISH_LETTERS:
        return None
    decimal = unicodedata.decimal(character, None)
    if decimal is not None:
        return str(decimal)
    folded = unicodedata.normalize("NFKC", character)
    if folded != character and len(folded) == 1 and (
            folded.isascii() and folded.isalnum() or folded in _SWEDISH_LETTERS):
        return folded
    return None


def look_alikes(case_number: str) -> list[str]:
    """The distinct characters that only look like A–Z, Å, Ä, Ö or 0–9, in order."""
    found: list[str] = []
    for character in case_number:
        if _ascii_character(character) is not None and character not in found:
            found.append(character)
    return found


def to_ascii(case_number: str) -> str:
    """The number with every look-alike letter or digit replaced by the plain one."""
    return unicodedata.normalize("NFC", "".join(
        _ascii_character(c) or c for c in case_number))


def suggest(case_number: str) -> str | None:
    """A corrected form for a near miss such as `STK 2018-74`, `stk-2018-074` or
    `TN-٢٠٢٤-15`; leading zeros of the running number are kept."""
    value = to_ascii(case_number)
    tokens = _TOKENS.findall(value)
    leftovers = _TOKENS.sub("", value)
    if re.search(r"[^\s\-–—_/.:]", leftovers):
        return None
    if len(tokens) not in (3, 4) or not tokens[0].isalpha() or not all(
        t.isascii() and t.isdigit() for t in tokens[1:]
    ):
        return None
    code, year, running, *document = tokens
    candidate = "-".join([code.upper(), year, running, *document])
    return candidate if is_valid(candidate) else None


def check(case_number: str) -> CaseNumberCheck:
    value = case_number.strip()
    if not value:
        return CaseNumberCheck(False, "Ange diarienummer.")
    if len(value) > MAX_LENGTH:  # no valid number is this long: nothing to suggest
        return CaseNumberCheck(False, f"Diarienumret får vara högst {MAX_LENGTH} tecken.")
    if is_valid(value):
        return CaseNumberCheck(True)
    suggestion = suggest(value)
    strange = look_alikes(value)
    if strange:
        problem = ("Diarienumret får bara ha bokstäverna A–Ö och siffrorna 0–9, inte "
                   + " ".join(strange[:10]) + ".")
    else:
        problem = "Diarienumret har fel form."
    if suggestion:
        return CaseNumberCheck(False, f"{problem} Menade du {suggestion}?", suggestion)
    return CaseNumberCheck(False, f"{problem} Skriv det som {FORMAT_HINT}.")


# --- registry codes: the organisation's own prefixes --------------------------------

def registry_code(case_number: str) -> str:
    """The registry code of a (valid) case number: `ASN` of `ASN-2024-1187`."""
    return case_number.strip().split("-", 1)[0]


def parse_registry_codes(text: str | None) -> list[str]:
    """`"stk, ks"` → `["STK", "KS"]`: codes separated by commas, semicolons or spaces,
    in capitals, each once."""
    codes: list[str] = []
    for part in _SEPARATORS.split((text or "").strip()):
        code = part.upper()
        if code and code not in codes:
            codes.append(code)
    return codes


def invalid_registry_codes(codes: Iterable[str]) -> list[str]:
    return [code for code in codes if not REGISTRY_CODE.match(code)]


def registry_code_warning(case_number: str, known_codes: list[str],
                          owner: str = "organisationens") -> str | None:
    """A non-blocking Swedish warning when a valid case number's code is not one of the
    organisation's known registry codes; None when it is, or when none are known."""
    if not known_codes or not is_valid(case_number.strip()):
        return None
    code = registry_code(case_number)
    if code in known_codes:
        return None
    return (f"Diarienumrets kod {code} hör inte till {owner} kända diariekoder "
            f"({', '.join(known_codes)}). Kontrollera att numret är rätt.")
