"""One response as a workbook (exports.response_xlsx): the organisation's respondents and staff
download it, it holds every text whole and as typed, other organisations get 404."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from exports.cells import CELL_LIMIT
from survey.accounts.models import Role
from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.questionnaires.models import QuestionType
from survey.reference.services import components, rights_areas
from survey.responses.models import DecisionBody
from survey.responses.services import (
    save_answer,
    save_rights_areas,
    save_self_assessment,
    start_response,
    submit,
)

#: Longer than one cell: continues in the next column.
LONG = ("Vi arbetar med barnrättsbaserade beslut. " * 1000)[: CELL_LIMIT + 500]
INJECTION = "=1+1"


@pytest.fixture
def submitted(app, make_round, make_user, organisation):
    """ASN's 2024 response: a long answer, one that looks like a formula, MAL self-assessed
    at 2 with evidence, two rights areas, submitted once."""
    round_ = make_round(2024)
    user = make_user(Role.RESPONDENT, "ASN")
    response = start_response(round_, organisation("ASN"), user)
    db.session.flush()
    first, second = round_.questions
    save_answer(response, first, LONG, 0, user)
    save_answer(response, second, INJECTION, 0, user)
    save_self_assessment(response, components()[0], 2, "@Handlingsplan antagen", 0, user)
    save_rights_areas(response, [area.id for area in rights_areas()[:2]], 0, user)
    submit(response, user, DecisionBody.NAMND, dt.date(2024, 2, 1), "ASN-2024-123")
    db.session.commit()
    return response


def download(client, response_id: int):
    reply = client.get(f"/export/svar/{response_id}.xlsx")
    data = reply.get_data()
    reply.close()
    return reply, data


def rows(data: bytes, sheet: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()


def row_starting(table: list[tuple], first) -> tuple:
    return next(row for row in table if row and row[0] == first)


def test_respondent_downloads_own_response_with_every_text_whole(client, auth, submitted):
    auth.login_as(Role.RESPONDENT, "ASN")

    reply, data = download(client, submitted.id)

    assert reply.status_code == 200
    assert reply.mimetype.endswith("spreadsheetml.sheet")
    assert "filename=Svar-ASN-2024.xlsx" in reply.headers["Content-Disposition"]
    assert reply.headers["Cache-Control"] == "no-store"
    svar = rows(data, "Svar")
    assert row_starting(svar, "Omgång")[1] == submitted.round.title
    assert row_starting(svar, "År")[1] == 2024
    assert row_starting(svar, "Organisation")[1] == submitted.organisation.name
    assert row_starting(svar, "Status")[1] == "Inskickad"
    header = row_starting(svar, "Fråga")
    assert header[2:4] == ("Svar", "Svar (fortsättning 1)")
    first, second = row_starting(svar, 1), row_starting(svar, 2)
    assert first[1] == submitted.round.questions[0].text
    assert len(first[2]) == CELL_LIMIT and first[2] + first[3] == LONG
    assert second[2] == INJECTION and not second[3]


def test_text_that_looks_like_a_formula_stays_text(client, auth, submitted):
    auth.login_as(Role.RESPONDENT, "ASN")

    _, data = download(client, submitted.id)

    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(data))["Svar"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    for text in (INJECTION, "@Handlingsplan antagen"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix


def test_self_assessment_rights_areas_and_submissions_are_listed(client, auth, submitted):
    auth.login_as(Role.RESPONDENT, "ASN")

    _, data = download(client, submitted.id)

    svar = rows(data, "Svar")
    mal, kun = components()[:2]
    assert row_starting(svar, mal.name)[1:3] == (2, "@Handlingsplan antagen")
    assert row_starting(svar, kun.name)[1] is None
    first_area, second_area = (area.name for area in rights_areas()[:2])
    areas_at = svar.index(row_starting(svar, "Rättighetsområden"))
    assert [row[0] for row in svar[areas_at + 1:]] == [first_area, second_area]
    header, *submissions = rows(data, "Inlämningar")
    assert header[0] == "Inlämning" and header[-1] == "Diarienummer"
    assert len(submissions) == 1
    number, submitted_at, _, body, decided, case_number = submissions[0]
    assert (number, body, case_number) == (1, "Nämnd", "ASN-2024-123")
    assert decided == dt.datetime(2024, 2, 1)  # a date cell, not text
    assert isinstance(submitted_at, dt.datetime)


def test_amount_answers_are_numbers_in_kronor(client, auth, make_round, make_user,
                                              organisation):
    round_ = make_round(2024)
    round_.questions[1].qtype = QuestionType.AMOUNT
    user = make_user(Role.RESPONDENT, "ASN")
    response = start_response(round_, organisation("ASN"), user)
    db.session.flush()
    save_answer(response, round_.questions[1], "167 tkr", 0, user)
    db.session.commit()
    auth.login_as(Role.RESPONDENT, "ASN")

    _, data = download(client, response.id)

    sheet = load_workbook(io.BytesIO(data))["Svar"]
    amount = next(row[2] for row in sheet.iter_rows() if row[0].value == 2)
    assert amount.value == 167_000 and amount.number_format == '#,##0 "kr"'
    assert next(row[0] for row in sheet.iter_rows() if row[0].value == "Status").offset(
        column=1).value == "Utkast"


def test_respondent_of_another_organisation_gets_404(client, auth, submitted):
    auth.login_as(Role.RESPONDENT, "FRN")

    reply, _ = download(client, submitted.id)

    assert reply.status_code == 404


def test_analyst_downloads_any_response_and_the_export_is_audited(client, auth, submitted):
    analyst = auth.login_as(Role.ANALYST, None)

    reply, data = download(client, submitted.id)

    assert reply.status_code == 200
    assert row_starting(rows(data, "Svar"), 2)[2] == INJECTION
    event = db.session.scalar(select(AuditEvent).filter_by(action="response.export"))
    assert (event.user_id, event.object_id) == (analyst.id, submitted.id)
    assert event.organisation_id == submitted.organisation_id


def test_response_pages_link_the_download(client, auth, submitted, make_round, organisation):
    link = f'href="/export/svar/{submitted.id}.xlsx">Ladda ner som Excel</a>'
    auth.login_as(Role.ANALYST, None)
    assert link in client.get(f"/svar/{submitted.id}/visa").get_data(as_text=True)

    auth.logout()
    user = auth.login_as(Role.RESPONDENT, "ASN")
    draft = start_response(make_round(2025), organisation("ASN"), user)
    db.session.commit()
    page = client.get(f"/svar/{draft.id}").get_data(as_text=True)
    assert f'href="/export/svar/{draft.id}.xlsx">Ladda ner som Excel</a>' in page


def test_the_workbook_opens_in_libreoffice(client, auth, submitted, tmp_path, require_tool):
    soffice = require_tool("soffice", "libreoffice-calc-nogui")
    auth.login_as(Role.RESPONDENT, "ASN")
    _, data = download(client, submitted.id)
    (tmp_path / "svar.xlsx").write_bytes(data)

    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path), str(tmp_path / "svar.xlsx")],
                   check=True, capture_output=True, timeout=120)

    text = (tmp_path / "svar.csv").read_text(encoding="utf-8")
    assert submitted.organisation.name in text
    assert f",{INJECTION}," in text  # shown as typed, not evaluated to 2
