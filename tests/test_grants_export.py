"""The annex of a development-funds round (exports.annex.grants): the cover, one row per
submitted work on "Utvecklingsmedel" and the sums on "Per organisation", read back through the
analysts' route; the figures are those of tests/test_grants_figures.py."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from support.worlds import SHEETS, build_grants_world

from exports.cells import KRONOR_FORMAT, PERCENT_FORMAT
from survey.accounts.models import Role

HEADERS = ("Organisation", "Nr", "Utvecklingsarbete", "Områden", "Beviljat år",
           "Beviljat belopp", "Använt belopp", "Nyttjandegrad", "Mer använt än beviljat",
           "Komponenter")
ASN = "Arbetsmarknads- och socialnämnden"
MKB = "MKB Fastighets AB"


@pytest.fixture
def world(app, make_round, make_user, organisation):
    return build_grants_world(make_round, make_user, organisation)


def annex(client, round_, **args):
    reply = client.get(f"/export/bilaga/{round_.id}.xlsx", query_string=args)
    data = reply.data
    reply.close()
    assert reply.status_code == 200, data[:500]
    return load_workbook(BytesIO(data))


def test_the_annex_has_the_cover_and_the_development_funds_sheets(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    wb = annex(client, world["round"])
    assert wb.sheetnames == ["Omslag", "Utvecklingsmedel", "Per organisation"]
    facts = {row[0]: row[1] for row in wb["Omslag"].iter_rows(values_only=True) if row[0]}
    assert facts["Omgång"] == world["round"].title and facts["År"] == 2024


def test_one_row_per_submitted_work_with_kronor_and_percent_cells(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    ws = annex(client, world["round"])["Utvecklingsmedel"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert rows[1:] == [
        (ASN, 1, "HBTQ-certifiering", "Jämställdhet, Antidiskriminering", 2023, 400_000, 167_000,
         pytest.approx(0.4175), "–", "KUN"),
        (ASN, 2, "Barnrättsutbildning", "Barnrätt", 2023, 100_000, 120_000, 1.2, "Ja",
         "MET, SAM"),
        (MKB, 1, "Vägledning", "Nationella minoriteter", 2023, 202_000, 194_000,
         pytest.approx(194 / 202), "–", None),
    ]  # FRN's draft is left out; an empty text cell reads back as None
    granted, used, share = ws["F2"], ws["G2"], ws["H2"]
    assert (granted.number_format, used.number_format) == (KRONOR_FORMAT, KRONOR_FORMAT)
    assert share.number_format == PERCENT_FORMAT
    assert ws["C2"].data_type == "s" and ws["I3"].data_type == "s"
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:J4"


def test_per_organisation_sheet_sums_the_works(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    ws = annex(client, world["round"])["Per organisation"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows == [
        ("Organisation", "Utvecklingsarbeten", "Beviljat belopp", "Använt belopp",
         "Nyttjandegrad"),
        (ASN, 2, 500_000, 287_000, pytest.approx(0.574)),
        (MKB, 1, 202_000, 194_000, pytest.approx(194 / 202)),
        ("Totalt", 3, 702_000, 481_000, pytest.approx(481 / 702)),
    ]
    assert ws["C4"].number_format == KRONOR_FORMAT and ws["E4"].number_format == PERCENT_FORMAT
    assert ws["A4"].font.bold


def test_the_kind_filter_narrows_the_sheets(client, auth, world):
    auth.login_as(Role.ANALYST, None)
    wb = annex(client, world["round"], kind="bolag")
    assert [row[0] for row in wb["Utvecklingsmedel"].iter_rows(min_row=2, values_only=True)] == [
        MKB]
    assert [row[0] for row in wb["Per organisation"].iter_rows(min_row=2, values_only=True)] == [
        MKB, "Totalt"]


def test_the_special_question_annex_keeps_its_sheets(client, auth, world, make_round):
    special = make_round(2024)
    auth.login_as(Role.ANALYST, None)
    assert annex(client, special).sheetnames == SHEETS


def test_a_respondent_may_not_download_the_annex(client, auth, world):
    auth.login_as(Role.RESPONDENT, "ASN")
    reply = client.get(f"/export/bilaga/{world['round'].id}.xlsx")
    reply.close()
    assert reply.status_code == 403
