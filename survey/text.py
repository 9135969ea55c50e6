"""Text that may be stored and exported: without the characters XML 1.0 forbids.

XML 1.0 allows tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD and
U+10000–U+10FFFF. Everything else (NUL and the other C0 controls, lone surrogates
U+D800–U+DFFF, U+FFFE and U+FFFF) breaks the xlsx workbooks, and PostgreSQL refuses NUL in
text. Input is cleaned with `remove_xml_illegal` where the request is parsed
(`survey.inputs`), so nothing illegal is stored.
"""

from __future__ import annotations

import re

#: Every character XML 1.0 forbids (C1 controls U+007F–U+009F are allowed, so kept).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_xml_illegal(text: str) -> bool:
    return XML_ILLEGAL.search(text) is not None


def remove_xml_illegal(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (the rest unchanged)."""
    return XML_ILLEGAL.sub("", text)
