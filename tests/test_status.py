"""Status overview of a round and returning a response for completion."""

from __future__ import annotations

import datetime as dt

from flask import url_for
from sqlalchemy import select
from support.factories import give_back, submitted_response

from survey.extensions import db
from survey.organisations.models import Organisation, OrganisationKind
from survey.responses.models import DecisionBody, EventKind, Response, ResponseStatus
from survey.responses.services import (
    start_response,
    submit,
)
from survey.status.services import round_overview, status_rows


def make_response(round_, org, user, status=ResponseStatus.DRAFT, case_number="ASN-2024-123"):
    """A draft with nothing answered; or every question answered and submitted; or that,
    returned for completion."""
    if status == ResponseStatus.DRAFT:
        response = start_response(round_, org, user)
        db.session.commit()
        return response
    response = submitted_response(round_, org, user, text="Vi arbetar systematiskt.",
                                  case_number=case_number)
    if status == ResponseStatus.RETURNED:
        give_back(response, user, "Fråga 2 saknar utmaningar.")
    return response


def add_org(name, short, kind, valid_from, valid_to=None):
    org = Organisation(name=name, short_name=short, kind=kind, valid_from=valid_from,
                       valid_to=valid_to)
    db.session.add(org)
    db.session.commit()
    return org


def fixture_round(make_round, make_user, organisation):
    """2024: ASN draft, FRN submitted, GSN returned, MKB (bolag) submitted, plus an
    organisation that ended in 2023 but has a draft, one that ended in 2023 without a
    response and one that starts in 2025. 21 seeded organisations, all valid in 2024."""
    round_ = make_round(2024)
    user = make_user("analyst", None)
    make_response(round_, organisation("ASN"), user)
    make_response(round_, organisation("FRN"), user, ResponseStatus.SUBMITTED, "FRN-2024-7")
    make_response(round_, organisation("GSN"), user, ResponseStatus.RETURNED)
    make_response(round_, organisation("MKB"), user, ResponseStatus.SUBMITTED, "MKB-2024-1-2")
    ended = add_org("Gamla nämnden", "GN", OrganisationKind.NAMND, dt.date(2022, 1, 1),
                    dt.date(2023, 12, 31))
    make_response(round_, ended, user)
    add_org("Nedlagda nämnden", "NN", OrganisationKind.NAMND, dt.date(2022, 1, 1),
            dt.date(2023, 6, 30))
    add_org("Nya bolaget AB", "NYA", OrganisationKind.BOLAG, dt.date(2025, 1, 1))
    return round_


def counts(overview):
    return {c.key: c.count for c in overview.counts}


def test_status_rows_and_counts_match_hand_computed_fixture(make_round, make_user, organisation):
    round_ = fixture_round(make_round, make_user, organisation)
    overview = round_overview(round_, today=dt.date(2024, 2, 20))
    # 21 seeded + "Gamla nämnden" (has a response); the other two are not valid in 2024.
    assert overview.total == 22
    assert counts(overview) == {"not_started": 17, "draft": 2, "submitted": 2, "returned": 1}
    assert overview.days_left == 8
    names = [row.organisation_name for row in overview.rows]
    assert "Gamla nämnden" in names
    assert "Nedlagda nämnden" not in names and "Nya bolaget AB" not in names
    # Nämnder first, then bolag, each by name.
    assert names.index("Tekniska nämnden") < names.index("Boplats Syd AB")

    by_short = {row.short_name: row for row in overview.rows}
    frn = by_short["FRN"]
    assert frn.status == ResponseStatus.SUBMITTED and frn.status_label == "Inskickad"
    assert frn.case_number == "FRN-2024-7" and frn.decision_body == DecisionBody.NAMND
    assert frn.decision_date == dt.date(2024, 2, 1) and frn.submitted_at is not None
    assert by_short["GSN"].status_label == "Återsänd"
    assert by_short["GSN"].case_number == "ASN-2024-123"  # kept from the latest submission
    assert by_short["ASN"].status_label == "Utkast" and by_short["ASN"].case_number is None
    kn = by_short["KN"]
    assert kn.status is None and kn.status_label == "Ej påbörjad" and kn.response_id is None


def test_latest_submission_is_shown_after_resubmission(make_round, make_user, organisation):
    round_ = make_round(2024)
    user = make_user("respondent", "ASN")
    response = make_response(round_, organisation("ASN"), user, ResponseStatus.RETURNED)
    submit(response, user, DecisionBody.ARBETSUTSKOTT, dt.date(2024, 2, 10), "ASN-2024-999")
    db.session.commit()
    rows = [r for r in status_rows(round_) if r.short_name == "ASN"]
    assert len(rows) == 1
    assert rows[0].case_number == "ASN-2024-999"
    assert rows[0].decision_body == DecisionBody.ARBETSUTSKOTT


def test_kind_filter(make_round, make_user, organisation):
    round_ = fixture_round(make_round, make_user, organisation)
    bolag = round_overview(round_, OrganisationKind.BOLAG)
    assert bolag.total == 8
    assert counts(bolag) == {"not_started": 7, "draft": 0, "submitted": 1, "returned": 0}
    namnd = round_overview(round_, OrganisationKind.NAMND)
    assert namnd.total == 14
    assert counts(namnd) == {"not_started": 10, "draft": 2, "submitted": 1, "returned": 1}


