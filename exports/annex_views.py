"""The annex for analysts: the workbook and its CSV twin from the dashboards' filters, and the
`export-annex` command for the same workbook from the command line."""

from __future__ import annotations

import getpass
import io
import tempfile
from dataclasses import replace

import click
from flask import request, send_file
from flask_login import current_user
from sqlalchemy import func, select

from exports import XLSX_MIMETYPE, bp
from exports.annex import write_annex
from exports.summary_csv import write_summary_csv
from survey.accounts.access import analyst_required
from survey.analysis.filters import SPECIAL_QUESTION, DashboardFilter
from survey.audit.services import record
from survey.extensions import db
from survey.navigation import RoundAction, add_round_action
from survey.organisations.models import Organisation, OrganisationKind
from survey.questionnaires.models import Round


def download_name(round_: Round, suffix: str) -> str:
    """MR-bilaga-2023.xlsx; another questionnaire's key is named too."""
    key = "" if round_.questionnaire_key == SPECIAL_QUESTION else f"{round_.questionnaire_key}-"
    return f"MR-bilaga-{key}{round_.year}.{suffix}"


@bp.record_once
def _add_round_actions(state) -> None:
    add_round_action(state.app, RoundAction("exports.annex_xlsx", "Exportera till Excel",
                                            "bilaga till årsredovisningen"))
    # The CSV is the special question's Sammanställning: none for a round of several reports.
    add_round_action(state.app, RoundAction("exports.annex_csv", "Exportera CSV",
                                            "sammanställning",
                                            lambda round_: not round_.several_reports))


def request_filters() -> DashboardFilter:
    """The dashboards' filters from the query string; the annex always has every component."""
    return replace(DashboardFilter.from_args(request.args), component=None)


def _send(file, round_: Round, suffix: str, mimetype: str):
    # A temporary file, not memory: a large round's workbook never sits in the process.
    # The server closes the file with the reply.
    file.seek(0)
    return send_file(file, mimetype=mimetype, as_attachment=True,
                     download_name=download_name(round_, suffix))


@bp.get("/export/bilaga/<int:round_id>.xlsx")
@analyst_required
def annex_xlsx(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    filters = request_filters()
    file = tempfile.TemporaryFile()
    try:
        write_annex(round_, filters, f"{current_user.name} ({current_user.email})", file)
    except BaseException:
        file.close()
        raise
    record("annex.export", obj=round_, detail=f"{round_.title} (xlsx)")
    db.session.commit()
    return _send(file, round_, "xlsx", XLSX_MIMETYPE)


@bp.get("/export/bilaga/<int:round_id>.csv")
@analyst_required
def annex_csv(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    filters = request_filters()
    file = tempfile.TemporaryFile()
    try:
        text = io.TextIOWrapper(file, encoding="utf-8", newline="")
        write_summary_csv(round_, filters, text)
        text.flush()
        text.detach()
    except BaseException:
        file.close()
        raise
    record("annex.export", obj=round_, detail=f"{round_.title} (csv)")
    db.session.commit()
    return _send(file, round_, "csv", "text/csv; charset=utf-8")


@bp.cli.command("export-annex")
@click.option("--year", type=int, required=True, help="Omgångens år.")
@click.option("--questionnaire", default=SPECIAL_QUESTION, show_default=True,
              help="Enkätens nyckel.")
@click.option("--kind", type=click.Choice([kind.value for kind in OrganisationKind]),
              help="Bara nämnder eller bara bolag.")
@click.option("--org", "orgs", multiple=True, metavar="KORTNAMN",
              help="Bara dessa organisationer (kortnamn; kan anges flera gånger).")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True,
              help="Filen som skrivs (.xlsx).")
def export_annex(year: int, questionnaire: str, kind: str | None, orgs: tuple[str, ...],
                 out: str) -> None:
    """Skriv årsredovisningens bilaga för en omgång till en Excelfil."""
    round_ = db.session.scalar(select(Round).filter_by(questionnaire_key=questionnaire,
                                                       year=year))
    if round_ is None:
        raise click.ClickException(f"Det finns ingen omgång {year} av enkäten "
                                   f"”{questionnaire}”.")
    organisation_ids = []
    for short_name in orgs:
        found = db.session.scalar(select(Organisation.id).where(
            func.lower(Organisation.short_name) == short_name.lower()))
        if found is None:
            raise click.ClickException(f"Okänd organisation: ”{short_name}” (ange kortnamn).")
        organisation_ids.append(found)
    filters = DashboardFilter(round_id=round_.id,
                              kind=OrganisationKind(kind) if kind else None,
                              organisation_ids=tuple(sorted(set(organisation_ids))))
    write_annex(round_, filters, f"Kommandoraden ({getpass.getuser()})", out)
    record("annex.export", obj=round_, detail=f"{round_.title} (kommandoraden)")
    db.session.commit()
    click.echo(f"Bilagan för {round_.title} är skriven till {out}.")
