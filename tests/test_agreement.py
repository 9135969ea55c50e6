"""Double coding: weighted kappa, agreement over a round, recording the consensus."""

from __future__ import annotations

import datetime as dt

import pytest
from support.factories import (
    CODES,
    T0,
    components_by_code,
    make_assessment,
    submitted_response,
)

from survey.accounts.models import Role
from survey.agreement.services import (
    AgreementError,
    record_consensus,
    round_agreement,
    weighted_kappa,
)
from survey.analysis.levels import effective_assessment, round_levels
from survey.assessments.models import AssessmentKind, AssessmentStatus, EvidenceQuote
from survey.extensions import db


def test_weighted_kappa_hand_worked_example():
    """Three categories 0, 1, 2 (k = 3), four rated items (rater 1, rater 2):
    (0,0), (1,1), (2,1), (2,2).

    Observed proportions O (rows rater 1, columns rater 2), each cell /4:
        [[1, 0, 0],
         [0, 1, 0],
         [0, 1, 1]] / 4
    Marginals: rows r = (1/4, 1/4, 2/4), columns c = (1/4, 2/4, 1/4).
    Expected E_ij = r_i * c_j, in sixteenths:
        [[1, 2, 1],
         [1, 2, 1],
         [2, 4, 2]] / 16
    Weights w_ij = (i - j)^2 / (k - 1)^2 = (i - j)^2 / 4:
        [[0,   1/4, 1  ],
         [1/4, 0,   1/4],
         [1,   1/4, 0  ]]
    sum(w*O) = w_21 * 1/4 = 1/4 * 1/4 = 1/16
    sum(w*E) = (1/4*2 + 1*1 + 1/4*1 + 1/4*1 + 1*2 + 1/4*4) / 16
             = (0.5 + 1 + 0.25 + 0.25 + 2 + 1) / 16 = 5/16
    kappa = 1 - (1/16) / (5/16) = 1 - 1/5 = 0.8
    """
    kappa = weighted_kappa([(0, 0), (1, 1), (2, 1), (2, 2)], categories=(0, 1, 2))
    assert kappa.value == pytest.approx(0.8)


def test_weighted_kappa_matches_an_independent_implementation():
    # Value computed once with scikit-learn 1.x:
    # cohen_kappa_score(a, b, weights="quadratic", labels=[0, 1, 2, 3, 4])
    ratings = [(0, 0), (1, 2), (2, 2), (3, 4), (4, 4), (2, 1), (1, 1), (3, 3), (0, 1), (4, 3),
               (2, 2), (3, 2)]
    assert weighted_kappa(ratings).value == pytest.approx(0.8414096916299559)


def test_weighted_kappa_perfect_and_degenerate():
    assert weighted_kappa([(0, 0), (2, 2), (4, 4)]).value == pytest.approx(1.0)
    degenerate = weighted_kappa([(2, 2), (2, 2)])  # sum(w*E) == 0: undefined
    assert degenerate.value is None and degenerate.note
    assert weighted_kappa([]).value is None


@pytest.fixture
def double_coded(app, make_round, make_user, organisation):
    """ASN coded by two analysts (differ on MAL 1/3 and KUN 2/1), FRN coded by both
    identically (all 2), FSN by one analyst only, GSN with a draft second coding."""
    round_ = make_round()
    user = make_user(Role.RESPONDENT, "ASN")
    first = make_user(Role.ANALYST, None, email="a1@example.org", name="Anna Analytiker")
    second = make_user(Role.ANALYST, None, email="a2@example.org", name="Bo Bedömare")
    asn = submitted_response(round_, organisation("ASN"), user, {"MAL": 0})
    a1 = make_assessment(asn, first, {**{c: 2 for c in CODES}, "MAL": 1, "KUN": 2},
                         justification="Anna om {code}.")
    make_assessment(asn, second, {**{c: 2 for c in CODES}, "MAL": 3, "KUN": 1},
                    completed_at=T0 + dt.timedelta(hours=1), justification="Bo om {code}.")
    answer = asn.answers[0]
    db.session.add(EvidenceQuote(assessment_id=a1.id, answer_id=answer.id, start=3, end=14,
                                 text=answer.text[3:14],
                                 component_id=components_by_code()["MAL"].id))
    db.session.commit()
    frn = submitted_response(round_, organisation("FRN"), user)
    make_assessment(frn, first, 2)
    make_assessment(frn, second, 2)
    fsn = submitted_response(round_, organisation("FSN"), user)
    make_assessment(fsn, first, 4)
    gsn = submitted_response(round_, organisation("GSN"), user)
    make_assessment(gsn, first, 4)
    make_assessment(gsn, second, 0, status=AssessmentStatus.DRAFT)
    return {"round": round_, "asn": asn, "first": first, "second": second}


