"""Hand-computed fixtures that several test modules check figures against: the heatmap's
round (test_dashboard_heatmap, test_dashboard_profile), the annual-report annex's two rounds
(test_exports_annex, test_exports_annex_cli), the barrier and principle tags' round
(test_analysis_tags, test_dashboard_rights, test_exports_annex) and the development-funds
round (test_grants_figures, test_grants_export)."""

from __future__ import annotations

from sqlalchemy import select

from support.factories import CODES, assess, filed_report, make_assessment, submitted_response
from survey.accounts.models import Role
from survey.assessments.models import response_component
from survey.extensions import db
from survey.questionnaires.models import RoundStatus
from survey.reference.models import Component, RightsArea
from survey.responses.services import return_for_completion

# --- the heatmap's round ------------------------------------------------------------------

ASN_ASSESSED = {"MAL": 2, "KUN": 2, "KOM": 3, "MET": 1, "SAM": 0, "KSP": 2, "UPP": 2}

FRN_SELF = {"MAL": 2, "KUN": 1, "KOM": 0, "UPP": 4}


def build_heatmap_round(round_, organisation, respondent, analyst) -> dict:
    """In `round_`: ASN submitted, self-assessed MAL 1, KUN 3, assessed ASN_ASSESSED (done)
    with a quote "Vi arbetar" for KUN; FRN submitted, self-assessed FRN_SELF only; FN submitted,
    assessed 4 everywhere, then returned (self MAL 2 remains). The ids the tests need."""
    asn = submitted_response(round_, organisation("ASN"), respondent, {"MAL": 1, "KUN": 3})
    assess(asn, analyst, ASN_ASSESSED, quotes={"KUN": (0, 10)},
           justification="Motivering {code}.")
    frn = submitted_response(round_, organisation("FRN"), respondent, FRN_SELF)
    fn = submitted_response(round_, organisation("FN"), respondent, {"MAL": 2})
    assess(fn, analyst, dict.fromkeys(CODES, 4), justification="Motivering {code}.")
    return_for_completion(fn, analyst, "Komplettera fråga 2.")
    db.session.commit()
    return {"round": round_.id, "asn": asn.id, "frn": frn.id, "fn": fn.id,
            "ids": {short: organisation(short).id for short in ("ASN", "FRN", "FN", "KS")}}


# --- the annual-report annex's rounds -----------------------------------------------------

SHEETS = ["Omslag", "Sammanställning", "Svar", "Bedömningar", "Per komponent",
          "Rättighetsområden", "Hinder och principer"]

ASN_2024 = {"MAL": 3, "KUN": 3, "KOM": 2, "MET": 2, "SAM": 3, "KSP": 2, "UPP": 3}


def build_annex_world(make_round, make_user, organisation) -> dict:
    """Rounds 2023 (closed) and 2024 as tests/test_exports_annex.py describes them."""
    first, second = make_round(2023), make_round(2024)
    user = make_user(Role.RESPONDENT, "ASN")
    analyst = make_user(Role.ANALYST, None, email="coder@example.org")
    asn, frn, mkb = organisation("ASN"), organisation("FRN"), organisation("MKB")
    make_assessment(submitted_response(first, asn, user), analyst, 2)
    submitted_response(first, frn, user, {"MAL": 1, "KUN": 3})
    first.status = RoundStatus.CLOSED
    responses = {
        "ASN": submitted_response(second, asn, user, text="ASN:s svar."),
        "FRN": submitted_response(second, frn, user, {"MAL": 2, "KUN": 2}, text="FRN:s svar."),
        "MKB": submitted_response(second, mkb, user, text="MKB:s svar."),
    }
    make_assessment(responses["ASN"], analyst, ASN_2024)
    make_assessment(responses["MKB"], analyst, 1)
    responses["FRN"].rights_areas = [db.session.scalar(
        select(RightsArea).filter_by(name="Barnets rättigheter"))]
    db.session.commit()
    return {"first": first, "second": second, "responses": responses}