def test_status_page_shows_counts_rows_and_links(client, auth, make_round, make_user,
                                                 organisation):
    round_ = fixture_round(make_round, make_user, organisation)
    auth.login_as("analyst", None)
    page = client.get(f"/status/omgangar/{round_.id}?kind=bolag")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "MKB Fastighets AB" in html and "MKB-2024-1-2" in html
    assert "Fritidsnämnden" not in html
    assert '<option value="bolag" selected>' in html
    mkb = db.session.scalar(select(Response).filter_by(organisation_id=organisation("MKB").id))
    assert f'href="{url_for("responses.view", response_id=mkb.id, _external=False)}"' in html
    assert f'href="/status/svar/{mkb.id}/aterlamna"' in html
    full = client.get(f"/status/omgangar/{round_.id}").get_data(as_text=True)
    assert "Fritidsnämnden" in full and "Ej påbörjad" in full


def test_status_index_redirects_to_newest_open_round(client, auth, make_round):
    from survey.questionnaires.models import RoundStatus

    make_round(2023, RoundStatus.CLOSED)
    newest = make_round(2024)
    auth.login_as("analyst", None)
    page = client.get("/status/")
    assert page.status_code == 302
    assert page.headers["Location"].endswith(f"/status/omgangar/{newest.id}")
    listing = client.get("/status/?alla=1")
    assert listing.status_code == 200 and "2023" in listing.get_data(as_text=True)


def test_status_starts_from_the_special_question_when_a_grants_round_is_open_too(
        client, auth, make_round):
    special = make_round(2024)
    make_round(2024, questionnaire="redovisning-beviljade-medel")  # opened after it
    auth.login_as("analyst", None)
    page = client.get("/status/")
    assert page.headers["Location"].endswith(f"/status/omgangar/{special.id}")


def test_respondent_gets_403_on_status_pages(client, auth, make_round, make_user, organisation):
    round_ = make_round(2024)
    other = make_user("respondent", "FRN")
    response = make_response(round_, organisation("FRN"), other, ResponseStatus.SUBMITTED)
    auth.login_as("respondent", "ASN")
    assert client.get("/status/").status_code == 403
    assert client.get(f"/status/omgangar/{round_.id}").status_code == 403
    assert client.get(f"/status/svar/{response.id}/aterlamna").status_code == 403
    refused = client.post(f"/status/svar/{response.id}/aterlamna", {"reason": "Nej"})
    assert refused.status_code == 403
    assert client.post(f"/status/omgangar/{round_.id}/paminn").status_code == 403
    db.session.expire_all()
    assert db.session.get(Response, response.id).status == ResponseStatus.SUBMITTED


def test_analyst_returns_a_submitted_response(client, auth, make_round, make_user, organisation):
    round_ = make_round(2024)
    respondent = make_user("respondent", "ASN")
    response = make_response(round_, organisation("ASN"), respondent, ResponseStatus.SUBMITTED)
    auth.login_as("analyst", None)
    form = client.get(f"/status/svar/{response.id}/aterlamna").get_data(as_text=True)
    assert "Arbetsmarknads- och socialnämnden" in form and round_.title in form
    assert "Anledning" in form
    done = client.post(f"/status/svar/{response.id}/aterlamna",
                       {"reason": "Beskriv uppföljningen närmare."})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/status/omgangar/{round_.id}")
    db.session.expire_all()
    response = db.session.get(Response, response.id)
    assert response.status == ResponseStatus.RETURNED
    kinds = [event.kind for event in response.events]
    assert EventKind.SUBMITTED in kinds and kinds[-1] == EventKind.RETURNED
    assert response.latest_return.reason == "Beskriv uppföljningen närmare."
    assert "återsänt för komplettering" in client.get(done.headers["Location"]).get_data(
        as_text=True)


def test_return_without_reason_is_refused_in_swedish(client, auth, make_round, make_user,
                                                     organisation):
    round_ = make_round(2024)
    respondent = make_user("respondent", "ASN")
    response = make_response(round_, organisation("ASN"), respondent, ResponseStatus.SUBMITTED)
    auth.login_as("analyst", None)
    page = client.post(f"/status/svar/{response.id}/aterlamna", {"reason": "  "})
    assert page.status_code == 200
    assert "Ange varför svaret skickas tillbaka." in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Response, response.id).status == ResponseStatus.SUBMITTED


def test_returning_a_draft_is_refused(client, auth, make_round, make_user, organisation):
    round_ = make_round(2024)
    response = make_response(round_, organisation("ASN"), make_user("respondent", "ASN"))
    auth.login_as("analyst", None)
    page = client.post(f"/status/svar/{response.id}/aterlamna", {"reason": "Komplettera"})
    assert page.status_code == 200
    assert "Bara ett inskickat svar kan skickas tillbaka." in page.get_data(as_text=True)


def test_status_rows_take_one_query(make_round, make_user, organisation):
    from sqlalchemy import event

    round_ = fixture_round(make_round, make_user, organisation)
    db.session.expire_all()
    assert round_.year == 2024  # loads the round itself before counting
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        rows = status_rows(round_)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(rows) == 22
    assert len(statements) == 1
