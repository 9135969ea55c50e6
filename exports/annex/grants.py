"""The development-funds sheets of a round of several reports: "Utvecklingsmedel" (one row
per submitted work) and "Per organisation" (the sums), from survey.analysis.grants."""

from __future__ import annotations

from exports.sheets import Column, Kind, Sheet
from survey.analysis.filters import DashboardFilter
from survey.analysis.grants import GrantFigures, Sums, grant_figures
from survey.questionnaires.models import Round

WORKS_SHEET = "Utvecklingsmedel"
ORGANISATIONS_SHEET = "Per organisation"
WORKS_COLUMNS = [
    Column("Organisation", Kind.TEXT, 40), Column("Nr", Kind.NUMBER, 6),
    Column("Utvecklingsarbete", Kind.WRAPPED, 44), Column("Områden", Kind.TEXT, 36),
    Column("Beviljat år", Kind.NUMBER, 12), Column("Beviljat belopp", Kind.KRONOR, 16),
    Column("Använt belopp", Kind.KRONOR, 16), Column("Nyttjandegrad", Kind.PERCENT, 14),
    Column("Mer använt än beviljat", Kind.TEXT, 14), Column("Komponenter", Kind.TEXT, 24),
]
SUMS_COLUMNS = [
    Column("Organisation", Kind.TEXT, 40), Column("Utvecklingsarbeten", Kind.NUMBER, 18),
    Column("Beviljat belopp", Kind.KRONOR, 16), Column("Använt belopp", Kind.KRONOR, 16),
    Column("Nyttjandegrad", Kind.PERCENT, 14),
]


def works_sheet(figures: GrantFigures) -> Sheet:
    rows = ([work.organisation, work.number, work.name, ", ".join(work.areas), work.year,
             work.granted, work.used, work.utilisation, "Ja" if work.overspent else "–",
             ", ".join(work.components)] for work in figures.works)
    return Sheet(WORKS_SHEET, WORKS_COLUMNS, rows, freeze="B2")


def _sums(row: Sums) -> list:
    return [row.label, row.works, row.granted, row.used, row.utilisation]


def sums_sheet(figures: GrantFigures) -> Sheet:
    return Sheet(ORGANISATIONS_SHEET, SUMS_COLUMNS, (_sums(row) for row in figures.organisations),
                 autofilter=False, total=_sums(figures.total))


def grant_sheets(round_: Round, filters: DashboardFilter) -> list[Sheet]:
    figures = grant_figures(round_, filters)
    return [works_sheet(figures), sums_sheet(figures)]
