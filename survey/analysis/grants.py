"""The development-funds figures: from the submitted reports of a round of several reports,
granted and used amounts per work, per organisation, per area and in total, the utilisation
(used / granted) and the works per component the analysts tagged.

A work granted for two areas counts in each area's figures, so the areas' sums can exceed
the total. Utilisation of a group is taken over the works that state both amounts, so that a
missing amount does not read as money left unused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from survey.analysis.filters import DashboardFilter
from survey.analysis.population import narrow
from survey.assessments.models import response_component
from survey.extensions import db
from survey.organisations.models import Organisation
from survey.questionnaires.grants import AREAS, GRANTED, USED, YEAR, parse_amount, parse_year
from survey.questionnaires.models import Round, RoundQuestion
from survey.questionnaires.question_types import MultiChoiceField
from survey.reference.models import Component
from survey.reference.services import components
from survey.responses.models import Answer, Response, ResponseStatus
from survey.responses.services import WORK_NAME_KEY

NAME = WORK_NAME_KEY  # the work's name, which also labels the report for respondents
KEYS = (NAME, AREAS, YEAR, GRANTED, USED)


def utilisation(used: int | None, granted: int | None) -> float | None:
    """used / granted; None when either is missing or nothing was granted."""
    if used is None or not granted:
        return None
    return used / granted


@dataclass(frozen=True)
class Work:
    """One submitted report: a development work."""

    response_id: int
    organisation_id: int
    organisation: str
    short_name: str
    number: int
    name: str
    areas: tuple[str, ...]
    year: int | None
    granted: int | None
    used: int | None
    components: tuple[str, ...]  # component codes, in the components' order

    @property
    def utilisation(self) -> float | None:
        return utilisation(self.used, self.granted)

    @property
    def overspent(self) -> bool:
        """More used than granted: allowed, but flagged."""
        return self.used is not None and self.granted is not None and self.used > self.granted


@dataclass(frozen=True)
class Sums:
    """Amounts of a group of works (an organisation, an area, all)."""

    label: str
    works: int
    granted: int
    used: int
    #: Sums over the works that state both amounts: the base of the utilisation.
    paired_granted: int
    paired_used: int
    missing_amounts: int  # works without one or both amounts

    @property
    def utilisation(self) -> float | None:
        return utilisation(self.paired_used, self.paired_granted)


def sums(label: str, works: Iterable[Work]) -> Sums:
    works = list(works)
    paired = [w for w in works if w.granted is not None and w.used is not None]
    return Sums(label=label, works=len(works),
                granted=sum(w.granted for w in works if w.granted is not None),
                used=sum(w.used for w in works if w.used is not None),
                paired_granted=sum(w.granted for w in paired),
                paired_used=sum(w.used for w in paired),
                missing_amounts=len(works) - len(paired))


@dataclass(frozen=True)
class ComponentWorks:
    code: str
    name: str
    works: int


@dataclass(frozen=True)
class GrantFigures:
    works: list[Work]
    organisations: list[Sums]
    areas: list[Sums]
    total: Sums
    components: list[ComponentWorks]

    @property
    def overspent(self) -> list[Work]:
        return [w for w in self.works if w.overspent]

    @property
    def untagged(self) -> int:
        """Works no analyst has tagged with a component yet."""
        return sum(1 for w in self.works if not w.components)


def _submitted(round_: Round, filters: DashboardFilter):
    query = (select(Response.id, Response.number, Organisation.id.label("organisation_id"),
                    Organisation.name, Organisation.short_name)
             .join(Organisation, Organisation.id == Response.organisation_id)
             .where(Response.round_id == round_.id,
                    Response.status == ResponseStatus.SUBMITTED))
    return narrow(query, filters)


def _answers(round_: Round, response_ids) -> dict[int, dict[str, str]]:
    """The texts of the figures' questions, by response and question key (one query)."""
    query = (select(Answer.response_id, RoundQuestion.key, Answer.text)
             .join(RoundQuestion, RoundQuestion.id == Answer.question_id)
             .where(RoundQuestion.round_id == round_.id, RoundQuestion.key.in_(KEYS),
                    Answer.response_id.in_(response_ids)))
    found: dict[int, dict[str, str]] = {}
    for row in db.session.execute(query):
        found.setdefault(row.response_id, {})[row.key] = row.text
    return found


def _components(response_ids) -> dict[int, list[str]]:
    query = (select(response_component.c.response_id, Component.code)
             .join(Component, Component.id == response_component.c.component_id)
             .where(response_component.c.response_id.in_(response_ids))
             .order_by(Component.position))
    found: dict[int, list[str]] = {}
    for response_id, code in db.session.execute(query):
        found.setdefault(response_id, []).append(code)
    return found


def _area_choices(round_: Round) -> list[str]:
    choices = db.session.scalar(select(RoundQuestion.choices).where(
        RoundQuestion.round_id == round_.id, RoundQuestion.key == AREAS))
    return list(choices or [])


def newest_with_reports(rounds: list[Round]) -> Round | None:
    """The newest of `rounds` (newest first) with a submitted report, if any: the page's
    default, so that a just-opened round with nothing filed does not hide last year's."""
    filed = set(db.session.scalars(
        select(Response.round_id).where(Response.round_id.in_([r.id for r in rounds]),
                                        Response.status == ResponseStatus.SUBMITTED)
        .distinct()))
    return next((round_ for round_ in rounds if round_.id in filed), None)


def grant_figures(round_: Round, filters: DashboardFilter) -> GrantFigures:
    """The figures of `round_`'s submitted reports (drafts and returned reports do not count),
    narrowed by the kind and organisation filters."""
    responses = db.session.execute(
        _submitted(round_, filters).order_by(Organisation.name, Response.number)).all()
    ids = _submitted(round_, filters).with_only_columns(Response.id).scalar_subquery()
    answers = _answers(round_, ids) if responses else {}
    tagged = _components(ids) if responses else {}
    works = []
    for row in responses:
        texts = answers.get(row.id, {})
        works.append(Work(
            response_id=row.id, organisation_id=row.organisation_id, organisation=row.name,
            short_name=row.short_name, number=row.number,
            name=(texts.get(NAME) or "").strip(),
            areas=tuple(MultiChoiceField.selected(texts.get(AREAS, ""))),
            year=parse_year(texts.get(YEAR)), granted=parse_amount(texts.get(GRANTED)),
            used=parse_amount(texts.get(USED)), components=tuple(tagged.get(row.id, ()))))

    organisations: dict[int, list[Work]] = {}
    for work in works:  # already in the organisations' name order
        organisations.setdefault(work.organisation_id, []).append(work)
    area_names = _area_choices(round_)
    area_names += sorted({a for w in works for a in w.areas} - set(area_names))
    return GrantFigures(
        works=works,
        organisations=[sums(group[0].organisation, group) for group in organisations.values()],
        areas=[sums(area, (w for w in works if area in w.areas)) for area in area_names],
        total=sums("Totalt", works),
        components=[ComponentWorks(c.code, c.name, sum(1 for w in works if c.code in w.components))
                    for c in components()],
    )
