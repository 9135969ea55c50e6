"""Case numbers (diarienummer): `KOD-ÅÅÅÅ-löpnummer`, optionally `-dokumentnummer`."""

from __future__ import annotations

import re
from dataclasses import dataclass

CASE_NUMBER = re.compile(r"^[A-ZÅÄÖ]{2,5}-\d{4}-[1-9]\d{0,5}(?:-\d{1,4})?$")
FORMAT_HINT = "KOD-ÅÅÅÅ-löpnummer, till exempel ASN-2019-17557 eller GYVF-2022-1941-15"
_TOKENS = re.compile(r"[A-Za-zÅÄÖåäö]+|\d+")


@dataclass(frozen=True)
class CaseNumberCheck:
    valid: bool
    message: str = ""
    suggestion: str | None = None


def is_valid(case_number: str) -> bool:
    return bool(CASE_NUMBER.match(case_number))


def suggest(case_number: str) -> str | None:
    """A corrected form for a near miss such as `STK 2018-74` or `stk-2018-074`."""
    tokens = _TOKENS.findall(case_number)
    leftovers = _TOKENS.sub("", case_number)
    if re.search(r"[^\s\-–—_/.:]", leftovers):
        return None
    if len(tokens) not in (3, 4) or not tokens[0].isalpha() or not all(
        t.isdigit() for t in tokens[1:]
    ):
        return None
    code, year, running, *document = tokens
    candidate = "-".join([code.upper(), year, str(int(running)), *document])
    return candidate if is_valid(candidate) else None


def check(case_number: str) -> CaseNumberCheck:
    value = case_number.strip()
    if not value:
        return CaseNumberCheck(False, "Ange diarienummer.")
    if is_valid(value):
        return CaseNumberCheck(True)
    suggestion = suggest(value)
    if suggestion:
        return CaseNumberCheck(
            False, f"Diarienumret har fel form. Menade du {suggestion}?", suggestion
        )
    return CaseNumberCheck(False, f"Diarienumret har fel form. Skriv det som {FORMAT_HINT}.")
