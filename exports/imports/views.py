"""Importing earlier rounds: the admin page, the template download and `flask --app survey
import-xlsx FILE`. The work is done by exports.imports.importer; these only take the file
in and show what happened."""

from __future__ import annotations

import io
from pathlib import Path

import click
from flask import current_app, flash, render_template, request, send_file
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from exports import XLSX_MIMETYPE, bp
from exports.imports.importer import ImportRefused, import_workbook
from exports.imports.template import DOWNLOAD_NAME, write_template
from exports.imports.upload import Limits, read_limited
from survey.accounts.access import admin_required
from survey.accounts.models import Role, User
from survey.accounts.services import find_by_email
from survey.errors import too_large_page
from survey.extensions import db
from survey.forms import BaseForm
from survey.navigation import NavItem, add_nav_item


@bp.record_once
def _add_to_main_menu(state) -> None:
    add_nav_item(state.app, NavItem("exports.import_upload", "Import", "exports",
                                    lambda user: user.is_admin))


class ImportForm(BaseForm):
    file = FileField("Excel-fil (.xlsx)", validators=[FileRequired("Välj en fil att importera.")],
                     description="En ifylld importmall, eller en exporterad bilaga (bladet "
                                 "”Svar” läses).",
                     render_kw={"accept": f".xlsx,{XLSX_MIMETYPE}"})


@bp.route("/import/mall.xlsx")
@admin_required
def import_template():
    out = io.BytesIO()
    write_template(out)
    out.seek(0)
    return send_file(out, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=DOWNLOAD_NAME)


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_upload():
    limits = Limits.from_config(current_app.config)
    form = ImportForm()
    refused, result = None, None
    if form.validate_on_submit():
        upload, user = form.file.data, current_user._get_current_object()
        try:
            data = read_limited(upload.stream, limits)
            result = import_workbook(upload.filename or "", data, user)
        except ImportRefused as error:
            refused = error
        else:
            flash(f"Importen är klar: {result.summary()}", "success")
    return _page(form, limits, refused, result)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """A file over MAX_CONTENT_LENGTH (refused while the CSRF check reads the form, before
    the view): the import page says the import's own, lower limit, as it does for a file
    between the two."""
    if request.endpoint != "exports.import_upload" or not current_user.is_authenticated \
            or not current_user.is_admin:
        return too_large_page()
    limits = Limits.from_config(current_app.config)
    return _page(ImportForm(formdata=None), limits, limits.too_large()), 413


def _page(form: ImportForm, limits: Limits, refused: ImportRefused | None = None,
          result=None) -> str:
    return render_template("exports/import.html", form=form, result=result, limits=limits,
                           problems=refused.problems if refused else [],
                           total=refused.total if refused else 0,
                           more=refused.more if refused else 0)


# --- command line -----------------------------------------------------------------------

def importing_user(email: str | None) -> User | None:
    """The named user, or the first active administrator."""
    if email:
        return find_by_email(email)
    return db.session.scalar(select(User).filter_by(role=Role.ADMIN, active=True)
                             .order_by(User.id))


@bp.cli.command("import-xlsx")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "email", help="E-postadress för den som importerar (standard: första "
              "aktiva administratören). Blir analytiker för importerade bedömningar.")
def import_xlsx_command(file: Path, email: str | None) -> None:
    """Importera tidigare års svar från en xlsx-fil (importmallen)."""
    user = importing_user(email)
    if user is None or not user.active or not user.is_analyst:
        who = f"användaren {email}" if email else "en aktiv administratör"
        click.echo(f"Importen avbröts: hittar inte {who} (måste vara aktiv analytiker eller "
                   "administratör).", err=True)
        raise SystemExit(1)
    try:
        with file.open("rb") as handle:
            data = read_limited(handle, Limits.from_config(current_app.config))
        result = import_workbook(file.name, data, user)
    except ImportRefused as refused:
        click.echo(f"Filen {file.name} importerades inte:", err=True)
        for line in refused.lines():
            click.echo(line, err=True)
        raise SystemExit(1) from None
    click.echo(f"Importen är klar: {result.summary()}")
