"""One response as a workbook, for its organisation's respondents and for staff; the response
pages link it through survey.navigation (survey does not import exports)."""

from __future__ import annotations

import io

from flask import send_file
from flask_login import current_user, login_required

from exports import XLSX_MIMETYPE, bp
from exports.response_workbook import download_name, write_response_workbook
from survey.accounts.access import get_scoped_or_404
from survey.audit.services import record
from survey.extensions import db
from survey.navigation import ResponseAction, add_response_action
from survey.responses.models import Response


@bp.record_once
def register_action(state) -> None:
    add_response_action(state.app, ResponseAction("exports.response_xlsx", "Ladda ner som Excel"))


@bp.route("/export/svar/<int:response_id>.xlsx")
@login_required
def response_xlsx(response_id: int):
    response = get_scoped_or_404(Response, response_id)
    out = io.BytesIO()
    write_response_workbook(response, out)
    record("response.export", obj=response, user=current_user)
    db.session.commit()
    out.seek(0)
    # Cache-Control: no-store comes from survey/security/headers.py, as on every page.
    return send_file(out, mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=download_name(response))

