"""The cover sheet ("Omslag"): what the workbook is, when and by whom it was made, which
filters it shows, the responses by status, the maturity scale and the components."""

from __future__ import annotations

import datetime as dt

from openpyxl.workbook import Workbook

from exports.cells import (
    datetime_cell,
    header_cells,
    level_cell,
    number_cell,
    text_cell,
    title_cell,
)
from exports.styles import new_sheet, set_widths
from survey.analysis.annex import chosen_organisation_names
from survey.analysis.filters import DashboardFilter
from survey.analysis.maturity import status_summary
from survey.formatting import STOCKHOLM
from survey.questionnaires.models import Round
from survey.reference.services import components, maturity_levels

SHEET = "Omslag"
TITLE = "Policy för mänskliga rättigheter – bilaga till årsredovisningen"
GRANTS_TITLE = "Redovisning av beviljade utvecklingsmedel – sammanställning"


def filters_in_words(filters: DashboardFilter) -> list[tuple[str, str]]:
    """The export's filters as (label, value) lines in Swedish."""
    kind = f"Bara {filters.kind.plural_label.lower()}" if filters.kind else "Nämnder och bolag"
    organisations = (", ".join(chosen_organisation_names(filters)) if filters.organisation_ids
                     else "Alla")
    return [("Typ", kind), ("Organisationer", organisations),
            ("Nivåkälla", filters.source.label)]


def write_cover(wb: Workbook, round_: Round, filters: DashboardFilter, exported_by: str,
                now: dt.datetime) -> None:
    ws = new_sheet(wb, SHEET)
    set_widths(ws, [26, 34, 90])
    ws.append([title_cell(ws, GRANTS_TITLE if round_.several_reports else TITLE)])
    ws.append([])
    facts = [("Omgång", text_cell(ws, round_.title)),
             ("År", number_cell(ws, round_.year)),
             ("Exporterad", datetime_cell(ws, now.astimezone(STOCKHOLM).replace(microsecond=0))),
             ("Exporterad av", text_cell(ws, exported_by))]
    facts += [(label, text_cell(ws, value)) for label, value in filters_in_words(filters)]
    for label, cell in facts:
        ws.append([text_cell(ws, label, bold=True), cell])

    ws.append([])
    summary = status_summary(round_, filters)
    counts = summary.counts
    if round_.several_reports:
        # Reports, not organisations: an organisation without a grant files none, which is
        # not "ej påbörjad".
        counts = [count for count in counts if count.key != "not_started"]
        ws.append(header_cells(ws, ["Status", "Antal redovisningar"]))
    else:
        ws.append(header_cells(ws, ["Status", "Antal organisationer"]))
    for count in counts:
        ws.append([text_cell(ws, count.label), number_cell(ws, count.count)])
    ws.append([text_cell(ws, "Totalt", bold=True),
               number_cell(ws, sum(count.count for count in counts))])

    if not round_.several_reports:  # development works are tagged, not rated on the scale
        write_scale(ws)

    ws.append([])
    ws.append([text_cell(ws, "Komponenter för implementering", bold=True)])
    ws.append(header_cells(ws, ["Kod", "Komponent", "Beskrivning"]))
    for component in components():
        ws.append([text_cell(ws, component.code), text_cell(ws, component.name),
                   text_cell(ws, component.summary, wrap=True)])


def write_scale(ws) -> None:
    ws.append([])
    ws.append([text_cell(ws, "Mognadsskala", bold=True)])
    ws.append(header_cells(ws, ["Nivå", "Namn", "Beskrivning"]))
    for level in maturity_levels():
        ws.append([level_cell(ws, level.level), text_cell(ws, level.name),
                   text_cell(ws, level.descriptor, wrap=True)])
