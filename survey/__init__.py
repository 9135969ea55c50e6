"""MR-uppföljning: following up Malmö stad's human-rights policy.

`create_app` is the application factory (`flask --app survey …`).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from survey import config, startup
from survey.extensions import csrf, db, login_manager, migrate

MIGRATIONS_DIR = str(Path(__file__).with_name("migrations"))


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    config.load(app, test_config)
    startup.check_debug(app)

    from survey import inputs

    inputs.init_app(app)  # before the blueprints: their <int:...> rules bind the converter
    _init_extensions(app)
    _register_blueprints(app)

    from survey import cli, errors, formatting, navigation, security

    security.init_app(app)

    errors.register(app)
    formatting.register(app)
    navigation.init_app(app)
    cli.register(app)
    if startup.serving(app):
        startup.check_schema(app)
    return app


def _init_extensions(app: Flask) -> None:
    # Importing the models registers them on db.metadata (for migrations too).
    from survey import models  # noqa: F401
    from survey.accounts.services import load_user
    from survey.database import configure_sqlite

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Logga in för att fortsätta."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _register_blueprints(app: Flask) -> None:
    from dashboards import bp as dashboards_bp
    from exports import bp as exports_bp
    from survey.accounts.views import bp as accounts_bp
    from survey.admin.views import bp as admin_bp
    from survey.pages.views import bp as pages_bp
    from survey.responses.views import bp as responses_bp
    from survey.status.views import bp as status_bp

    for blueprint in (pages_bp, accounts_bp, responses_bp, status_bp, admin_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(dashboards_bp, url_prefix="/analys")
    app.register_blueprint(exports_bp)  # its rules are whole paths: /export/..., /import
    from survey.agreement.views import bp as agreement_bp
    from survey.assessments.feedback_views import bp as feedback_bp

    app.register_blueprint(feedback_bp)
    app.register_blueprint(agreement_bp)
    from survey.assessments.views import bp as scoring_bp
    app.register_blueprint(scoring_bp, url_prefix="/bedomning")
