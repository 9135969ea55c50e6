"""Untrusted import files (exports/imports/upload.py): anything but a plain, sane .xlsx is
refused with a Swedish message on the import page (status 200, nothing imported, no crash)."""

from __future__ import annotations

import io
import random
import re
import time
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select
from support.workbooks import row, upload, workbook_bytes

from exports.imports.upload import OLE2_MAGIC, Limits, check_package
from survey.accounts.models import Role
from survey.extensions import db
from survey.responses.models import Response

SHEET_XML = "xl/worksheets/sheet1.xml"
MACRO_MESSAGE = "Filen innehåller makron (.xlsm)"
OLD_MESSAGE = "Filen är i det äldre formatet .xls"
INVALID = "Ogiltig fil: "


def good_file(rows: int = 1) -> bytes:
    return workbook_bytes([row(org) for org in ("ASN", "FRN", "GSN", "KN", "MN")[:rows]])


def rewrite(data: bytes, replace: dict[str, bytes] | None = None,
            add: dict[str, bytes] | None = None) -> bytes:
    """The package with some members' contents replaced and members added."""
    replace, out = replace or {}, io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def imported() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def refused(client, data: bytes, filename: str = "import.xlsx") -> str:
    reply = upload(client, data, filename)
    assert reply.status_code == 200
    page = reply.get_data(as_text=True)
    assert "Filen importerades inte" in page
    assert imported() == 0
    return page


