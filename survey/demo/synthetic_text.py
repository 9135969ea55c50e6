"""Swedish-looking answer texts for synthetic data, from a small vocabulary and a seeded RNG.

The texts only have to look plausible and vary in length (30–1 500 words) so that pages,
word counts and evidence quotes behave as with real answers; they carry no meaning.
"""

from __future__ import annotations

import math
import random

SUBJECTS = (
    "Förvaltningen", "Nämnden", "Bolaget", "Styrelsen", "Ledningsgruppen", "Arbetsgruppen",
    "Verksamheten", "Enheten", "Medarbetarna", "Cheferna", "Stadsdelen", "Avdelningen",
)
VERBS = (
    "har genomfört", "arbetar med", "har utvecklat", "följer upp", "planerar",
    "har påbörjat", "samordnar", "har kartlagt", "utvärderar", "har tagit fram",
    "fördjupar", "prioriterar", "har infört", "ser över", "har beslutat om",
)
OBJECTS = (
    "en handlingsplan", "kompetenshöjande insatser", "barnkonsekvensanalyser",
    "dialogmöten med brukare", "en kartläggning av tillgängligheten",
    "rutiner för uppföljning", "statistik uppdelad på kön och ålder",
    "utbildning i normkritiskt förhållningssätt", "samverkan med civilsamhället",
    "checklistor för delaktighet", "mål i verksamhetsplanen", "riktlinjer för bemötande",
    "en enkät till medarbetare", "nyckeltal för likvärdighet", "ett nätverk av ombud",
    "information på flera språk", "en översyn av styrdokumenten", "workshoppar för chefer",
)
AREAS = (
    "barnets rättigheter", "jämställdhet", "jämlikhet", "antirasism och icke-diskriminering",
    "nationella minoriteters rättigheter", "funktionsrätt och tillgänglighet",
    "hbtqi-personers rättigheter", "äldres rättigheter",
)
TAILS = (
    "under året", "inom ramen för befintlig budget", "tillsammans med stadskontoret",
    "i samtliga verksamheter", "för att stärka rättighetsperspektivet",
    "med stöd av extern expertis", "men arbetet behöver utvecklas vidare",
    "och resultatet redovisas i årsanalysen", "på flera arbetsplatser",
    "enligt den antagna planen", "i dialog med målgrupperna", "trots begränsade resurser",
)
JUDGEMENTS = (
    "Svaret beskriver {obj} men visar inte hur arbetet följs upp.",
    "Svaret ger konkreta exempel på {obj} med tydlig ansvarsfördelning.",
    "Arbetet med {obj} är planerat men ännu inte genomfört.",
    "Svaret nämner {obj} utan att koppla det till policyns principer.",
    "Det framgår att {obj} används systematiskt i hela verksamheten.",
)
RETURN_REASONS = (
    "Svaret saknar beslutsdatum och diarienummer för nämndens beslut.",
    "Fråga 2 behöver kompletteras med utmaningar på stadsövergripande nivå.",
    "Självskattningen saknar motivering för flera komponenter.",
)
MIN_WORDS, MAX_WORDS = 30, 1500
SENTENCE_POOL = 1200


class TextMaker:
    """Answer texts, justifications and quotes; reproducible for a given Random."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sentences = [self._sentence() for _ in range(SENTENCE_POOL)]
        self.lengths = [len(s.split()) for s in self.sentences]

    def _sentence(self) -> str:
        rng = self.rng
        parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
        if rng.random() < 0.6:
            parts.append("med fokus på " + rng.choice(AREAS))
        if rng.random() < 0.7:
            parts.append(rng.choice(TAILS))
        return " ".join(parts) + "."

    def answer(self) -> str:
        """Paragraphs of sentences; the length is log-uniform between 30 and 1 500 words."""
        rng = self.rng
        target = math.exp(rng.uniform(math.log(MIN_WORDS), math.log(MAX_WORDS)))
        paragraphs, sentences, words = [], [], 0
        while words < target:
            index = rng.randrange(SENTENCE_POOL)
            sentences.append(self.sentences[index])
            words += self.lengths[index]
            if len(sentences) >= rng.randint(3, 7):
                paragraphs.append(" ".join(sentences))
                sentences = []
        if sentences:
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)

    def justification(self) -> str:
        return self.rng.choice(JUDGEMENTS).format(obj=self.rng.choice(OBJECTS))

    def return_reason(self) -> str:
        return self.rng.choice(RETURN_REASONS)

    def quote_span(self, text: str) -> tuple[int, int]:
        """Offsets of one whole sentence of `text` (text[start:end] is the quote)."""
        start = text.find(". ", self.rng.randrange(len(text)))
        start = 0 if start < 0 else start + 2
        end = text.find(".", start)
        return start, (len(text) if end < 0 else end + 1)
