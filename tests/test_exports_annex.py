"""The annual-report annex (exports.annex) and its CSV twin, read back through the analysts'
routes, against a hand-computed fixture.

2023 (closed): ASN assessed 2 everywhere (index 2.00); FRN only self-assessed MAL 1, KUN 3
(index 2.00).
2024: ASN assessed MAL 3 KUN 3 KOM 2 MET 2 SAM 3 KSP 2 UPP 3 (index 18/7 = 2.571, change
+0.571); FRN self-assessed MAL 2, KUN 2 only (index 2.00, change 0.00); MKB (bolag) assessed 1
everywhere (index 1.00, no previous index); FRN tags Barnets rättigheter. Every other
organisation has not started.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from support.factories import make_assessment, submitted_response
from support.worlds import (
    ASN_2024,
    ASN_NAME,
    FRN_NAME,
    PARTICIPATION,
    SHEETS,
    build_annex_world,
    build_tags_world,
)

from survey.accounts.models import Role
from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.reference.palette import colour_for

CODES = ["MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP"]
INJECTIONS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "#N/A", "\tx", "\rx"]
QUOTE_PREFIXED = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def world(app, make_round, make_user, organisation):
    return build_annex_world(make_round, make_user, organisation)


def download(client, url: str, **args):
    reply = client.get(url, query_string=args)
    data = reply.data
    reply.close()
    return reply, data


def annex(client, round_, **args):
    reply, data = download(client, f"/export/bilaga/{round_.id}.xlsx", **args)
    assert reply.status_code == 200, data[:500]
    return load_workbook(BytesIO(data))


def rows_by_short_name(ws) -> dict[str, dict]:
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return {row[header.index("Kortnamn")]: dict(zip(header, row, strict=True))
            for row in values[1:]}


def answer(response, position: int, text: str) -> None:
    """Set an answer's stored text directly (as an import would), bypassing the form."""
    found = next(a for a in response.answers if a.question.position == position)
    found.text = text
    db.session.commit()


