"""The migrations, not create_all, are what production runs: they must build the
same schema as the models, and come down again cleanly, on SQLite and on PostgreSQL."""

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from survey import create_app
from survey.extensions import db


def _fresh_app(url):
    return create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": url,
    })


def test_migrations_build_the_schema_of_the_models(empty_database_url):
    app = _fresh_app(empty_database_url)
    with app.app_context():
        try:
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            assert differences == []
        finally:
            db.engine.dispose()


def test_a_migrated_database_accepts_every_question_type(empty_database_url):
    """compare_metadata does not see the CHECK constraint of a non-native enum: a type added
    to the model but not to the migrations would fail only on insert."""
    from survey.questionnaires.models import QuestionType, Round, RoundQuestion

    app = _fresh_app(empty_database_url)
    with app.app_context():
        try:
            upgrade()
            round_ = Round(questionnaire_key="test", year=2024, title="Test",
                           opens_at=dt.date(2024, 1, 1), deadline=dt.date(2024, 2, 1))
            round_.questions = [RoundQuestion(key=kind.value, position=number, text="?",
                                              qtype=kind, choices=["A"])
                                for number, kind in enumerate(QuestionType, start=1)]
            db.session.add(round_)
            db.session.commit()
            assert len(round_.questions) == len(QuestionType)
        finally:
            db.session.remove()
            db.engine.dispose()


def test_migrations_downgrade_to_an_empty_database(empty_database_url):
    app = _fresh_app(empty_database_url)
    with app.app_context():
        try:
            upgrade()
            assert "answer_revision" in inspect(db.engine).get_table_names()
            downgrade(revision="base")
            assert inspect(db.engine).get_table_names() == ["alembic_version"]
        finally:
            db.engine.dispose()


def test_upgrading_keeps_the_answers_already_written(empty_database_url):
    """A release's migration must not lose answers written under the previous schema."""
    from sqlalchemy import text

    app = _fresh_app(empty_database_url)
    answer_text = "Vi arbetar systematiskt med barnrättsprövning – 2024 års svar."
    with app.app_context():
        try:
            upgrade(revision="cfcefe76683f")  # the first release's schema
            with db.engine.begin() as connection:
                run = connection.execute
                run(text("INSERT INTO organisation (id, name, short_name, kind, valid_from) "
                         "VALUES (1, 'Fritidsnämnden', 'FRN', 'namnd', '2022-01-01')"))
                run(text("INSERT INTO survey_round (id, questionnaire_key, year, title, "
                         "introduction, opens_at, deadline, status, self_assessment, "
                         "rights_areas, created_at) VALUES (1, 'sarskild-fraga', 2024, 'R', '', "
                         "'2024-01-01', '2024-02-01', 'open', true, true, :now)"),
                    {"now": "2024-01-01 00:00:00+00:00"})
                run(text("INSERT INTO round_question (id, round_id, key, position, text, "
                         "guidance, qtype, required) VALUES (1, 1, 'q', 1, 'Fråga', '', "
                         "'long_text', true)"))
                run(text("INSERT INTO response (id, round_id, organisation_id, status, "
                         "tags_version, created_at, updated_at) VALUES (1, 1, 1, 'draft', 0, "
                         ":now, :now)"), {"now": "2024-01-02 00:00:00+00:00"})
                run(text("INSERT INTO answer (id, response_id, question_id, text, version, "
                         "updated_at) VALUES (1, 1, 1, :t, 1, :now)"),
                    {"t": answer_text, "now": "2024-01-02 00:00:00+00:00"})

            upgrade()
            downgrade(revision="cfcefe76683f")
            upgrade()

            with db.engine.connect() as connection:
                kept = connection.execute(text("SELECT text FROM answer WHERE id = 1")).scalar()
                rounds = connection.execute(text("SELECT count(*) FROM survey_round")).scalar()
            assert kept == answer_text
            assert rounds == 1
        finally:
            db.engine.dispose()
