"""`flask --app survey export-annex`: the same annex as the dashboards' button, from the
command line (exports.annex_views.export_annex)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from support.worlds import SHEETS, build_annex_world

from survey.audit.models import AuditEvent
from survey.extensions import db


@pytest.fixture
def world(app, make_round, make_user, organisation):
    return build_annex_world(make_round, make_user, organisation)


def test_the_command_writes_the_annex(runner, world, tmp_path):
    out = tmp_path / "bilaga.xlsx"
    result = runner.invoke(args=["export-annex", "--year", "2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "bilaga.xlsx" in result.output
    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS
    facts = {row[0]: row[1] for row in wb["Omslag"].iter_rows(values_only=True) if row[0]}
    assert facts["Exporterad av"].startswith("Kommandoraden (")
    assert facts["År"] == 2024
    shorts = [row[1] for row in wb["Sammanställning"].iter_rows(min_row=2, values_only=True)]
    assert "ASN" in shorts and "MKB" in shorts
    event = db.session.scalar(select(AuditEvent).filter_by(action="annex.export"))
    assert event is not None and event.object_id == world["second"].id


def test_the_command_applies_kind_and_organisation_filters(runner, world, tmp_path):
    out = tmp_path / "bolag.xlsx"
    result = runner.invoke(args=["export-annex", "--year", "2024", "--kind", "bolag",
                                 "--org", "MKB", "--org", "asn", "--out", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    shorts = [row[1] for row in wb["Sammanställning"].iter_rows(min_row=2, values_only=True)]
    assert shorts == ["MKB"]  # ASN is a nämnd
    facts = {row[0]: row[1] for row in wb["Omslag"].iter_rows(values_only=True) if row[0]}
    assert facts["Typ"] == "Bara bolag"
    assert facts["Organisationer"] == "Arbetsmarknads- och socialnämnden, MKB Fastighets AB"


def test_an_earlier_round_compares_with_nothing(runner, world, tmp_path):
    out = tmp_path / "2023.xlsx"
    result = runner.invoke(args=["export-annex", "--year", "2023", "--out", str(out)])
    assert result.exit_code == 0, result.output
    header = next(load_workbook(out)["Sammanställning"].iter_rows(max_row=1, values_only=True))
    assert "Index föregående omgång" in header


def test_an_unknown_round_or_organisation_is_refused_in_swedish(runner, world, tmp_path):
    out = tmp_path / "x.xlsx"
    result = runner.invoke(args=["export-annex", "--year", "1999", "--out", str(out)])
    assert result.exit_code != 0
    assert "Det finns ingen omgång 1999" in result.output
    result = runner.invoke(args=["export-annex", "--year", "2024", "--questionnaire",
                                 "utvecklingsmedel", "--out", str(out)])
    assert result.exit_code != 0 and "ingen omgång 2024" in result.output
    result = runner.invoke(args=["export-annex", "--year", "2024", "--org", "NOPE",
                                 "--out", str(out)])
    assert result.exit_code != 0
    assert "Okänd organisation: ”NOPE”" in result.output
    assert not out.exists()
    result = runner.invoke(args=["export-annex", "--year", "2024"])
    assert result.exit_code != 0  # --out is required