@pytest.fixture
def admin(auth):
    return auth.login_as(Role.ADMIN, None)


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_macro_enabled_content_type_is_refused(client, admin):
    data = good_file()
    types = member(data, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert MACRO_MESSAGE in refused(client, rewrite(data, {"[Content_Types].xml": types}))


def test_a_vba_project_is_refused(client, admin):
    data = rewrite(good_file(), add={"xl/vbaProject.bin": b"\x00" * 64})
    assert MACRO_MESSAGE in refused(client, data)


@pytest.mark.parametrize("filename, message", [
    ("svar.xlsm", MACRO_MESSAGE), ("svar.xls", OLD_MESSAGE), ("svar.csv", "Välj en "
                                                             "Excel-arbetsbok (.xlsx)."),
])
def test_other_file_names_are_refused(client, admin, filename, message):
    assert message in refused(client, good_file(), filename)


def test_an_xls_file_renamed_xlsx_is_refused(client, admin):
    assert OLD_MESSAGE in refused(client, OLE2_MAGIC + b"\x00" * 2048)


def test_another_zip_renamed_xlsx_is_refused(client, admin):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("readme.txt", "hej")
    page = refused(client, out.getvalue())
    assert INVALID + "filen är inte en Excel-arbetsbok (.xlsx)." in page


def test_a_word_document_renamed_xlsx_is_refused(client, admin):
    data = good_file()
    types = member(data, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
    page = refused(client, rewrite(data, {"[Content_Types].xml": types}))
    assert INVALID + "filen är inte en Excel-arbetsbok (.xlsx)." in page


@pytest.mark.parametrize("damage", ["random", "truncated", "empty"])
def test_damaged_files_are_refused(client, admin, damage):
    data = {"random": random.Random(6).randbytes(4096),
            "truncated": good_file()[:3000], "empty": b""}[damage]
    page = refused(client, data)
    assert (INVALID in page) if damage != "empty" else ("Filen är tom." in page)


def test_a_broken_sheet_is_refused(client, admin):
    data = rewrite(good_file(), {SHEET_XML: b"<worksheet><sheetData><row r="})
    assert INVALID in refused(client, data)


def test_xml_entities_are_refused(client, admin):
    # defusedxml forbids entity declarations: no billion laughs, no external entities.
    data = good_file()
    laughs = (b'<!DOCTYPE worksheet [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    sheet = laughs + member(data, SHEET_XML).replace(b">ASN<", b">&lol2;<")
    assert INVALID in refused(client, rewrite(data, {SHEET_XML: sheet}))


def test_a_too_large_file_is_refused(app, client, admin):
    app.config["IMPORT_MAX_BYTES"] = 1000
    assert "Filen är för stor: högst 1\u00a0000 byte tas emot." in refused(client, good_file())


def test_a_request_over_the_app_limit_gets_the_import_limit(app, client, admin):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    reply = upload(client, good_file())
    assert reply.status_code == 413
    page = reply.get_data(as_text=True)
    assert "Filen importerades inte" in page
    assert "Filen är för stor: högst 10 MB tas emot." in page
    assert imported() == 0


def test_the_page_and_the_message_state_the_configured_limit(app, client, admin):
    assert app.config["IMPORT_MAX_BYTES"] == 10 * 1024 * 1024
    assert app.config["IMPORT_MAX_BYTES"] < app.config["MAX_CONTENT_LENGTH"]
    assert "Filen får vara högst 10 MB och ha högst 10\u00a0000 rader." in \
        client.get("/import").get_data(as_text=True)
    app.config["IMPORT_MAX_BYTES"] = 3 * 1024 * 1024 // 2
    page = client.get("/import").get_data(as_text=True)
    assert "Filen får vara högst 1,5 MB" in page
    app.config["IMPORT_MAX_BYTES"] = 1000
    assert "Filen är för stor: högst 1\u00a0000 byte tas emot." in refused(client, good_file())


@pytest.mark.parametrize("role", [None, Role.RESPONDENT])
def test_a_request_over_the_app_limit_shows_no_import_page_to_others(app, client, auth, role):
    if role is not None:
        auth.login_as(role)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    reply = upload(client, good_file())
    assert reply.status_code == 413
    page = reply.get_data(as_text=True)
    assert "Det du skickade var för stort" in page
    assert "Import av tidigare omgångar" not in page


def test_a_zip_bomb_is_refused_before_it_is_unpacked(app, client, admin):
    app.config["IMPORT_MAX_UNPACKED_BYTES"] = 1024 * 1024
    # 5 MB of zeros pack to a few kilobytes.
    data = rewrite(good_file(), add={"xl/media/zeros.bin": b"\x00" * 5_000_000})
    assert len(data) < 50_000
    assert INVALID + "filen packas upp till mer än 1 MB." in refused(client, data)


def test_a_zip_with_too_many_members_is_refused(app, client, admin):
    app.config["IMPORT_MAX_ZIP_MEMBERS"] = 20
    data = rewrite(good_file(), add={f"xl/extra/{n}.xml": b"<a/>" for n in range(20)})
    assert INVALID + "filen består av fler än 20 delar." in refused(client, data)


def test_too_many_rows_are_refused(app, client, admin):
    app.config["IMPORT_MAX_ROWS"] = 3
    assert "Filen har fler än 3 rader." in refused(client, good_file(4))


def test_rows_up_to_the_limit_are_read(app, client, admin):
    app.config["IMPORT_MAX_ROWS"] = 3
    page = upload(client, good_file(3)).get_data(as_text=True)
    assert "Importen är klar: 3 svar importerade" in page


def _with_dimension(data: bytes, ref: str) -> bytes:
    sheet = member(data, SHEET_XML)
    forged, replaced = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(),
                               sheet)
    assert replaced == 1
    return rewrite(data, {SHEET_XML: forged})


def test_a_dimension_claiming_a_million_rows_and_every_column_is_not_trusted(client, admin):
    started = time.monotonic()
    page = upload(client, _with_dimension(good_file(2), "A1:XFD1048576")).get_data(as_text=True)
    assert "Importen är klar: 2 svar importerade" in page
    assert time.monotonic() - started < 5


def test_a_dimension_claiming_one_cell_drops_no_rows(client, admin):
    page = upload(client, _with_dimension(good_file(3), "A1:A1")).get_data(as_text=True)
    assert "Importen är klar: 3 svar importerade" in page


def test_a_row_far_down_the_sheet_stops_at_the_row_limit(app, client, admin):
    app.config["IMPORT_MAX_ROWS"] = 50
    data = good_file(1)
    sheet = member(data, SHEET_XML).replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>ASN</t></is>'
                         b"</c></row></sheetData>")
    started = time.monotonic()
    assert "Filen har fler än 50 rader." in refused(client, rewrite(data, {SHEET_XML: sheet}))
    assert time.monotonic() - started < 5


def test_values_beyond_the_columns_read_are_refused(client, admin):
    workbook = openpyxl.load_workbook(io.BytesIO(good_file()))
    workbook["Svar"].cell(row=3, column=150, value="gömt")
    out = io.BytesIO()
    workbook.save(out)
    assert "Filen har värden i fler än 100 kolumner." in refused(client, out.getvalue())


def test_check_package_accepts_a_plain_workbook():
    check_package(good_file_without_app(), Limits(10**7, 10**8, 100, 100))


def good_file_without_app() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Organisation"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
