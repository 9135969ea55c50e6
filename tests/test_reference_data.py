"""Components, the maturity scale, rights areas and questionnaires are data."""

import datetime as dt

import pytest

from survey.extensions import db
from survey.questionnaires.definitions import all_definitions, get_definition
from survey.questionnaires.models import QuestionType
from survey.questionnaires.services import RoundError, copy_round, create_round
from survey.reference.services import components, maturity_levels, rights_areas, seed_reference


def test_the_seven_components_in_the_policy_order(app):
    assert [c.code for c in components()] == ["MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP"]
    assert components()[0].name == "Mål och styrning"
    assert all(len(c.indicators) == 4 for c in components())


def test_the_maturity_scale_runs_from_saknas_to_integrerat(app):
    assert [(m.level, m.name) for m in maturity_levels()] == [
        (0, "Saknas"), (1, "Planerat"), (2, "Påbörjat"), (3, "Etablerat"), (4, "Integrerat"),
    ]


def test_seeding_twice_changes_nothing(app):
    seed_reference()
    db.session.commit()
    assert len(components()) == 7
    assert len(maturity_levels()) == 5
    assert len(rights_areas()) == 8


def test_the_special_question_is_shipped_verbatim(app):
    definition = get_definition("sarskild-fraga")
    first, second = definition.questions
    assert first.text.startswith("Hur arbetar ni systematiskt för att säkerställa implementering")
    assert first.text.endswith("hur planerar ni för att utveckla det framåt?")
    assert second.text == (
        "Vilka möjligheter och utmaningar ser ni i arbetet med att omsätta de vägledande "
        "principerna på nämnds- och bolagsnivå, och på stadsövergripande nivå?"
    )
    assert all(q.type == QuestionType.LONG_TEXT and q.required and q.guidance
               for q in definition.questions)
    assert "sarskild-fraga" in all_definitions()


def test_a_round_keeps_the_texts_its_respondents_saw(app, make_round):
    round_2024 = make_round(2024)
    round_2025 = copy_round(round_2024)
    round_2025.questions[0].guidance = "Ny anvisning för 2025."
    db.session.commit()
    assert round_2024.questions[0].guidance != "Ny anvisning för 2025."
    assert [q.text for q in round_2025.questions] == [q.text for q in round_2024.questions]
    assert round_2025.deadline == dt.date(2025, 2, 28)
    assert round_2025.copied_from_id == round_2024.id


def test_one_round_per_questionnaire_and_year(app, make_round):
    make_round(2024)
    with pytest.raises(RoundError, match="redan en omgång för 2024"):
        create_round("sarskild-fraga", 2024, dt.date(2024, 1, 1), dt.date(2024, 2, 1))


def test_principles_and_barriers_are_seeded_as_tags(app):
    from sqlalchemy import select

    from survey.assessments.models import Tag, TagKind

    tags = db.session.scalars(select(Tag).order_by(Tag.kind, Tag.position)).all()
    barriers = [t.name for t in tags if t.kind == TagKind.BARRIER]
    assert barriers == ["Resurser", "Kunskap", "Styrning", "Data", "Samverkan", "Målkonflikter"]
    assert sum(t.kind == TagKind.PRINCIPLE for t in tags) == 4
