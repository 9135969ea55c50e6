"""Split Swedish text into sentences while keeping character offsets into the original text.

Rules, in order:
- A blank line always ends a sentence (paragraphs, headings).
- A single newline ends a sentence unless the next line starts with a lower-case letter (a line
  wrapped in the middle of a sentence, as in text copied from a PDF). A line that starts with a
  list marker ("-", "•", "*", "–", "1.", "a)") always starts a new sentence.
- ".", "!" or "?" followed by whitespace ends a sentence, except after a known abbreviation
  ("t.ex.", "bl.a.", "m.m.", "dvs.", "s.k." …), after a single letter or a number ("kap. 3",
  "1. Kommunfullmäktige"), or when the next word starts with a lower-case letter.
Leading list markers and surrounding whitespace are left out of each span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    {
        "t.ex", "bl.a", "m.m", "m.fl", "dvs", "d.v.s", "s.k", "o.s.v", "osv", "etc", "ca", "jfr",
        "resp", "enl", "fr.o.m", "t.o.m", "inkl", "exkl", "nr", "kap", "st", "tel", "p.g.a",
        "pga", "t.ex.s", "f.d", "e.d", "o.d", "ang", "avd", "forts", "kl", "mfl", "mm", "ev",
        "bl.a.", "s", "sid", "prop", "sfs", "t", "ff", "vs", "jan", "feb", "aug", "sept", "okt",
        "nov", "dec", "tf", "mkr", "tkr", "milj",
    }
)

# Abbreviations that often end a sentence: a following capital letter starts a new one.
SENTENCE_FINAL = frozenset({"m.m", "mm", "m.fl", "mfl", "etc", "osv", "o.s.v"})

_LIST_MARKER = re.compile(r"[ \t]*(?:[-–•*·▪]|\d{1,2}[.)]|[a-zA-Z][)])[ \t]+")
_CLOSERS = (".", "!", "?", ":", ";")
#: Sentence-ending punctuation and closing quotes before whitespace. Only at the start of a
#: run of punctuation, and possessive: `finditer` would otherwise rescan a run of 100 000
#: full stops from each of its characters (quadratic time). Neither changes what is found.
_END = re.compile(r"(?<![.!?])[.!?]++[\"'”»)]*+(?=\s)")
_SPACE = re.compile(r"\s*")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    marker = _LIST_MARKER.match(text, start, end)
    if marker:
        start = marker.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return Span(start, end)


def _ends_with_closer(text: str, end: int) -> bool:
    """Whether text[:end], without trailing whitespace, ends with closing punctuation."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end > 0 and text[end - 1] in _CLOSERS


def _line_blocks(text: str) -> list[tuple[int, int]]:
    """Blocks of lines that belong together (see the module docstring)."""
    blocks: list[tuple[int, int]] = []
    lines = [m for m in re.finditer(r"[^\n]*(?:\n|$)", text) if m.end() > m.start()]
    block_start: int | None = None
    previous_blank = True
    for match in lines:
        line = match.group().rstrip("\n")
        blank = not line.strip()
        stripped = line.lstrip()
        # A lower-case line continues the sentence, even across blank lines (page breaks in
        # text copied from a PDF) when the text before it has no closing punctuation.
        continues = (
            not blank
            and stripped[:1].islower()
            and not _LIST_MARKER.match(line)
            and (block_start is not None if not previous_blank
                 else bool(blocks) and not _ends_with_closer(text, blocks[-1][1]))
        )
        if continues and block_start is None:
            block_start = blocks.pop()[0]
        if blank:
            if block_start is not None:
                blocks.append((block_start, match.start()))
                block_start = None
        elif not continues:
            if block_start is not None:
                blocks.append((block_start, match.start()))
            block_start = match.start()
        previous_blank = blank
    if block_start is not None:
        blocks.append((block_start, len(text)))
    return blocks


def _is_abbreviation(text: str, block_start: int, dot: int) -> bool:
    word_start = dot
    while word_start > block_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lower().lstrip("(\"'")
    if not word:
        return False
    if word in SENTENCE_FINAL:
        following = text[dot + 1:dot + 3].lstrip()
        return not following[:1].isupper()
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return True
    return len(word) == 1 or word.isdigit()


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of *text*, in order; text[span.start:span.end] is the sentence."""
    spans: list[Span] = []
    for block_start, block_end in _line_blocks(text):
        start = block_start
        for match in _END.finditer(text, block_start, block_end):
            if text[match.start()] == "." and _is_abbreviation(text, block_start, match.start()):
                continue
            following = _SPACE.match(text, match.end(), block_end).end()
            if text[following:following + 1].islower() and following < block_end:
                continue
            span = _trimmed(text, start, match.end())
            if span:
                spans.append(span)
            start = match.end()
        span = _trimmed(text, start, block_end)
        if span:
            spans.append(span)
    return spans
