"""Creating, copying, opening and closing survey rounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from survey.audit.services import record
from survey.extensions import db
from survey.questionnaires.definitions import QuestionnaireDefinition, get_definition
from survey.questionnaires.models import Round, RoundQuestion, RoundStatus


class RoundError(ValueError):
    """A round operation that is not allowed; the message is Swedish, for the user."""


def round_title(definition_title: str, year: int) -> str:
    return f"{definition_title} {year}"


def _check_free(questionnaire_key: str, year: int) -> None:
    taken = db.session.scalar(
        select(Round).filter_by(questionnaire_key=questionnaire_key, year=year)
    )
    if taken is not None:
        raise RoundError(f"Det finns redan en omgång för {year} av detta frågeformulär.")


def _check_dates(opens_at: dt.date, deadline: dt.date) -> None:
    if deadline < opens_at:
        raise RoundError("Sista svarsdag kan inte ligga före öppningsdagen.")


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise RoundError("Ange omgångens titel.")
    if len(title) > 200:
        raise RoundError("Titeln får vara högst 200 tecken.")
    return title


def create_round(definition: QuestionnaireDefinition | str, year: int, opens_at: dt.date,
                 deadline: dt.date) -> Round:
    """A new draft round with the definition's questions copied into it."""
    if isinstance(definition, str):
        definition = get_definition(definition)
    _check_dates(opens_at, deadline)
    _check_free(definition.key, year)
    round_ = Round(
        questionnaire_key=definition.key, year=year,
        title=round_title(definition.title, year), introduction=definition.introduction,
        opens_at=opens_at, deadline=deadline, status=RoundStatus.DRAFT,
        self_assessment=definition.self_assessment, rights_areas=definition.rights_areas,
        several_reports=definition.several_reports,
    )
    for question in definition.questions:
        round_.questions.append(RoundQuestion(
            key=question.key, position=question.order, text=question.text,
            guidance=question.guidance, qtype=question.type, required=question.required,
            min_length=question.min_length, max_length=question.max_length,
            choices=list(question.choices) or None,
        ))
    db.session.add(round_)
    db.session.flush()
    record("round.create", obj=round_, detail=f"{definition.key} {year}")
    return round_


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class RoundProposal:
    """What "Skapa nästa års omgång" proposes: the next year, its title, dates a year on."""

    year: int
    title: str
    opens_at: dt.date
    deadline: dt.date


def next_round_proposal(previous: Round, year: int | None = None) -> RoundProposal:
    """The previous round's title and dates moved to `year` (default: the next year);
    29 February becomes 28 February."""
    year = year or previous.year + 1
    years = year - previous.year
    title = previous.title.replace(str(previous.year), str(year))
    if title == previous.title:
        title = f"{previous.title} ({year})"
    return RoundProposal(year, title, _shift_year(previous.opens_at, years),
                         _shift_year(previous.deadline, years))


def copy_round(previous: Round, year: int | None = None, *, title: str | None = None,
               opens_at: dt.date | None = None, deadline: dt.date | None = None) -> Round:
    """Next year's round: the previous round's texts and settings; the title and dates
    given, or those of next_round_proposal()."""
    proposal = next_round_proposal(previous, year)
    title = _check_title(proposal.title if title is None else title)
    opens_at = opens_at or proposal.opens_at
    deadline = deadline or proposal.deadline
    _check_dates(opens_at, deadline)
    _check_free(previous.questionnaire_key, proposal.year)
    round_ = Round(
        questionnaire_key=previous.questionnaire_key, year=proposal.year, title=title,
        introduction=previous.introduction, opens_at=opens_at, deadline=deadline,
        status=RoundStatus.DRAFT, self_assessment=previous.self_assessment,
        rights_areas=previous.rights_areas, several_reports=previous.several_reports,
        copied_from_id=previous.id,
    )
    for question in previous.questions:
        round_.questions.append(RoundQuestion(
            key=question.key, position=question.position, text=question.text,
            guidance=question.guidance, qtype=question.qtype, required=question.required,
            min_length=question.min_length, max_length=question.max_length,
            choices=list(question.choices) if question.choices else None,
        ))
    db.session.add(round_)
    db.session.flush()
    record("round.copy", obj=round_, detail=f"från omgång {previous.id}")
    return round_


def update_round(round_: Round, title: str, opens_at: dt.date, deadline: dt.date) -> None:
    """Change a round's title and dates: a draft, or a closed round before it is opened
    again (an open round's dates are what respondents work to)."""
    if round_.status == RoundStatus.OPEN:
        raise RoundError("En öppen omgång kan inte ändras. Stäng den först.")
    title = _check_title(title)
    _check_dates(opens_at, deadline)
    changes = [label for label, old, new in (
        ("titel", round_.title, title), ("öppnar", round_.opens_at, opens_at),
        ("sista svarsdag", round_.deadline, deadline)) if old != new]
    round_.title, round_.opens_at, round_.deadline = title, opens_at, deadline
    record("round.update", obj=round_, detail=", ".join(changes) or "inga ändringar")


def update_question_texts(question: RoundQuestion, text: str, guidance: str) -> None:
    """Question texts can be edited only before the round opens: respondents' view is fixed."""
    if question.round.status != RoundStatus.DRAFT:
        raise RoundError("Frågorna kan bara ändras innan omgången har öppnats.")
    question.text, question.guidance = text.strip(), guidance.strip()
    record("round.question_edit", obj=question.round, detail=question.key)


def deadline_passed(round_: Round, today: dt.date | None = None) -> bool:
    return round_.deadline < (today or dt.date.today())


def open_round(round_: Round, today: dt.date | None = None) -> None:
    """Open a draft (or closed) round for answers; not once its deadline has passed,
    since respondents could not answer in time: change the deadline first."""
    if round_.status == RoundStatus.OPEN:
        raise RoundError("Omgången är redan öppen.")
    if deadline_passed(round_, today):
        raise RoundError(
            f"Omgången kan inte öppnas: sista svarsdagen {round_.deadline.isoformat()} har "
            "redan passerat. Ändra sista svarsdag först.")
    round_.status = RoundStatus.OPEN
    record("round.open", obj=round_)


def close_round(round_: Round) -> None:
    if round_.status != RoundStatus.OPEN:
        raise RoundError("Bara en öppen omgång kan stängas.")
    round_.status = RoundStatus.CLOSED
    record("round.close", obj=round_)


def latest_round(questionnaire_key: str) -> Round | None:
    return db.session.scalar(
        select(Round).filter_by(questionnaire_key=questionnaire_key).order_by(Round.year.desc())
    )


def all_rounds() -> list[Round]:
    """Every round, newest year first."""
    return list(db.session.scalars(select(Round).order_by(Round.year.desc(), Round.title)))
