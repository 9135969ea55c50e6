"""The "Sammanställning" sheet: one row per organisation, levels coloured by the scale."""

from __future__ import annotations

from collections.abc import Iterator

from exports.annex.columns import Column, summary_columns
from exports.sheets import Sheet
from survey.analysis.filters import DashboardFilter
from survey.analysis.summary import summary_rows
from survey.questionnaires.models import Round
from survey.reference.services import components

SHEET = "Sammanställning"


def columns_for(previous: Round | None) -> list[Column]:
    codes = [component.code for component in components()]
    return summary_columns(codes, previous.year if previous else None)


def summary_sheet(round_: Round, filters: DashboardFilter, previous: Round | None) -> Sheet:
    """The header row and the organisation's name stay in view."""
    columns = columns_for(previous)

    def rows() -> Iterator[list]:
        for row in summary_rows(round_, filters, previous):
            yield [column.value(row) for column in columns]

    return Sheet(SHEET, columns, rows(), freeze="B2")
