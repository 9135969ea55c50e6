"""Offline suggestions: which sentences of an answer speak of which component, rights area and
maturity level.

Matching runs on Swedish Snowball stems against the lexicon in lexicon.toml (data analysts can
extend; its format is documented at the top of that file). Suggestions are only suggestions: the
analyst accepts them as evidence or not, they never count as a score.

Level per sentence (see also lexicon.toml):
1. A level cue preceded within the negation window by a negation word ("inte", "ej", …, unless
   followed by "bara"/"endast"…) counts as level 0, as do the level-0 cues ("saknas").
2. Of overlapping cues the longest wins ("ska påbörjas" → 1, not the 2 of "påbörjas").
3. Level 2–4 cues after a level-1 cue describe the plan and are ignored ("vi ska införa årliga
   utbildningar" → 1).
4. A level-0 cue wins unless a positive cue comes after it in a later clause (after a comma or
   "men": "kartläggning saknas, men vi planerar en" → 1); otherwise the highest remaining cue.
   No cue → None.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import snowballstemmer

from survey.suggestions.sentences import split_sentences

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")
COMPONENT_CODES = ("MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP")
MIN_PREFIX_STEM = 4
_WORD = re.compile(r"\w+")
_STEMMER = snowballstemmer.stemmer("swedish")


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    text: str
    components: tuple[str, ...]
    level: int | None
    rights_areas: tuple[str, ...]


class Token(NamedTuple):
    """One word of a text (a tuple: an answer of 100 000 characters makes 50 000 of them)."""

    start: int
    end: int
    lower: str
    stem: str


@dataclass(frozen=True)
class WordPattern:
    mode: str  # "exact" | "prefix" | "infix"
    stem: str
    root: str
    surface: str

    def matches(self, token: Token) -> bool:
        if self.mode == "exact":
            # "samt" is not a form of "samtliga" even though both stem to "samt".
            return token.stem == self.stem and (
                token.lower == self.surface or token.lower != self.stem
            )
        if token.stem == self.stem or token.lower == self.stem:
            return True
        if token.lower.startswith(self.root):
            return True
        return self.mode == "infix" and self.root in token.lower[2:]


@dataclass(frozen=True)
class Term:
    source: str
    words: tuple[WordPattern, ...]


@dataclass
class TermSet:
    """Terms (and excludes) of one component, rights area or level."""

    terms: list[Term]
    excludes: list[Term] = field(default_factory=list)


@dataclass
class Lexicon:
    components: dict[str, TermSet]
    rights_areas: dict[str, TermSet]
    levels: dict[int, TermSet]
    negations: frozenset[str]
    not_before: frozenset[str]
    window: int

    @functools.cached_property
    def matcher(self) -> _Matcher:
        """The lexicon compiled for matching (built on first use, then kept with the lexicon)."""
        return _Matcher(self)


def stem(word: str) -> str:
    return _stem_lower(word.lower())


@functools.lru_cache(maxsize=1 << 16)
def _stem_lower(word: str) -> str:
    """Snowball in pure Python is the slow part of tokenizing; a text repeats its words."""
    return _STEMMER.stemWord(word)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    tokens = []
    for match in _WORD.finditer(text, start, end):
        lower = match.group().lower()
        tokens.append(Token(match.start(), match.end(), lower, stem(lower)))
    return tokens


def _root(word_stem: str) -> str:
    if word_stem.endswith("ning") and len(word_stem) - 4 >= 5:
        return word_stem[:-4]
    return word_stem


def compile_term(source: str) -> Term:
    mode = "prefix"
    text = source.strip()
    if text.startswith("="):
        mode, text = "exact", text[1:]
    elif text.startswith("*"):
        mode, text = "infix", text[1:]
    patterns = []
    for token in tokenize(text):
        word_mode = "exact" if len(token.stem) < MIN_PREFIX_STEM else mode
        patterns.append(WordPattern(word_mode, token.stem, _root(token.stem), token.lower))
    return Term(source, tuple(patterns))


def _term_set(table: dict) -> TermSet:
    return TermSet(
        [compile_term(t) for t in table.get("terms", []) if compile_term(t).words],
        [compile_term(t) for t in table.get("exclude", []) if compile_term(t).words],
    )


_CACHE: dict[tuple[str, float], Lexicon] = {}


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """The lexicon at *path*, compiled; cached per path and modification time."""
    path = Path(path)
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _CACHE:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        negation = data.get("negation", {})
        _CACHE[key] = Lexicon(
            components={code: _term_set(t) for code, t in data.get("components", {}).items()},
            rights_areas={name: _term_set(t) for name, t in data.get("rights_areas", {}).items()},
            levels={int(level): TermSet([compile_term(t) for t in terms])
                    for level, terms in data.get("levels", {}).items()},
            negations=frozenset(w.lower() for w in negation.get("words", [])),
            not_before=frozenset(w.lower() for w in negation.get("not_before", [])),
            window=int(negation.get("window", 3)),
        )
    return _CACHE[key]


class _Entry(NamedTuple):
    """A term (or exclude) of term set number *group*, filed under the pattern of its first
    word; *rest* are the pattern numbers of its further words."""

    group: int
    exclude: bool
    rest: tuple[int, ...]


class _WordInfo(NamedTuple):
    patterns: frozenset[int]  # numbers of the word patterns this word matches
    entries: tuple[_Entry, ...]  # the terms that can start at this word


_NOTHING = _WordInfo(frozenset(), ())


class _Matcher:
    """All term sets of a lexicon compiled for one pass over a text (issue 12: linear time).

    Each distinct word of the text is analysed once (memoised): which word patterns it matches,
    found through indexes instead of trying every pattern, and so which terms can start at it.
    A word then costs a dict lookup plus O(terms that start there), whatever the text.
    Matches are exactly those of WordPattern.matches; the indexes rely on a Swedish Snowball
    stem being a prefix of its (lower-case) word, which holds because the algorithm only
    removes or shortens endings (tests/test_suggestions.py checks it)."""

    MEMO_SIZE = 1 << 17  # distinct words remembered; cleared when full
    MEMO_WORD = 64  # longer words are analysed again each time (in time linear in length)

    def __init__(self, lexicon: Lexicon) -> None:
        self.groups = [*lexicon.components.values(), *lexicon.rights_areas.values(),
                       *lexicon.levels.values()]
        n_components, n_areas = len(lexicon.components), len(lexicon.rights_areas)
        self.component_groups = list(enumerate(lexicon.components))
        self.area_groups = [(n_components + k, name)
                            for k, name in enumerate(lexicon.rights_areas)]
        self.level_groups = [(n_components + n_areas + k, level)
                             for k, level in enumerate(lexicon.levels)]
        numbers: dict[WordPattern, int] = {}
        starts: dict[int, set[_Entry]] = defaultdict(set)
        for group, term_set in enumerate(self.groups):
            for exclude, terms in ((False, term_set.terms), (True, term_set.excludes)):
                for term in terms:
                    if term.words:
                        ids = tuple(numbers.setdefault(w, len(numbers)) for w in term.words)
                        starts[ids[0]].add(_Entry(group, exclude, ids[1:]))
        self.patterns = list(numbers)
        self.starts = {pid: tuple(sorted(entries)) for pid, entries in starts.items()}
        # Index of each way a pattern can match (WordPattern.matches):
        self.by_stem: dict[str, list[int]] = defaultdict(list)  # word's stem == pattern stem
        self.by_word: dict[str, list[int]] = defaultdict(list)  # word == pattern stem
        self.by_root: dict[str, list[int]] = defaultdict(list)  # word starts with root
        self.by_bigram: dict[str, list[int]] = defaultdict(list)  # infix: root's first letters
        for pid, pattern in enumerate(self.patterns):
            self.by_stem[pattern.stem].append(pid)
            if pattern.mode != "exact":
                self.by_word[pattern.stem].append(pid)
                self.by_root[pattern.root].append(pid)
                if pattern.mode == "infix":
                    self.by_bigram[pattern.root[:2]].append(pid)
        self.root_lengths = sorted({len(root) for root in self.by_root})
        self.stem_lengths = sorted({len(s) for s in self.by_stem})
        self.min_infix = min((len(self.patterns[pid].root) for pids in self.by_bigram.values()
                              for pid in pids), default=0)
        self.memo: dict[str, _WordInfo] = {}

    def _analyse(self, lower: str) -> _WordInfo:
        length = len(lower)
        found: set[int] = set()
        for k in self.root_lengths:
            if k > length:
                break
            found.update(self.by_root.get(lower[:k], ()))
        found.update(self.by_word.get(lower, ()))
        inner = lower[2:]
        if self.min_infix and len(inner) >= self.min_infix:
            for bigram in {inner[i:i + 2] for i in range(len(inner) - self.min_infix + 1)}:
                for pid in self.by_bigram.get(bigram, ()):
                    if self.patterns[pid].root in inner:
                        found.add(pid)
        # Stemming (pure Python, the slow part) only when some pattern stem begins the word.
        if any(lower[:k] in self.by_stem for k in self.stem_lengths if k <= length):
            for pid in self.by_stem.get(_stem_lower(lower), ()):
                pattern = self.patterns[pid]
                if pattern.mode != "exact" or lower == pattern.surface or lower != pattern.stem:
                    found.add(pid)
        if not found:
            info = _NOTHING
        else:
            entries = {e for pid in found for e in self.starts.get(pid, ())}
            info = _WordInfo(frozenset(found), tuple(sorted(entries)))
        if length <= self.MEMO_WORD:
            if len(self.memo) >= self.MEMO_SIZE:
                self.memo.clear()
            self.memo[lower] = info
        return info

    def scan(self, lowers: list[str]) -> dict[int, list[tuple[int, int]]]:
        """Token ranges [i, j), in no order, matched by a term of each term set (by number),
        leaving out those that share a word with a match of one of the set's excludes, and
        term sets without a match."""
        get, analyse = self.memo.get, self._analyse
        infos = [get(word) or analyse(word) for word in lowers]
        starting = [i for i, info in enumerate(infos) if info.entries]
        if not starting:
            return {}
        count = len(infos)
        hits: dict[int, set[tuple[int, int]]] = defaultdict(set)
        excluded: dict[int, set[int]] = defaultdict(set)
        for i in starting:
            for group, exclude, rest in infos[i].entries:
                j = i + 1
                for pid in rest:  # the further words of a phrase, one by one
                    if j == count or pid not in infos[j].patterns:
                        break
                    j += 1
                else:
                    if exclude:
                        excluded[group].update(range(i, j))
                    else:
                        hits[group].add((i, j))
        result = {}
        for group, ranges in hits.items():
            out = excluded.get(group)
            kept = list(ranges) if out is None else [
                (i, j) for i, j in ranges if out.isdisjoint(range(i, j))]
            if kept:
                result[group] = kept
        return result


_CLAUSE_BREAK = re.compile(r"[,;:()]|\bmen\b", re.IGNORECASE)


def _negated(text: str, lowers: list[str], starts: list[int], ends: list[int], index: int,
             lexicon: Lexicon) -> bool:
    """Whether a negation word stands within the window before word *index*, same clause."""
    for k in range(max(0, index - lexicon.window), index):
        # k + 1 <= index: the following word always exists.
        if lowers[k] in lexicon.negations and lowers[k + 1] not in lexicon.not_before:
            if not _CLAUSE_BREAK.search(text, ends[k], starts[index]):
                return True
    return False


def _level(text: str, lowers: list[str], starts: list[int], ends: list[int],
           cue_hits: list[tuple[int, list[tuple[int, int]]]], lexicon: Lexicon) -> int | None:
    """The level of one sentence from its cue matches (level, token ranges), in linear time
    apart from sorting (rules in the module docstring)."""
    count = len(lowers)
    cues = {(i, j, level) for level, ranges in cue_hits for i, j in ranges
            if not (level == 0 and j < count and lowers[j] in lexicon.not_before)}
    if not cues:
        return None
    # Longest match wins: drop a cue whose range lies inside another, longer range: one that
    # starts at the same word and ends later, or starts earlier and ends no sooner.
    longest: dict[int, int] = {}  # start -> furthest end of a range starting there
    for i, j, _level in cues:
        if j > longest.get(i, -1):
            longest[i] = j
    reach: dict[int, int] = {}  # start -> furthest end of a range starting before it
    furthest = -1
    for i in sorted(longest):
        reach[i] = furthest
        furthest = max(furthest, longest[i])
    cues = sorted({(i, j, 0 if level and _negated(text, lowers, starts, ends, i, lexicon)
                    else level) for i, j, level in cues if j == longest[i] and reach[i] < j})
    plans = [i for i, _j, level in cues if level == 1]
    counted = [(i, level) for i, _j, level in cues
               if not (level >= 2 and plans and i > plans[0])]
    zeros = [i for i, level in counted if level == 0]
    if zeros:
        last = ends[zeros[-1]]
        # The first clause break after the last level-0 cue, found once: a later cue counts
        # iff that break ends before it ("men" cannot end where a word starts).
        brk = _CLAUSE_BREAK.search(text, last, ends[-1])
        after = [level for i, level in counted if i > zeros[-1] and level > 0
                 and brk is not None and brk.end() <= starts[i]]
        return max(after) if after else 0
    return max(level for _i, level in counted)


def sentence_level(text: str, tokens: list[Token], lexicon: Lexicon) -> int | None:
    """The suggested level of one sentence from its cues (rules in the module docstring)."""
    lowers = [t.lower for t in tokens]
    matcher = lexicon.matcher
    hits = matcher.scan(lowers)
    cue_hits = [(level, hits[g]) for g, level in matcher.level_groups if g in hits]
    return _level(text, lowers, [t.start for t in tokens], [t.end for t in tokens], cue_hits,
                  lexicon)


def suggest(text: str, lexicon: Lexicon | None = None) -> list[Suggestion]:
    """Sentences of *text* that speak of at least one component or rights area, in order.

    Linear in the length of the text (issue 12): every suggestion the text gives is returned,
    with no cap, since the assessment page lists them all."""
    lexicon = lexicon or load_lexicon()
    matcher = lexicon.matcher
    suggestions = []
    for span in split_sentences(text):
        lowers = [word.lower() for word in _WORD.findall(text, span.start, span.end)]
        hits = matcher.scan(lowers)
        if not hits:
            continue
        components = tuple(code for g, code in matcher.component_groups if g in hits)
        areas = tuple(name for g, name in matcher.area_groups if g in hits)
        if not components and not areas:
            continue
        cue_hits = [(level, hits[g]) for g, level in matcher.level_groups if g in hits]
        level = None
        if cue_hits:
            words = list(_WORD.finditer(text, span.start, span.end))
            level = _level(text, lowers, [m.start() for m in words], [m.end() for m in words],
                           cue_hits, lexicon)
        suggestions.append(Suggestion(span.start, span.end, text[span.start:span.end],
                                      components, level, areas))
    return suggestions
