"""Which level counts (survey.analysis.levels), against hand-computed fixtures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event
from support.factories import CODES, T0, make_assessment, submitted_response

from survey.accounts.models import Role
from survey.analysis.levels import (
    OrgComponentLevel,
    effective_assessment,
    indices_by_organisation,
    maturity_index,
    round_levels,
)
from survey.assessments.models import (
    AssessmentKind,
    AssessmentStatus,
)
from survey.extensions import db
from survey.responses.models import DecisionBody
from survey.responses.services import return_for_completion, submit


def by_org(rows):
    result: dict[int, dict[str, tuple[int, str]]] = {}
    for row in rows:
        result.setdefault(row.organisation_id, {})[row.component_code] = (row.level, row.source)
    return result


def test_round_levels_against_hand_computed_fixture(app, make_round, make_user, organisation):
    round_ = make_round()
    user = make_user(Role.RESPONDENT, "ASN")
    first = make_user(Role.ANALYST, None, email="a1@example.org")
    second = make_user(Role.ANALYST, None, email="a2@example.org")
    orgs = {short: organisation(short) for short in ("ASN", "FRN", "FSN", "FN", "KS")}

    # ASN: two independent assessments; the one completed first (second analyst) counts.
    asn = submitted_response(round_, orgs["ASN"], user, {"MAL": 1})
    make_assessment(asn, first, 3, completed_at=T0 + dt.timedelta(hours=1))
    make_assessment(asn, second, 2, completed_at=T0)
    # FRN: only a self-assessment, with three components missing.
    submitted_response(round_, orgs["FRN"], user, {"MAL": 2, "KUN": 1, "KOM": 0, "UPP": 4})
    # FSN: independent 1 everywhere, but a consensus (MAL 3, rest 2) wins; a draft is ignored.
    fsn = submitted_response(round_, orgs["FSN"], user, {"MAL": 4})
    make_assessment(fsn, first, 1)
    make_assessment(fsn, second, 0, status=AssessmentStatus.DRAFT)
    make_assessment(fsn, first, {**{code: 2 for code in CODES}, "MAL": 3},
                    kind=AssessmentKind.CONSENSUS, completed_at=T0 + dt.timedelta(days=2))
    # FN: assessed, then returned: contributes nothing until resubmitted.
    fn = submitted_response(round_, orgs["FN"], user, {"MAL": 2})
    make_assessment(fn, first, 4)
    return_for_completion(fn, first, "Komplettera fråga 2.")
    db.session.commit()
    # KS: did not answer at all. A draft assessment alone (KN) would not count either.

    levels = by_org(round_levels(round_.id))
    assert set(levels) == {orgs["ASN"].id, orgs["FRN"].id, orgs["FSN"].id}
    assert levels[orgs["ASN"].id] == {code: (2, "assessment") for code in CODES}
    assert levels[orgs["FRN"].id] == {"MAL": (2, "self_assessment"), "KUN": (1, "self_assessment"),
                                      "KOM": (0, "self_assessment"),
                                      "UPP": (4, "self_assessment")}
    assert levels[orgs["FSN"].id] == {**{code: (2, "assessment") for code in CODES},
                                      "MAL": (3, "assessment")}

    indices = indices_by_organisation(round_levels(round_.id))
    # ASN: 7 × 2 / 7 = 2.0; FRN: (2 + 1 + 0 + 4) / 4 = 1.75 with 4 of 7; FSN: (3 + 6 × 2) / 7.
    assert indices[orgs["ASN"].id].value == 2.0
    assert indices[orgs["FRN"].id].value == 1.75
    assert (indices[orgs["FRN"].id].present, indices[orgs["FRN"].id].total) == (4, 7)
    assert indices[orgs["FRN"].id].percent == 43.75
    assert abs(indices[orgs["FSN"].id].value - 15 / 7) < 1e-9
    assert orgs["FN"].id not in indices and orgs["KS"].id not in indices


def test_assessment_with_a_missing_level_falls_back_to_the_self_assessment(
        app, make_round, make_user, organisation):
    round_ = make_round()
    user = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None)
    response = submitted_response(round_, organisation("ASN"), user, {"KUN": 3})
    make_assessment(response, analyst, {**{code: 1 for code in CODES}, "KUN": None,
                                        "UPP": None})
    levels = by_org(round_levels(round_.id))[organisation("ASN").id]
    assert levels["KUN"] == (3, "self_assessment")
    assert "UPP" not in levels  # neither assessed nor self-assessed: absent, never 0
    assert levels["MAL"] == (1, "assessment")


def test_resubmitted_response_makes_the_old_assessment_out_of_date(
        app, make_round, make_user, organisation):
    round_ = make_round()
    user = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None)
    response = submitted_response(round_, organisation("ASN"), user, {"MAL": 1})
    old = make_assessment(response, analyst, 3)
    assert effective_assessment(response).id == old.id
    return_for_completion(response, analyst, "Komplettera.")
    submit(response, user, DecisionBody.NAMND, dt.date(2024, 2, 1), "ASN-2024-124")
    db.session.commit()
    assert effective_assessment(response) is None
    assert old.is_out_of_date
    assert by_org(round_levels(round_.id))[organisation("ASN").id] == {
        "MAL": (1, "self_assessment")}


def test_maturity_index_of_nothing_is_none():
    index = maturity_index([], total=7)
    assert (index.value, index.present, index.percent) == (None, 0, None)
    index = maturity_index([OrgComponentLevel(1, "MAL", 4, "assessment"), 2], total=7)
    assert (index.value, index.present, index.percent) == (3.0, 2, 75.0)


def test_round_levels_uses_a_fixed_number_of_queries(app, make_round, make_user, organisation):
    round_ = make_round()
    user = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None)
    round_id = round_.id

    def count_queries() -> int:
        statements = []

        def listener(*args):
            statements.append(args[2])

        engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            round_levels(round_id)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        # Only this module's SELECT counts (a new connection may also run set-up PRAGMAs).
        return len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))])

    submitted_response(round_, organisation("ASN"), user, {"MAL": 1})
    one = count_queries()
    for short in ("FRN", "FSN", "FN"):
        make_assessment(submitted_response(round_, organisation(short), user, {"MAL": 2}),
                        analyst, 2)
    assert one == 1
    assert count_queries() == 1
