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

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import snowballstemmer

from survey.scoring.sentences import split_sentences

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")
COMPONENT_CODES = ("MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP")
MIN_PREFIX_STEM = 4
KEY = 3  # index terms by this many leading letters
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


@dataclass(frozen=True)
class Token:
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

    def __post_init__(self) -> None:
        self.term_index = _Index(self.terms)
        self.exclude_index = _Index(self.excludes)


class _Index:
    """Terms keyed by the first letters of their first word, so that each token only tries
    the few terms that can start there (compound-part terms are always tried)."""

    def __init__(self, terms: list[Term]) -> None:
        self.by_key: dict[str, list[Term]] = defaultdict(list)
        self.anywhere: list[Term] = []
        for term in terms:
            first = term.words[0]
            if first.mode == "infix":
                self.anywhere.append(term)
            else:
                self.by_key[first.root[:KEY]].append(term)
                if first.stem[:KEY] != first.root[:KEY]:
                    self.by_key[first.stem[:KEY]].append(term)

    def find(self, tokens: list[Token]) -> list[tuple[int, int]]:
        hits = []
        for i, token in enumerate(tokens):
            keys = {token.lower[:KEY], token.stem[:KEY]}
            candidates = [t for key in keys for t in self.by_key.get(key, ())]
            for term in {id(t): t for t in [*candidates, *self.anywhere]}.values():
                n = len(term.words)
                if i + n <= len(tokens) and all(
                    p.matches(tokens[i + k]) for k, p in enumerate(term.words)
                ):
                    hits.append((i, i + n))
        return hits


@dataclass
class Lexicon:
    components: dict[str, TermSet]
    rights_areas: dict[str, TermSet]
    levels: dict[int, TermSet]
    negations: frozenset[str]
    not_before: frozenset[str]
    window: int


def stem(word: str) -> str:
    return _STEMMER.stemWord(word.lower())


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


def find(term: Term, tokens: list[Token]) -> list[tuple[int, int]]:
    """Token index ranges [i, j) where *term* matches consecutive tokens."""
    n = len(term.words)
    hits = []
    for i in range(len(tokens) - n + 1):
        if all(p.matches(tokens[i + k]) for k, p in enumerate(term.words)):
            hits.append((i, i + n))
    return hits


def _matches(term_set: TermSet, tokens: list[Token]) -> list[tuple[int, int]]:
    excluded: set[int] = set()
    for i, j in term_set.exclude_index.find(tokens):
        excluded.update(range(i, j))
    return [(i, j) for i, j in term_set.term_index.find(tokens)
            if excluded.isdisjoint(range(i, j))]


_CLAUSE_BREAK = re.compile(r"[,;:()]|\bmen\b", re.IGNORECASE)


def _negated(text: str, tokens: list[Token], index: int, lexicon: Lexicon) -> bool:
    """Whether a negation word stands within the window before tokens[index], same clause."""
    for k in range(max(0, index - lexicon.window), index):
        if _CLAUSE_BREAK.search(text, tokens[k].end, tokens[index].start):
            continue
        if tokens[k].lower in lexicon.negations:
            following = tokens[k + 1].lower if k + 1 < len(tokens) else ""
            if following not in lexicon.not_before:
                return True
    return False


def sentence_level(text: str, tokens: list[Token], lexicon: Lexicon) -> int | None:
    """The suggested level of one sentence from its cues (rules in the module docstring)."""
    cues = []  # (start, end, level)
    for level, term_set in lexicon.levels.items():
        cues.extend((i, j, level) for i, j in _matches(term_set, tokens)
                    if not (level == 0 and j < len(tokens)
                            and tokens[j].lower in lexicon.not_before))
    # Longest match wins: drop cues contained in a longer one.
    cues = [c for c in cues
            if not any(o != c and o[0] <= c[0] and c[1] <= o[1] and o[1] - o[0] > c[1] - c[0]
                       for o in cues)]
    cues = sorted({(i, j, 0 if level and _negated(text, tokens, i, lexicon) else level)
                   for i, j, level in cues})
    if not cues:
        return None
    plans = [i for i, _j, level in cues if level == 1]
    counted = [(i, level) for i, _j, level in cues
               if not (level >= 2 and plans and i > plans[0])]
    zeros = [i for i, level in counted if level == 0]
    if zeros:
        last = tokens[zeros[-1]].end
        after = [level for i, level in counted if i > zeros[-1] and level > 0
                 and _CLAUSE_BREAK.search(text, last, tokens[i].start)]
        return max(after) if after else 0
    return max(level for _i, level in counted)


def suggest(text: str, lexicon: Lexicon | None = None) -> list[Suggestion]:
    """Sentences of *text* that speak of at least one component or rights area, in order."""
    lexicon = lexicon or load_lexicon()
    suggestions = []
    for span in split_sentences(text):
        tokens = tokenize(text, span.start, span.end)
        components = tuple(code for code, terms in lexicon.components.items()
                           if _matches(terms, tokens))
        areas = tuple(name for name, terms in lexicon.rights_areas.items()
                      if _matches(terms, tokens))
        if not components and not areas:
            continue
        suggestions.append(Suggestion(span.start, span.end, text[span.start:span.end],
                                      components, sentence_level(text, tokens, lexicon), areas))
    return suggestions


def explain(text: str, lexicon: Lexicon | None = None) -> dict[str, list[str]]:
    """Which lexicon entries match in *text* (for tuning the lexicon)."""
    lexicon = lexicon or load_lexicon()
    tokens = tokenize(text)
    found: dict[str, list[str]] = defaultdict(list)
    groups = [*lexicon.components.items(), *lexicon.rights_areas.items(),
              *((f"level {k}", v) for k, v in lexicon.levels.items())]
    for name, term_set in groups:
        for term in term_set.terms:
            for i, j in find(term, tokens):
                found[name].append(f"{term.source} → {text[tokens[i].start:tokens[j - 1].end]}")
    return dict(found)
