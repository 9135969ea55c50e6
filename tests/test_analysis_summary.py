"""The summary rows of a round (survey.analysis.summary): the Sammanställning of the annex and
its CSV, against a hand-computed fixture of two rounds built through the real services."""

from __future__ import annotations

import pytest
from support.factories import assess, make_assessment, submitted_response

from survey.accounts.models import Role
from survey.analysis.filters import DashboardFilter
from survey.analysis.levels import LevelSource
from survey.analysis.summary import summary_rows
from survey.organisations.models import OrganisationKind
from survey.questionnaires.models import RoundStatus
from survey.responses.models import ResponseStatus


@pytest.fixture
def rounds(app, make_round, make_user, organisation):
    """2022: ASN assessed 1 everywhere. 2023: ASN assessed (MAL 3, the rest 2, UPP missing in
    the assessment but self-assessed 4), FRN only self-assessed (MAL 1, KUN 2), MKB a draft,
    every other organisation not started."""
    analyst = make_user(Role.ANALYST, None)
    asn, frn, mkb = (make_user(Role.RESPONDENT, short) for short in ("ASN", "FRN", "MKB"))
    earlier = make_round(2022)
    assess(submitted_response(earlier, organisation("ASN"), asn), analyst, 1)
    earlier.status = RoundStatus.CLOSED
    current = make_round(2023)
    levels = {"MAL": 3, "KUN": 2, "KOM": 2, "MET": 2, "SAM": 2, "KSP": 2, "UPP": None}
    response = submitted_response(current, organisation("ASN"), asn, self_levels={"UPP": 4})
    make_assessment(response, analyst, levels)  # done, with UPP left open
    submitted_response(current, organisation("FRN"), frn, self_levels={"MAL": 1, "KUN": 2})
    submitted_response(current, organisation("MKB"), mkb, submitted=False)
    return earlier, current


def by_short_name(rows):
    return {row.short_name: row for row in rows}


def test_each_organisation_has_its_levels_index_and_change(rounds):
    earlier, current = rounds

    rows = list(summary_rows(current, DashboardFilter(), earlier))

    found = by_short_name(rows)
    asn = found["ASN"]
    assert asn.levels == {"MAL": 3, "KUN": 2, "KOM": 2, "MET": 2, "SAM": 2, "KSP": 2, "UPP": 4}
    assert asn.self_assessed == ("UPP",)
    assert asn.index == pytest.approx(17 / 7)
    assert asn.previous_index == pytest.approx(1.0)
    assert asn.change == pytest.approx(17 / 7 - 1)
    frn = found["FRN"]
    assert frn.levels == {"MAL": 1, "KUN": 2}
    assert frn.self_assessed == ("MAL", "KUN")
    assert frn.index == pytest.approx(1.5)
    assert frn.previous_index is None and frn.change is None
    mkb = found["MKB"]
    assert mkb.status == ResponseStatus.DRAFT and mkb.levels == {} and mkb.index is None
    assert found["KN"].status is None and found["KN"].status_label == "Ej påbörjad"


def test_rows_cover_the_population_nämnder_first_then_by_name(rounds):
    _, current = rounds
    rows = list(summary_rows(current, DashboardFilter(), None))

    kinds = [row.kind for row in rows]
    assert kinds == sorted(kinds, key=lambda kind: kind != OrganisationKind.NAMND)
    namnder = [row.name for row in rows if row.kind == OrganisationKind.NAMND]
    assert namnder == sorted(namnder)
    assert len(rows) == len({row.organisation_id for row in rows}) == 21


def test_filters_narrow_the_rows_and_choose_the_levels(rounds, organisation):
    earlier, current = rounds

    bolag = list(summary_rows(current, DashboardFilter(kind=OrganisationKind.BOLAG), earlier))
    assert bolag and {row.kind for row in bolag} == {OrganisationKind.BOLAG}

    chosen = DashboardFilter(organisation_ids=(organisation("ASN").id, organisation("FRN").id),
                             source=LevelSource.ASSESSMENT)
    rows = by_short_name(summary_rows(current, chosen, earlier))
    assert set(rows) == {"ASN", "FRN"}
    assert "UPP" not in rows["ASN"].levels and rows["ASN"].index == pytest.approx(13 / 6)
    assert rows["FRN"].levels == {} and rows["FRN"].index is None
