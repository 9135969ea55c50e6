"""Double coding: agreement between two analysts, and the consensus they record.

A *pair* is two DONE independent assessments of the same response by two analysts; with
more than two, the first two by completed_at count. Only up-to-date assessments take part
(the response is submitted and both read its latest submission), as in analysis/levels.py.

Agreement over a round is computed over every (pair, component) where both have a level:
exact agreement per component and overall, and quadratically weighted Cohen's kappa with the
categories 0–4 of the maturity scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from survey.accounts.models import User
from survey.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentRevision,
    AssessmentScore,
    AssessmentStatus,
    EvidenceQuote,
)
from survey.audit.services import record
from survey.database import utcnow
from survey.extensions import db
from survey.reference.models import MAX_LEVEL, MIN_LEVEL, Component
from survey.reference.services import components
from survey.responses.models import Response, ResponseStatus, latest_submissions

CATEGORIES = tuple(range(MIN_LEVEL, MAX_LEVEL + 1))


class AgreementError(ValueError):
    """A consensus that cannot be recorded (message in Swedish, for the page)."""


@dataclass
class Pair:
    response: Response
    first: Assessment
    second: Assessment

    def level(self, assessment: Assessment, component: Component) -> int | None:
        score = assessment.score_for(component)
        return score.level if score is not None else None

    def levels(self, component: Component) -> tuple[int | None, int | None]:
        return self.level(self.first, component), self.level(self.second, component)

    def differences(self, components: list[Component]) -> list[Component]:
        """The components where both have a level and the levels differ."""
        return [c for c in components
                if None not in self.levels(c) and self.levels(c)[0] != self.levels(c)[1]]


@dataclass
class ComponentAgreement:
    component: Component
    n: int  # pairs where both gave a level
    agreed: int

    @property
    def exact(self) -> float | None:
        return self.agreed / self.n if self.n else None


@dataclass
class Kappa:
    value: float | None
    note: str = ""  # why value is None


@dataclass
class RoundAgreement:
    pairs: list[Pair]
    components: list[ComponentAgreement]
    n: int  # (pair, component) ratings compared
    agreed: int
    kappa: Kappa
    notes: list[str] = field(default_factory=list)

    @property
    def exact(self) -> float | None:
        return self.agreed / self.n if self.n else None


def weighted_kappa(ratings: list[tuple[int, int]],
                   categories: tuple[int, ...] = CATEGORIES) -> Kappa:
    """Quadratically weighted Cohen's kappa of (rater 1, rater 2) category pairs.

    O is the observed matrix of proportions, E the outer product of its marginals,
    w_ij = (i - j)^2 / (k - 1)^2 and kappa = 1 - sum(w*O) / sum(w*E). When sum(w*E) is 0
    (every rating in one and the same category) kappa is undefined: value None with a note.
    """
    if not ratings:
        return Kappa(None, "Inga dubbelbedömningar att jämföra.")
    k = len(categories)
    index = {category: i for i, category in enumerate(categories)}
    n = len(ratings)
    observed = [[0.0] * k for _ in range(k)]
    for a, b in ratings:
        observed[index[a]][index[b]] += 1 / n
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    weight = [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    disagreement_observed = sum(weight[i][j] * observed[i][j]
                                for i in range(k) for j in range(k))
    disagreement_expected = sum(weight[i][j] * rows[i] * cols[j]
                                for i in range(k) for j in range(k))
    if disagreement_expected == 0:
        return Kappa(None, "Kappa kan inte beräknas: alla bedömningar har samma nivå.")
    return Kappa(1 - disagreement_observed / disagreement_expected)


def _pairs(query_filter) -> list[Pair]:
    latest = latest_submissions()
    assessments = db.session.scalars(
        select(Assessment)
        .join(Response, Response.id == Assessment.response_id)
        .join(latest, and_(latest.c.response_id == Assessment.response_id,
                           latest.c.submission_id == Assessment.submission_id))
        .where(Assessment.kind == AssessmentKind.INDEPENDENT,
               Assessment.status == AssessmentStatus.DONE,
               Response.status == ResponseStatus.SUBMITTED, query_filter)
        .options(selectinload(Assessment.scores), selectinload(Assessment.analyst),
                 selectinload(Assessment.response).selectinload(Response.organisation))
        .order_by(Assessment.response_id, Assessment.completed_at, Assessment.id)
    ).all()
    grouped: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        grouped.setdefault(assessment.response_id, []).append(assessment)
    return [Pair(items[0].response, items[0], items[1])
            for items in grouped.values() if len(items) >= 2]


def round_pairs(round_id: int) -> list[Pair]:
    """The double-coded responses of a round, by organisation name."""
    pairs = _pairs(Response.round_id == round_id)
    return sorted(pairs, key=lambda pair: pair.response.organisation.name)


def response_pair(response: Response) -> Pair | None:
    pairs = _pairs(Response.id == response.id)
    return pairs[0] if pairs else None


def round_agreement(round_id: int) -> RoundAgreement:
    pairs = round_pairs(round_id)
    per_component = []
    ratings: list[tuple[int, int]] = []
    for component in components():
        compared = [pair.levels(component) for pair in pairs]
        compared = [(a, b) for a, b in compared if a is not None and b is not None]
        ratings.extend(compared)
        per_component.append(ComponentAgreement(component, len(compared),
                                                sum(a == b for a, b in compared)))
    return RoundAgreement(
        pairs=pairs, components=per_component, n=len(ratings),
        agreed=sum(a == b for a, b in ratings), kappa=weighted_kappa(ratings),
    )


def consensus_for(response: Response) -> Assessment | None:
    return db.session.scalar(select(Assessment).where(
        Assessment.response_id == response.id, Assessment.kind == AssessmentKind.CONSENSUS))


def _snapshot(assessment: Assessment) -> dict:
    return {
        "status": assessment.status.value,
        "scores": [{"component_id": s.component_id, "level": s.level,
                    "justification": s.justification} for s in assessment.scores],
        "quotes": [{"answer_id": q.answer_id, "start": q.start, "end": q.end,
                    "component_id": q.component_id, "rights_area_id": q.rights_area_id,
                    "tag_id": q.tag_id} for q in assessment.quotes],
    }


def _copy_quotes(consensus: Assessment, pair: Pair, analyst: User) -> None:
    """The evidence of both analysts, without duplicates, so the consensus shows it too."""
    seen = {(q.answer_id, q.start, q.end, q.component_id, q.rights_area_id, q.tag_id)
            for q in consensus.quotes}
    for quote in pair.first.quotes + pair.second.quotes:
        key = (quote.answer_id, quote.start, quote.end, quote.component_id,
               quote.rights_area_id, quote.tag_id)
        if key not in seen:
            seen.add(key)
            consensus.quotes.append(EvidenceQuote(
                answer_id=quote.answer_id, start=quote.start, end=quote.end, text=quote.text,
                component_id=quote.component_id, rights_area_id=quote.rights_area_id,
                tag_id=quote.tag_id, from_suggestion=quote.from_suggestion,
                created_by_id=analyst.id))


def record_consensus(response: Response, analyst: User, levels: dict[int, int | None],
                     notes: dict[int, str]) -> Assessment:
    """Create or update the response's consensus assessment (DONE), keyed by component id.

    Where the two analysts agree, the agreed level is used (a level given for it is
    ignored) and, without a note, the first analyst's justification is kept. Where they
    differ, a level 0–4 is required. Evidence quotes, rights areas and tags of both are
    carried over. The caller commits.
    """
    pair = response_pair(response)
    if pair is None:
        raise AgreementError("Svaret är inte dubbelbedömt av två analytiker.")
    chosen: dict[int, tuple[int | None, str]] = {}
    missing = []
    for component in components():
        first, second = pair.levels(component)
        note = (notes.get(component.id) or "").strip()
        if first == second:
            score = pair.first.score_for(component)
            chosen[component.id] = (first, note or (score.justification if score else ""))
            continue
        level = levels.get(component.id)
        if level is None or not MIN_LEVEL <= level <= MAX_LEVEL:
            missing.append(component.name)
        chosen[component.id] = (level, note)
    if missing:
        raise AgreementError("Välj en gemensam nivå för " + ", ".join(missing) + ".")

    consensus = consensus_for(response)
    now = utcnow()
    if consensus is None:
        consensus = Assessment(response_id=response.id, kind=AssessmentKind.CONSENSUS,
                               version=0, created_at=now)
        db.session.add(consensus)
    consensus.analyst_id = analyst.id
    consensus.submission_id = pair.first.submission_id
    consensus.status = AssessmentStatus.DONE
    consensus.version = (consensus.version or 0) + 1
    consensus.updated_at = now
    consensus.completed_at = now
    by_component = {score.component_id: score for score in consensus.scores}
    for component_id, (level, justification) in chosen.items():
        score = by_component.get(component_id)
        if score is None:
            score = AssessmentScore(component_id=component_id)
            consensus.scores.append(score)
        score.level = level
        score.justification = justification
    _copy_quotes(consensus, pair, analyst)
    for area in pair.first.rights_areas + pair.second.rights_areas:
        if area not in consensus.rights_areas:
            consensus.rights_areas.append(area)
    for tag in pair.first.tags + pair.second.tags:
        if tag not in consensus.tags:
            consensus.tags.append(tag)
    db.session.flush()
    db.session.add(AssessmentRevision(assessment_id=consensus.id, version=consensus.version,
                                      content=_snapshot(consensus), action="consensus",
                                      created_at=now, user_id=analyst.id))
    record("assessment.consensus", obj=response, user=analyst,
           detail=f"gemensam bedömning version {consensus.version}")
    return consensus
