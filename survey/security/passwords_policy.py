"""The password policy (OWASP ASVS 4.0 V2.1): 12 to 128 characters, any characters (spaces
and all of Unicode), no composition rules, and no password from the bundled list of common
passwords (survey/data/common-passwords.txt; its source and licence are at its top)."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


def _normalise(password: str) -> str:
    return unicodedata.normalize("NFC", password).casefold()


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(_normalise(line) for line in lines if line and not line.startswith("#"))


def is_common(password: str) -> bool:
    """Whether the password is on the list, ignoring case."""
    return _normalise(password) in common_passwords()


def problem(password: str) -> str | None:
    """A Swedish description of why the password is not acceptable, or None."""
    length = len(unicodedata.normalize("NFC", password))
    if length < MIN_LENGTH:
        return f"Lösenordet måste ha minst {MIN_LENGTH} tecken."
    if length > MAX_LENGTH:
        return f"Lösenordet får ha högst {MAX_LENGTH} tecken."
    if is_common(password):
        return ("Lösenordet är för vanligt och lätt att gissa. Välj ett annat, gärna några "
                "ord i följd som bara du känner till.")
    return None
