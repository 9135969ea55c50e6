"""Creating, copying, opening and closing survey rounds."""

from __future__ import annotations

import datetime as dt

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


def create_round(definition: QuestionnaireDefinition | str, year: int, opens_at: dt.date,
                 deadline: dt.date) -> Round:
    """A new draft round with the definition's questions copied into it."""
    if isinstance(definition, str):
        definition = get_definition(definition)
    if deadline < opens_at:
        raise RoundError("Sista svarsdag kan inte ligga före öppningsdagen.")
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


def copy_round(previous: Round, year: int | None = None) -> Round:
    """Next year's round: the previous round's texts and settings, dates a year on."""
    year = year or previous.year + 1
    years = year - previous.year
    _check_free(previous.questionnaire_key, year)
    title = previous.title.replace(str(previous.year), str(year))
    if title == previous.title:
        title = f"{previous.title} ({year})"
    round_ = Round(
        questionnaire_key=previous.questionnaire_key, year=year, title=title,
        introduction=previous.introduction,
        opens_at=_shift_year(previous.opens_at, years),
        deadline=_shift_year(previous.deadline, years),
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


def update_question_texts(question: RoundQuestion, text: str, guidance: str) -> None:
    """Question texts can be edited only before the round opens: respondents' view is fixed."""
    if question.round.status != RoundStatus.DRAFT:
        raise RoundError("Frågorna kan bara ändras innan omgången har öppnats.")
    question.text, question.guidance = text.strip(), guidance.strip()
    record("round.question_edit", obj=question.round, detail=question.key)


def open_round(round_: Round) -> None:
    if round_.status == RoundStatus.OPEN:
        raise RoundError("Omgången är redan öppen.")
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