# --- the barrier and principle tags' round ------------------------------------------------

ASN_NAME = "Arbetsmarknads- och socialnämnden"
FRN_NAME = "Fritidsnämnden"
PARTICIPATION = "Deltagande och inkludering"


def build_tags_world(make_round, make_user, organisation) -> dict:
    """2024, tags of each response's effective assessment:

    ASN  assessed: Resurser, Kunskap, Deltagande och inkludering   -> all three
    FRN  assessed first: Resurser; a second coder's later one: Data -> Resurser (primary coder)
    MKB  (bolag) assessed without tags                              -> none, but in the base
    FSN  only a draft assessment with Data                          -> not assessed
    FN   assessed with Styrning, then returned                      -> not assessed
    KS   submitted, never assessed                                  -> not assessed
    2023: ASN assessed with Målkonflikter                           -> not in 2024

    So in 2024, of 3 assessed organisations: Resurser 2 (ASN, FRN), Kunskap 1 (ASN),
    Deltagande och inkludering 1 (ASN), every other tag 0. Nämnder only: 2 assessed,
    Resurser 2. Bolag only: MKB, no tag.
    """
    first, second = make_round(2023), make_round(2024)
    user = make_user(Role.RESPONDENT, "ASN")
    coder = make_user(Role.ANALYST, None, email="coder@example.org")
    other = make_user(Role.ANALYST, None, email="second-coder@example.org")
    orgs = {short: organisation(short) for short in ("ASN", "FRN", "MKB", "FSN", "FN", "KS")}
    assess(submitted_response(first, orgs["ASN"], user), coder, 2, tags=("Målkonflikter",))
    first.status = RoundStatus.CLOSED
    assess(submitted_response(second, orgs["ASN"], user), coder, 2,
           tags=("Resurser", "Kunskap", PARTICIPATION))
    frn = submitted_response(second, orgs["FRN"], user)
    assess(frn, coder, 2, tags=("Resurser",))
    assess(frn, other, 3, tags=("Data",))
    assess(submitted_response(second, orgs["MKB"], user), coder, 1)
    assess(submitted_response(second, orgs["FSN"], user), coder, 1, tags=("Data",), done=False)
    fn = submitted_response(second, orgs["FN"], user)
    assess(fn, coder, 3, tags=("Styrning",))
    return_for_completion(fn, coder, "Komplettera fråga 2.")
    submitted_response(second, orgs["KS"], user)
    db.session.commit()
    return {"first": first, "second": second, "orgs": orgs}


# --- the development-funds round ----------------------------------------------------------

GRANTS = "redovisning-beviljade-medel"


def tag(report, *codes):
    for code in codes:
        component_id = db.session.scalar(select(Component.id).filter_by(code=code))
        db.session.execute(response_component.insert().values(
            response_id=report.id, component_id=component_id))
    db.session.commit()


def build_grants_world(make_round, make_user, organisation) -> dict:
    round_ = make_round(2024, questionnaire=GRANTS)
    asn, mkb, frn = organisation("ASN"), organisation("MKB"), organisation("FRN")
    asn_user = make_user(Role.RESPONDENT, "ASN")
    hbtq = filed_report(round_, asn, asn_user, "HBTQ-certifiering",
                        ["Jämställdhet", "Antidiskriminering"], "400 000", "167 tkr")
    child = filed_report(round_, asn, asn_user, "Barnrättsutbildning", ["Barnrätt"],
                         "100000", "120 000 kr")
    guide = filed_report(round_, mkb, make_user(Role.RESPONDENT, "MKB"), "Vägledning",
                         ["Nationella minoriteter"], "202 000", "194 000")
    draft = filed_report(round_, frn, make_user(Role.RESPONDENT, "FRN"), "Utkast",
                         ["Barnrätt"], "999 999", "999 999", submitted=False)
    tag(hbtq, "KUN")
    tag(child, "SAM", "MET")
    return {"round": round_, "hbtq": hbtq, "child": child, "guide": guide, "draft": draft}
