"""The dashboard filters, read from and written to the URL so that a view survives reload."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select

from survey.analysis.levels import LevelSource
from survey.extensions import db
from survey.inputs import parse_id
from survey.organisations.models import OrganisationKind
from survey.questionnaires.definitions import SPECIAL_QUESTION
from survey.questionnaires.models import Round, RoundStatus
from survey.reference.models import Component

SORTS = {"index": "Mognadsindex", "name": "Namn"}


class Population(enum.StrEnum):
    """Whom a change between two rounds is computed over."""

    MATCHED = "matched"  # the organisations with a level in both rounds: like with like
    ALL = "all"  # every organisation with a level in either round

    @property
    def label(self) -> str:
        return {"matched": "Samma organisationer i båda omgångarna",
                "all": "Alla organisationer i varje omgång"}[self.value]


@dataclass(frozen=True)
class DashboardFilter:
    """What a dashboard shows. Unknown or malformed values fall back to "no filter"."""

    round_id: int | None = None
    kind: OrganisationKind | None = None
    organisation_ids: tuple[int, ...] = ()
    component: str | None = None  # a component code, e.g. "KUN"
    source: LevelSource = LevelSource.EFFECTIVE
    sort: str = "index"
    page: int = 1
    population: Population = Population.MATCHED

    @classmethod
    def from_args(cls, args: Mapping) -> DashboardFilter:
        getlist = getattr(args, "getlist", lambda key: [args[key]] if key in args else [])
        organisation_ids = tuple(sorted({parse_id(v) for v in getlist("org")} - {None}))
        codes = set(db.session.scalars(select(Component.code)))
        component = args.get("component") or None
        return cls(
            round_id=_positive_int(args.get("round")),
            kind=_enum(OrganisationKind, args.get("kind")),
            organisation_ids=organisation_ids,
            component=component if component in codes else None,
            source=_enum(LevelSource, args.get("source")) or LevelSource.EFFECTIVE,
            sort=args.get("sort") if args.get("sort") in SORTS else "index",
            page=_positive_int(args.get("page")) or 1,
            population=_enum(Population, args.get("population")) or Population.MATCHED,
        )

    def args(self, **changes) -> dict:
        """Query arguments for url_for(): only what differs from the default."""
        current = replace(self, **changes)
        found: dict = {}
        if current.round_id:
            found["round"] = current.round_id
        if current.kind:
            found["kind"] = current.kind.value
        if current.organisation_ids:
            found["org"] = list(current.organisation_ids)
        if current.component:
            found["component"] = current.component
        if current.source != LevelSource.EFFECTIVE:
            found["source"] = current.source.value
        if current.sort != "index":
            found["sort"] = current.sort
        if current.page != 1:
            found["page"] = current.page
        if current.population != Population.MATCHED:
            found["population"] = current.population.value
        return found

    @property
    def component_codes(self) -> tuple[str, ...]:
        return (self.component,) if self.component else ()


def _positive_int(value) -> int | None:
    return parse_id(str(value)) if value is not None else None


def _enum(enum_type, value):
    try:
        return enum_type(value) if value else None
    except ValueError:
        return None


def dashboard_rounds(questionnaire_key: str = SPECIAL_QUESTION) -> list[Round]:
    """The rounds a dashboard can show (not drafts), newest first."""
    return list(db.session.scalars(
        select(Round).where(Round.questionnaire_key == questionnaire_key,
                            Round.status != RoundStatus.DRAFT)
        .order_by(Round.year.desc(), Round.id.desc())
    ))


def chosen_round(filters: DashboardFilter, rounds: list[Round]) -> Round | None:
    """The filter's round when it is one of `rounds`, else the newest."""
    by_id = {round_.id: round_ for round_ in rounds}
    if filters.round_id in by_id:
        return by_id[filters.round_id]
    return rounds[0] if rounds else None


def previous_round(round_: Round, rounds: Sequence[Round]) -> Round | None:
    """The round of the same questionnaire from the latest earlier year in `rounds`, if any."""
    earlier = [r for r in rounds if r.questionnaire_key == round_.questionnaire_key
               and r.year < round_.year]
    return max(earlier, key=lambda r: (r.year, r.id)) if earlier else None
