"""The city-wide figures: "Per komponent" (organisations per level, with a native stacked bar
chart in the scale's colours), "Rättighetsområden" (how many address each area) and "Hinder
och principer" (how many assessed answers carry each barrier and principle tag, and whose)."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.sheets import Blank, Column, DocumentSheet, Facts, Kind, Sheet, Table
from survey.analysis.filters import DashboardFilter
from survey.analysis.maturity import LEVELS, component_summaries
from survey.analysis.rights import rights_area_figures
from survey.analysis.tags import tag_figures
from survey.questionnaires.models import Round
from survey.reference.palette import colour_for

COMPONENTS_SHEET = "Per komponent"
RIGHTS_SHEET = "Rättighetsområden"
TAGS_SHEET = "Hinder och principer"
COMPONENT_COLUMNS = [Column("Komponent", Kind.TEXT, 34),
                     *(Column(f"Nivå {level}", Kind.NUMBER, 9) for level in LEVELS),
                     Column("Saknas", Kind.NUMBER, 9), Column("Medel", Kind.INDEX, 9),
                     Column("Median", Kind.INDEX, 9)]
RIGHTS_COLUMNS = [Column("Rättighetsområde", Kind.TEXT, 40),
                  Column("Antal organisationer", Kind.NUMBER, 22),
                  Column("Andel av organisationer med inskickat svar", Kind.PERCENT, 30)]
TAGS_COLUMNS = [Column("Typ", Kind.TEXT, 10), Column("Tagg", Kind.TEXT, 44),
                Column("Antal organisationer", Kind.NUMBER, 22),
                Column("Andel", Kind.PERCENT, 10),
                Column("Organisationer", Kind.WRAPPED, 70)]


def components_sheet(round_: Round, filters: DashboardFilter) -> Sheet:
    rows = ([f"{summary.code} – {summary.name}", *(summary.counts[level] for level in LEVELS),
             summary.missing, summary.mean, summary.median]
            for summary in component_summaries(round_, filters))
    return Sheet(COMPONENTS_SHEET, COMPONENT_COLUMNS, rows, freeze="B2", autofilter=False,
                 after=add_level_chart)


def add_level_chart(ws: WriteOnlyWorksheet, rows: int) -> None:
    """The chart of the table's `rows` components, two rows under it (no table, no chart)."""
    if rows:
        ws.add_chart(_level_chart(ws, rows), f"A{rows + 4}")


def _level_chart(ws: WriteOnlyWorksheet, rows: int) -> BarChart:
    """Organisations per level, one stacked bar per component, one series per level."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Organisationer per mognadsnivå och komponent"
    chart.x_axis.title = "Komponent"
    chart.y_axis.title = "Antal organisationer"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 24, 12
    data = Reference(ws, min_col=2, max_col=1 + len(LEVELS), min_row=1, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows + 1))
    for level, series in zip(LEVELS, chart.series, strict=True):
        colour = colour_for(level).lstrip("#").upper()
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    return chart


def rights_areas_sheet(round_: Round, filters: DashboardFilter) -> DocumentSheet:
    figures = rights_area_figures([round_], filters)
    found = figures.round(round_.id)
    rows = [(area.name, count, found.share(area.id) if found else None)
            for area, count in figures.ranked(round_.id)]
    submitted = found.submitted if found else 0
    widths = [column.width for column in RIGHTS_COLUMNS]
    return DocumentSheet(RIGHTS_SHEET, widths, [
        Table(RIGHTS_COLUMNS, rows), Blank(),
        Facts([("Organisationer med inskickat svar", submitted)]),
    ], landscape=True)


def tags_sheet(round_: Round, filters: DashboardFilter) -> DocumentSheet:
    """Barriers, then principles, most organisations first; the share is of the organisations
    with an assessed submitted response (survey.analysis.tags)."""
    figures = tag_figures(round_, filters)
    rows = [(tag.kind.label, tag.name, tag.count, figures.share(tag),
             ", ".join(tag.organisations) or None)
            for group in figures.groups for tag in group.tags]
    widths = [column.width for column in TAGS_COLUMNS]
    return DocumentSheet(TAGS_SHEET, widths, [
        Table(TAGS_COLUMNS, rows), Blank(),
        Facts([("Organisationer med bedömt inskickat svar", figures.assessed)]),
    ], landscape=True)
