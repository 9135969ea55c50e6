"""The Excel work in Chromium: an analyst downloads the demo round's annex from the dashboard
and it opens cleanly; a respondent downloads their own response from its page; the import page
is accessible and refuses, with a table of row errors, a file whose answers already exist."""

from __future__ import annotations

import re
import subprocess

import pytest
from openpyxl import load_workbook
from support.browser import assert_accessible, expect, login, respondent_email
from support.worlds import SHEETS

pytestmark = pytest.mark.browser

ANALYST = "analytiker@example.org"
ADMIN = "admin@example.org"


def download(page, link_name: str, folder):
    with page.expect_download() as started:
        page.get_by_role("link", name=link_name).click()
    download = started.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def libreoffice_opens(soffice: str, path, folder) -> None:
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(path)],
        capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert path.with_suffix(".pdf").stat().st_size > 10_000  # every sheet, printed


def test_analyst_downloads_the_annex_from_the_dashboard(new_page, site, tmp_path, require_tool):
    soffice = require_tool("soffice", "libreoffice-calc-nogui")
    page = new_page()
    login(page, ANALYST)
    page.goto(f"/analys/?round={site.ids['closed_round']}&kind=namnd")

    path = download(page, "Exportera till Excel", tmp_path)

    assert path.name == "MR-bilaga-2023.xlsx"
    workbook = load_workbook(path)
    assert workbook.sheetnames == SHEETS
    kinds = {row[2] for row in workbook["Sammanställning"].iter_rows(min_row=2, values_only=True)}
    assert kinds == {"Nämnd"}  # the page's filter went along
    answers = list(workbook["Svar"].iter_rows(min_row=2, values_only=True))
    assert answers and all(row[2] for row in answers)
    libreoffice_opens(soffice, path, tmp_path)


def test_respondent_downloads_their_response_from_its_page(new_page, site, tmp_path):
    page = new_page()
    login(page, respondent_email("ASN"))
    page.goto(f"/svar/{site.ids['asn_submitted']}")

    path = download(page, "Ladda ner som Excel", tmp_path)

    sheet = load_workbook(path)["Svar"]
    values = [value for row in sheet.iter_rows(values_only=True) for value in row if value]
    assert "Arbetsmarknads- och socialnämnden" in values


def test_import_page_is_accessible_and_lists_the_refused_rows(new_page, site, tmp_path):
    analyst = new_page()
    login(analyst, ANALYST)
    analyst.goto(f"/analys/?round={site.ids['closed_round']}&kind=bolag")
    annex = download(analyst, "Exportera till Excel", tmp_path)

    page = new_page(bypass_csp=True)  # axe is injected as an inline script
    login(page, ADMIN)
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Import"))
    assert_accessible(page, "import page")
    page.get_by_label("Excel-fil (.xlsx)").set_input_files(str(annex))
    page.get_by_role("button", name="Importera").click()

    errors = page.get_by_role("table")
    expect(errors).to_contain_text("finns redan")
    assert_accessible(page, "import page with row errors")