def test_round_agreement_figures(double_coded):
    agreement = round_agreement(double_coded["round"].id)
    assert len(agreement.pairs) == 2  # ASN and FRN; FSN single, GSN's second is a draft
    by_code = {row.component.code: row for row in agreement.components}
    assert (by_code["MAL"].n, by_code["MAL"].agreed, by_code["MAL"].exact) == (2, 1, 0.5)
    assert by_code["KUN"].exact == 0.5 and by_code["KOM"].exact == 1.0
    assert (agreement.n, agreement.agreed) == (14, 12)
    # Same ratings through the plain function: 12 × (2,2), (1,3), (2,1).
    expected = weighted_kappa([(2, 2)] * 12 + [(1, 3), (2, 1)])
    assert agreement.kappa.value == pytest.approx(expected.value)
    asn_pair = next(p for p in agreement.pairs if p.response.id == double_coded["asn"].id)
    assert [c.code for c in asn_pair.differences(
        [row.component for row in agreement.components])] == ["MAL", "KUN"]


def test_consensus_requires_levels_where_they_differ(double_coded):
    with pytest.raises(AgreementError):
        record_consensus(double_coded["asn"], double_coded["first"], {}, {})


def test_consensus_wins_and_copies_agreed_levels(double_coded):
    asn, comps = double_coded["asn"], components_by_code()
    record_consensus(asn, double_coded["second"], {comps["MAL"].id: 2, comps["KUN"].id: 1,
                                                   comps["KOM"].id: 0},
                     {comps["MAL"].id: "Vi enades om Påbörjat."})
    db.session.commit()
    consensus = effective_assessment(asn)
    assert consensus.kind == AssessmentKind.CONSENSUS
    assert consensus.status == AssessmentStatus.DONE
    levels = {s.component.code: (s.level, s.justification) for s in consensus.scores}
    assert levels["MAL"] == (2, "Vi enades om Påbörjat.")
    assert levels["KUN"] == (1, "")
    assert levels["KOM"] == (2, "Anna om KOM.")  # agreed: the agreed level, not the 0 given
    assert [q.text for q in consensus.quotes] == [asn.answers[0].text[3:14]]
    org_levels = {r.component_code: r.level for r in round_levels(asn.round_id)
                  if r.organisation_id == asn.organisation_id}
    assert org_levels["MAL"] == 2 and org_levels["KUN"] == 1
    # Recording again updates the same consensus, with a revision each time.
    record_consensus(asn, double_coded["first"], {comps["MAL"].id: 3, comps["KUN"].id: 1}, {})
    db.session.commit()
    again = effective_assessment(asn)
    assert again.id == consensus.id and again.version == 2 and len(again.revisions) == 2
    assert len(again.quotes) == 1


def test_agreement_pages_show_both_analysts_and_record_consensus(client, auth, double_coded):
    auth.login_as(Role.ANALYST, None)
    round_id, asn = double_coded["round"].id, double_coded["asn"]
    page = client.get(f"/samstammighet/omgangar/{round_id}").get_data(as_text=True)
    assert "Kvadratiskt viktad kappa" in page and "2 dubbelbedömda svar" in page
    form = client.get(f"/samstammighet/svar/{asn.id}")
    text = form.get_data(as_text=True)
    assert form.status_code == 200
    assert "Anna om MAL." in text and "Bo om MAL." in text
    comps = components_by_code()
    refused = client.post(f"/samstammighet/svar/{asn.id}", {})
    assert refused.status_code == 200 and "Välj en gemensam nivå" in refused.get_data(
        as_text=True)
    done = client.post(f"/samstammighet/svar/{asn.id}", {
        f"level_{comps['MAL'].id}": "3", f"level_{comps['KUN'].id}": "2",
        f"note_{comps['MAL'].id}": "Etablerat enligt båda efter samtal."})
    assert done.status_code == 302
    consensus = effective_assessment(asn)
    assert consensus.kind == AssessmentKind.CONSENSUS
    assert consensus.score_for(comps["MAL"]).justification == "Etablerat enligt båda efter samtal."


def test_agreement_pages_are_for_analysts_only(client, auth, double_coded):
    auth.login_as(Role.RESPONDENT, "ASN")
    round_id, asn = double_coded["round"].id, double_coded["asn"]
    assert client.get(f"/samstammighet/omgangar/{round_id}").status_code == 403
    assert client.get(f"/samstammighet/svar/{asn.id}").status_code == 403
    assert client.post(f"/samstammighet/omgangar/{round_id}/publicera").status_code == 403
