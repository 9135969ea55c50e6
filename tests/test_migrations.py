"""The migrations, not create_all, are what production runs: they must build the
same schema as the models, and come down again cleanly, on SQLite and on PostgreSQL."""

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
