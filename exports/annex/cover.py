"""The cover sheet ("Omslag"): what the workbook is, when and by whom it was made, which
filters it shows, the responses by status, the maturity scale and the components."""

from __future__ import annotations

import datetime as dt

from exports.sheets import Blank, Column, DocumentSheet, Facts, Heading, Kind, Table, Title
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


def cover_sheet(round_: Round, filters: DashboardFilter, exported_by: str,
                now: dt.datetime) -> DocumentSheet:
    blocks = [Title(GRANTS_TITLE if round_.several_reports else TITLE), Blank(),
              Facts([("Omgång", round_.title), ("År", round_.year),
                     ("Exporterad", now.astimezone(STOCKHOLM).replace(microsecond=0)),
                     ("Exporterad av", exported_by), *filters_in_words(filters)]),
              Blank(), status_table(round_, filters)]
    if not round_.several_reports:  # development works are tagged, not rated on the scale
        blocks += [Blank(), Heading("Mognadsskala"), scale_table()]
    blocks += [Blank(), Heading("Komponenter för implementering"),
               Table([Column("Kod"), Column("Komponent"), Column("Beskrivning", Kind.WRAPPED)],
                     [(component.code, component.name, component.summary)
                      for component in components()])]
    return DocumentSheet(SHEET, [26, 34, 90], blocks, landscape=True)


def status_table(round_: Round, filters: DashboardFilter) -> Table:
    counts = status_summary(round_, filters).counts
    if round_.several_reports:
        # Reports, not organisations: an organisation without a grant files none, which is
        # not "ej påbörjad".
        counts = [count for count in counts if count.key != "not_started"]
    counted = "Antal redovisningar" if round_.several_reports else "Antal organisationer"
    return Table([Column("Status"), Column(counted, Kind.NUMBER)],
                 [(count.label, count.count) for count in counts],
                 total=("Totalt", sum(count.count for count in counts)))


def scale_table() -> Table:
    return Table([Column("Nivå", Kind.LEVEL), Column("Namn"),
                  Column("Beskrivning", Kind.WRAPPED)],
                 [(level.level, level.name, level.descriptor) for level in maturity_levels()])