def test_the_annex_has_every_sheet_in_order(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    reply, data = download(client, f"/export/bilaga/{world['second'].id}.xlsx")
    assert reply.status_code == 200
    assert "MR-bilaga-2024.xlsx" in reply.headers["Content-Disposition"]
    wb = load_workbook(BytesIO(data))
    assert wb.sheetnames == SHEETS
    cover = [row for row in wb["Omslag"].iter_rows(values_only=True)]
    assert cover[0][0].startswith("Policy för mänskliga rättigheter")
    facts = {row[0]: row[1] for row in cover if row[0]}
    assert facts["År"] == 2024
    assert facts["Exporterad av"].startswith("Test Analytiker")
    assert facts["Typ"] == "Nämnder och bolag"
    assert facts["Inskickad"] == 3
    assert facts["Ej påbörjad"] == facts["Totalt"] - 3
    assert facts[4] == "Integrerat" and facts["MAL"] == "Mål och styrning"
    event = db.session.scalar(select(AuditEvent).filter_by(action="annex.export"))
    assert event is not None and event.object_id == world["second"].id


def test_summary_sheet_against_hand_computed_values(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    ws = annex(client, world["second"])["Sammanställning"]
    header = next(ws.iter_rows(max_row=1, values_only=True))
    assert list(header) == ["Organisation", "Kortnamn", "Typ", "Status", *CODES, "Mognadsindex",
                            "Index 2023", "Förändring", "Självskattade komponenter"]
    rows = rows_by_short_name(ws)
    population = db.session.query(Organisation).count()
    assert len(rows) == population
    asn, frn, mkb, ks = rows["ASN"], rows["FRN"], rows["MKB"], rows["KS"]
    assert [asn[code] for code in CODES] == [3, 3, 2, 2, 3, 2, 3]
    assert asn["Mognadsindex"] == pytest.approx(18 / 7)
    assert asn["Index 2023"] == pytest.approx(2.0)
    assert asn["Förändring"] == pytest.approx(18 / 7 - 2)
    assert asn["Självskattade komponenter"] is None
    assert [frn[code] for code in CODES] == [2, 2, None, None, None, None, None]
    assert (frn["Mognadsindex"], frn["Index 2023"], frn["Förändring"]) == (2.0, 2.0, 0.0)
    assert frn["Självskattade komponenter"] == "MAL, KUN"
    assert (mkb["Typ"], mkb["Mognadsindex"], mkb["Index 2023"], mkb["Förändring"]) == (
        "Bolag", 1.0, None, None)
    assert (ks["Status"], ks["Mognadsindex"]) == ("Ej påbörjad", None)
    names = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    kinds = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert kinds == sorted(kinds, key=lambda kind: kind != "Nämnd")  # nämnder first
    assert names.index("Arbetsmarknads- och socialnämnden") < names.index("Fritidsnämnden")
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:O{population + 1}"
    level_cell = next(c for c in ws[names.index("Arbetsmarknads- och socialnämnden") + 2]
                      if c.column_letter == "E")
    assert level_cell.value == 3
    assert level_cell.fill.fgColor.rgb.endswith(colour_for(3).lstrip("#").upper())
    index_cell = ws.cell(row=names.index("Fritidsnämnden") + 2, column=12)
    assert index_cell.number_format == "0.00"


def test_kind_and_organisation_filters_narrow_every_sheet(client, auth, world, organisation):
    auth.login_as(Role.ANALYST, None)
    wb = annex(client, world["second"], kind="bolag")
    bolag = db.session.query(Organisation).filter_by(kind=OrganisationKind.BOLAG).count()
    assert set(row["Typ"] for row in rows_by_short_name(wb["Sammanställning"]).values()) == {
        "Bolag"}
    assert len(rows_by_short_name(wb["Sammanställning"])) == bolag
    assert [row[0] for row in wb["Svar"].iter_rows(min_row=2, values_only=True)] == [
        "MKB Fastighets AB"]
    facts = {row[0]: row[1] for row in wb["Omslag"].iter_rows(values_only=True) if row[0]}
    assert facts["Typ"] == "Bara bolag"

    wb = annex(client, world["second"], org=[organisation("ASN").id, organisation("MKB").id])
    assert sorted(rows_by_short_name(wb["Sammanställning"])) == ["ASN", "MKB"]
    assessed = {row[0] for row in wb["Bedömningar"].iter_rows(min_row=2, values_only=True)}
    assert assessed == {"Arbetsmarknads- och socialnämnden", "MKB Fastighets AB"}
    facts = {row[0]: row[1] for row in wb["Omslag"].iter_rows(values_only=True) if row[0]}
    assert facts["Organisationer"] == "Arbetsmarknads- och socialnämnden, MKB Fastighets AB"


def test_answers_sheet_has_full_texts_dates_case_numbers_and_assessed_levels(client, auth,
                                                                             world):
    auth.login_as(Role.ANALYST, None)
    ws = annex(client, world["second"])["Svar"]
    header = [cell.value for cell in ws[1]]
    assert header == ["Organisation", "År", "Svar fråga 1", "Svar fråga 2", "Beslutsdatum",
                      "Diarienummer", *CODES, "Kortnamn", "Typ"]
    rows = rows_by_short_name(ws)
    assert sorted(rows) == ["ASN", "FRN", "MKB"]  # submitted only
    asn = rows["ASN"]
    assert (asn["Organisation"], asn["År"], asn["Svar fråga 1"], asn["Svar fråga 2"]) == (
        "Arbetsmarknads- och socialnämnden", 2024, "ASN:s svar.", "ASN:s svar.")
    assert asn["Beslutsdatum"].date().isoformat() == "2024-02-01"
    assert asn["Diarienummer"] == "ASN-2024-123"
    assert [asn[code] for code in CODES] == [ASN_2024[code] for code in CODES]
    assert [rows["FRN"][code] for code in CODES] == [None] * 7  # self-assessed: not imported
    date_cell = ws.cell(row=2, column=5)
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"
    assert ws.cell(row=2, column=3).alignment.wrap_text


def test_assessments_sheet_has_levels_justifications_and_sources(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    ws = annex(client, world["second"])["Bedömningar"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Organisation", "Komponent", "Nivå", "Källa", "Motivering", "Citat")
    asn = [row for row in rows[1:] if row[0] == "Arbetsmarknads- och socialnämnden"]
    assert [row[1][:3] for row in asn] == CODES
    assert asn[0][1:5] == ("MAL – Mål och styrning", 3, "Bedömning", "Motivering MAL.")
    assert {row[0] for row in rows[1:]} == {"Arbetsmarknads- och socialnämnden",
                                            "MKB Fastighets AB"}  # FRN has no assessment
    own = [row for row in annex(client, world["second"], source="self_assessment")[
        "Bedömningar"].iter_rows(min_row=2, values_only=True)]
    assert {row[2] for row in own} == {None}  # ASN and MKB rated themselves on nothing


def test_per_component_sheet_counts_and_native_stacked_chart(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    reply, data = download(client, f"/export/bilaga/{world['second'].id}.xlsx")
    ws = load_workbook(BytesIO(data))["Per komponent"]
    rows = list(ws.iter_rows(values_only=True))
    population = db.session.query(Organisation).count()
    assert rows[0] == ("Komponent", "Nivå 0", "Nivå 1", "Nivå 2", "Nivå 3", "Nivå 4", "Saknas",
                       "Medel", "Median")
    # MAL: ASN 3, FRN 2 (self), MKB 1; KOM: ASN 2, MKB 1.
    assert rows[1] == ("MAL – Mål och styrning", 0, 1, 1, 1, 0, population - 3, 2.0, 2.0)
    assert rows[3][:7] == ("KOM – Kompetenshöjande insatser", 0, 1, 1, 0, 0, population - 2)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
    assert re.search(r"<(c:)?grouping val=\"stacked\"", chart)
    assert "Organisationer per mognadsnivå och komponent" in chart
    for level in range(5):
        assert colour_for(level).lstrip("#").upper() in chart


def test_rights_areas_sheet_shares_of_submitted_organisations(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    ws = annex(client, world["second"])["Rättighetsområden"]
    first = [cell for cell in ws[2]]
    assert [cell.value for cell in first] == ["Barnets rättigheter", 1, pytest.approx(1 / 3)]
    assert first[2].number_format == "0%"
    facts = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}
    assert facts["Organisationer med inskickat svar"] == 3


def test_tags_sheet_counts_the_effective_assessments_tags(client, auth, make_round, make_user,
                                                        organisation):
    tags = build_tags_world(make_round, make_user, organisation)  # 3 assessed organisations
    auth.login_as(Role.ANALYST, None)
    ws = annex(client, tags["second"])["Hinder och principer"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == ["Typ", "Tagg", "Antal organisationer", "Andel", "Organisationer"]
    assert list(rows[1]) == ["Hinder", "Resurser", 2, pytest.approx(2 / 3),
                             f"{ASN_NAME}, {FRN_NAME}"]
    assert list(rows[2]) == ["Hinder", "Kunskap", 1, pytest.approx(1 / 3), ASN_NAME]
    assert [row[1:4] for row in rows[3:7]] == [(name, 0, 0) for name in (
        "Styrning", "Data", "Samverkan", "Målkonflikter")]
    assert all(row[4] is None for row in rows[3:7])
    assert list(rows[7]) == ["Princip", PARTICIPATION, 1, pytest.approx(1 / 3), ASN_NAME]
    assert [row[0] for row in rows[8:11]] == ["Princip"] * 3
    assert sum(row[2] for row in rows[8:11]) == 0
    assert ws.cell(row=2, column=4).number_format == "0%"
    facts = {row[0]: row[1] for row in rows[11:] if row[0]}
    assert facts == {"Organisationer med bedömt inskickat svar": 3}

    wb = annex(client, tags["second"], kind="namnd")
    rows = list(wb["Hinder och principer"].iter_rows(values_only=True))
    assert list(rows[1]) == ["Hinder", "Resurser", 2, 1.0, f"{ASN_NAME}, {FRN_NAME}"]
    wb = annex(client, tags["second"], org=[organisation("FRN").id, organisation("MKB").id])
    rows = list(wb["Hinder och principer"].iter_rows(values_only=True))
    assert list(rows[1]) == ["Hinder", "Resurser", 1, 0.5, FRN_NAME]


def test_user_text_never_becomes_a_formula_or_an_error(client, auth, world, make_user,
                                                       organisation, make_round):
    round_ = world["second"]
    analyst = make_user(Role.ANALYST, None, email="second@example.org")
    user = make_user(Role.RESPONDENT, "KS")
    shorts = ["KS", "FSN", "FN", "GSN", "GYVUX", "HVON", "KN"]
    for short, value in zip(shorts, INJECTIONS, strict=True):
        response = submitted_response(round_, organisation(short), user)
        answer(response, 1, value)
        make_assessment(response, analyst, 2, justification=value)
    db.session.add(Organisation(name="=EVIL()", short_name="EVIL", kind=OrganisationKind.BOLAG))
    db.session.commit()
    auth.login_as(Role.ANALYST, None)
    reply, data = download(client, f"/export/bilaga/{round_.id}.xlsx")
    wb = load_workbook(BytesIO(data))
    svar = [row for row in wb["Svar"].iter_rows(min_row=2)
            if row[-2].value in shorts]
    assert len(svar) == len(INJECTIONS)
    found = {row[-2].value: row[2] for row in svar}
    justifications = {row[0].value: row[4] for row in wb["Bedömningar"].iter_rows(min_row=2)
                      if row[1].value.startswith("MAL")}
    names = {org.short_name: org.name for org in db.session.scalars(select(Organisation))}
    for short, value in zip(shorts, INJECTIONS, strict=True):
        # A carriage return is stored as the line feed every XML reader turns it into.
        expected = value.replace("\r", "\n")
        for cell in (found[short], justifications[names[short]]):
            assert (cell.value, cell.data_type) == (expected, "s"), short
            assert bool(cell.quotePrefix) == expected.startswith(QUOTE_PREFIXED), short
    evil = next(row[0] for row in wb["Sammanställning"].iter_rows(min_row=2)
                if row[1].value == "EVIL")
    assert (evil.value, evil.data_type, evil.quotePrefix) == ("=EVIL()", "s", True)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode(), name


def test_characters_xml_cannot_hold_do_not_break_the_export(client, auth, world):
    # PostgreSQL cannot store NUL at all; SQLite can, so that export must survive it.
    nul = "\x00" if db.engine.dialect.name == "sqlite" else ""
    answer(world["responses"]["ASN"], 1, f"a{nul}b\x01c\x0bd\x0ce\x1ff")
    auth.login_as(Role.ANALYST, None)
    rows = rows_by_short_name(annex(client, world["second"])["Svar"])
    assert rows["ASN"]["Svar fråga 1"] == "abc\nd\nef"


def test_a_long_answer_continues_in_the_next_columns(client, auth, world):
    text = ("Vi arbetar med barnets rättigheter 🧒 och jämlikhet. " * 1400)[:70_000]
    answer(world["responses"]["FRN"], 1, text)
    auth.login_as(Role.ANALYST, None)
    ws = annex(client, world["second"])["Svar"]
    header = [cell.value for cell in ws[1]]
    assert header[2:6] == ["Svar fråga 1", "Svar fråga 1 (fortsättning 1)",
                           "Svar fråga 1 (fortsättning 2)", "Svar fråga 2"]
    rows = rows_by_short_name(ws)
    parts = [rows["FRN"][column] or "" for column in header[2:5]]
    assert all(len(part.encode("utf-16-le")) // 2 <= 32_767 for part in parts)
    assert "".join(parts) == text
    assert rows["ASN"]["Svar fråga 1"] == "ASN:s svar."
    assert rows["ASN"]["Svar fråga 1 (fortsättning 1)"] is None


def test_libreoffice_opens_the_annex(client, auth, world, tmp_path, require_tool):
    soffice = require_tool("soffice", "libreoffice-calc-nogui")
    auth.login_as(Role.ANALYST, None)
    reply, data = download(client, f"/export/bilaga/{world['second'].id}.xlsx")
    source = tmp_path / "annex.xlsx"
    source.write_bytes(data)
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "csv", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    converted = (tmp_path / "annex.csv").read_bytes()
    assert "Policy för mänskliga rättigheter".encode("latin-1") in converted


def test_csv_has_the_summary_rows_for_swedish_excel(client, auth, world):
    db.session.add(Organisation(name="=EVIL()", short_name="EVIL", kind=OrganisationKind.BOLAG))
    db.session.commit()
    auth.login_as(Role.ANALYST, None)
    reply, data = download(client, f"/export/bilaga/{world['second'].id}.csv")
    assert reply.status_code == 200
    assert reply.mimetype == "text/csv"
    assert "MR-bilaga-2024.csv" in reply.headers["Content-Disposition"]
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    sheet = list(annex(client, world["second"])["Sammanställning"].iter_rows(values_only=True))
    assert rows[0] == list(sheet[0])
    assert [row[1] for row in rows[1:]] == [row[1] for row in sheet[1:]]  # same rows, order
    by_short = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    asn = by_short["ASN"]
    assert (asn["MAL"], asn["KOM"], asn["Mognadsindex"], asn["Index 2023"]) == (
        "3", "2", "2,57", "2,00")
    assert asn["Förändring"] == "0,57"
    assert (by_short["FRN"]["KOM"], by_short["FRN"]["Självskattade komponenter"]) == (
        "", "MAL, KUN")
    assert by_short["EVIL"]["Organisation"] == "'=EVIL()"


def test_only_analysts_get_the_annex(client, auth, world):
    round_id = world["second"].id
    auth.login_as(Role.RESPONDENT, "ASN")
    for suffix in ("xlsx", "csv"):
        reply, _ = download(client, f"/export/bilaga/{round_id}.{suffix}")
        assert reply.status_code == 403
    auth.logout()
    auth.login_as(Role.ANALYST, None)
    for suffix in ("xlsx", "csv"):
        reply, _ = download(client, f"/export/bilaga/99999.{suffix}")
        assert reply.status_code == 404


def test_dashboard_pages_link_to_the_export_with_their_filters(client, auth, world,
                                                               organisation):
    auth.login_as(Role.ANALYST, None)
    round_id = world["second"].id
    org_id = organisation("ASN").id
    page = client.get(f"/analys/?round={round_id}&kind=namnd&org={org_id}"
                      "&component=KUN&sort=name").get_data(as_text=True)
    assert "Exportera till Excel" in page and "Exportera CSV" in page
    query = f"kind=namnd&amp;org={org_id}"
    assert f'href="/export/bilaga/{round_id}.xlsx?{query}"' in page
    assert f'href="/export/bilaga/{round_id}.csv?{query}"' in page
