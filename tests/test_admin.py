"""Admin pages: organisations, users, rounds, outbox and access control."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from survey.accounts.models import Role, User
from survey.extensions import db
from survey.mail.models import OutgoingMail
from survey.organisations.models import Organisation, OrganisationKind
from survey.questionnaires.models import Round, RoundStatus

NEW_PASSWORD = "ett-nytt-långt-lösenord"

ADMIN_PAGES = ["/admin/", "/admin/organisationer", "/admin/organisationer/ny", "/admin/anvandare",
               "/admin/anvandare/ny", "/admin/omgangar", "/admin/omgangar/ny", "/admin/utkorg",
               "/admin/logg"]


@pytest.mark.parametrize("role,org", [("respondent", "ASN"), ("analyst", None)])
def test_non_admins_get_403_on_admin_pages(client, auth, make_round, role, org):
    round_ = make_round(2024, RoundStatus.DRAFT)
    auth.login_as(role, org)
    for url in ADMIN_PAGES + [f"/admin/omgangar/{round_.id}"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/omgangar/{round_.id}/oppna").status_code == 403
    assert client.post("/admin/organisationer/ny", {"name": "X", "short_name": "X",
                                                    "kind": "namnd",
                                                    "valid_from": "2024-01-01"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Round, round_.id).status == RoundStatus.DRAFT


def test_admin_pages_render(client, auth, make_round):
    make_round(2024)
    auth.login_as("admin", None)
    for url in ADMIN_PAGES:
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert "<h1>" in html
        if url in ("/admin/organisationer", "/admin/anvandare", "/admin/omgangar", "/admin/logg"):
            assert "<caption>" in html and 'scope="col"' in html


# --- organisations ----------------------------------------------------------------

def test_admin_creates_and_edits_an_organisation(client, auth):
    auth.login_as("admin", None)
    created = client.post("/admin/organisationer/ny", {
        "name": "Klimatnämnden", "short_name": "KLN", "kind": "namnd",
        "valid_from": "2025-01-01", "valid_to": ""})
    assert created.status_code == 302
    org = db.session.scalar(select(Organisation).filter_by(short_name="KLN"))
    assert org.kind == OrganisationKind.NAMND and org.valid_from == dt.date(2025, 1, 1)
    assert org.valid_to is None
    assert "Klimatnämnden" in client.get("/admin/organisationer").get_data(as_text=True)

    edit = client.get(f"/admin/organisationer/{org.id}/andra").get_data(as_text=True)
    assert 'value="Klimatnämnden"' in edit
    saved = client.post(f"/admin/organisationer/{org.id}/andra", {
        "name": "Klimat- och miljönämnden", "short_name": "KMN", "kind": "namnd",
        "valid_from": "2025-01-01", "valid_to": "2026-12-31"})
    assert saved.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organisation, org.id)
    assert (org.name, org.short_name, org.valid_to) == (
        "Klimat- och miljönämnden", "KMN", dt.date(2026, 12, 31))


def test_organisation_validation_is_swedish(client, auth):
    auth.login_as("admin", None)
    page = client.post("/admin/organisationer/ny", {
        "name": "", "short_name": "", "kind": "kommun", "valid_from": "1 jan",
        "valid_to": ""})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Det finns fel att rätta" in html
    assert "Ange organisationens namn." in html and "Ange ett kortnamn." in html
    assert "Välj ett av alternativen." in html
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in html

    backwards = client.post("/admin/organisationer/ny", {
        "name": "Ny nämnd", "short_name": "NYN", "kind": "namnd",
        "valid_from": "2025-01-01", "valid_to": "2024-12-31"}).get_data(as_text=True)
    assert "Giltig till kan inte ligga före giltig från." in backwards


def test_organisation_names_must_be_unique(client, auth, organisation):
    auth.login_as("admin", None)
    taken = client.post("/admin/organisationer/ny", {
        "name": "fritidsnämnden", "short_name": "FRN2", "kind": "namnd",
        "valid_from": "2024-01-01"}).get_data(as_text=True)
    assert "Det finns redan en organisation som heter fritidsnämnden." in taken
    asn = organisation("ASN")
    short_taken = client.post(f"/admin/organisationer/{asn.id}/andra", {
        "name": asn.name, "short_name": "frn", "kind": "namnd",
        "valid_from": "2022-01-01"}).get_data(as_text=True)
    assert "Kortnamnet frn används redan" in short_taken
    assert db.session.scalar(select(Organisation).filter_by(short_name="FRN2")) is None


def test_uniqueness_folds_swedish_letters_on_every_database(client, auth):
    auth.login_as("admin", None)
    client.post("/admin/organisationer/ny", {
        "name": "Östra nämnden", "short_name": "ÖN", "kind": "namnd",
        "valid_from": "2024-01-01"})
    taken = client.post("/admin/organisationer/ny", {
        "name": "ÖSTRA NÄMNDEN", "short_name": "ön", "kind": "namnd",
        "valid_from": "2024-01-01"}).get_data(as_text=True)
    assert "Det finns redan en organisation som heter ÖSTRA NÄMNDEN." in taken


# --- users ------------------------------------------------------------------------------

def test_admin_creates_a_respondent(client, auth, organisation):
    auth.login_as("admin", None)
    page = client.post("/admin/anvandare/ny", {
        "name": "Sara Svensson", "email": "Sara.Svensson@Malmo.se", "role": "respondent",
        "organisation_id": str(organisation("KN").id), "password": NEW_PASSWORD})
    assert page.status_code == 302
    user = db.session.scalar(select(User).filter_by(email="sara.svensson@malmo.se"))
    assert user.role == Role.RESPONDENT and user.organisation.short_name == "KN"
    listing = client.get("/admin/anvandare").get_data(as_text=True)
    assert "sara.svensson@malmo.se" in listing and "Svarande" in listing
    client.post("/logga-ut")
    assert auth.login("sara.svensson@malmo.se", NEW_PASSWORD).status_code == 302


def test_user_validation_errors(client, auth, make_user):
    auth.login_as("admin", None)
    short = client.post("/admin/anvandare/ny", {
        "name": "Kort", "email": "kort@malmo.se", "role": "analyst",
        "organisation_id": "", "password": "kort"}).get_data(as_text=True)
    assert "Lösenordet måste ha minst 12 tecken." in short
    no_org = client.post("/admin/anvandare/ny", {
        "name": "Utan", "email": "utan@malmo.se", "role": "respondent",
        "organisation_id": "", "password": NEW_PASSWORD}).get_data(as_text=True)
    assert "En svarande måste höra till en organisation." in no_org
    bad_email = client.post("/admin/anvandare/ny", {
        "name": "Fel", "email": "inte-en-adress", "role": "analyst",
        "organisation_id": "", "password": NEW_PASSWORD}).get_data(as_text=True)
    assert "Ange en giltig e-postadress" in bad_email
    make_user("analyst", None, email="finns@malmo.se")
    duplicate = client.post("/admin/anvandare/ny", {
        "name": "Dubbel", "email": "FINNS@malmo.se", "role": "analyst",
        "organisation_id": "", "password": NEW_PASSWORD}).get_data(as_text=True)
    assert "Det finns redan en användare med den e-postadressen." in duplicate
    emails = set(db.session.scalars(select(User.email)))
    assert not emails & {"kort@malmo.se", "utan@malmo.se"}


def test_deactivated_user_can_no_longer_log_in(app, client, auth, make_user):
    target = make_user("respondent", "FRN")
    # The target is logged in in another browser.
    other = app.test_client()
    from support.clients import PASSWORD, BrowserClient

    other_browser = BrowserClient(other)
    assert other_browser.post("/logga-in", {"email": target.email,
                                         "password": PASSWORD}).status_code == 302
    admin = auth.login_as("admin", None)
    page = client.post(f"/admin/anvandare/{target.id}/inaktivera", follow_redirects=True)
    assert "kan inte längre logga in" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, target.id).active is False
    assert other_browser.get("/").status_code == 302  # the old session is gone
    client.post("/logga-ut")
    refused = auth.login(target.email)
    assert refused.status_code == 200
    assert "Fel e-postadress eller lösenord." in refused.get_data(as_text=True)

    auth.login(admin.email)
    client.get("/")
    client.post(f"/admin/anvandare/{target.id}/aktivera")
    client.post("/logga-ut")
    assert auth.login(target.email).status_code == 302


def test_admin_cannot_deactivate_themselves(client, auth):
    admin = auth.login_as("admin", None)
    page = client.post(f"/admin/anvandare/{admin.id}/inaktivera", follow_redirects=True)
    assert "Du kan inte inaktivera ditt eget konto." in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_admin_resets_a_password(client, auth, make_user):
    target = make_user("analyst", None, email="analytiker@malmo.se")
    auth.login_as("admin", None)
    too_short = client.post(f"/admin/anvandare/{target.id}/losenord", {"password": "kort"})
    assert "Lösenordet måste ha minst 12 tecken." in too_short.get_data(as_text=True)
    done = client.post(f"/admin/anvandare/{target.id}/losenord", {"password": NEW_PASSWORD})
    assert done.status_code == 302
    client.post("/logga-ut")
    assert auth.login(target.email).status_code == 200  # old password refused
    assert auth.login(target.email, NEW_PASSWORD).status_code == 302


# --- rounds ------------------------------------------------------------------------------

def test_admin_creates_a_round_from_a_definition(client, auth):
    auth.login_as("admin", None)
    form = client.get("/admin/omgangar/ny").get_data(as_text=True)
    assert 'value="sarskild-fraga"' in form
    bad = client.post("/admin/omgangar/ny", {"questionnaire": "sarskild-fraga", "year": "2025",
                                            "opens_at": "2025-03-01", "deadline": "2025-02-01"})
    assert "Sista svarsdag kan inte ligga före öppningsdagen." in bad.get_data(as_text=True)
    made = client.post("/admin/omgangar/ny", {"questionnaire": "sarskild-fraga", "year": "2025",
                                             "opens_at": "2025-01-15", "deadline": "2025-02-28"})
    assert made.status_code == 302
    round_ = db.session.scalar(select(Round).filter_by(year=2025))
    assert round_.status == RoundStatus.DRAFT and len(round_.questions) == 2
    again = client.post("/admin/omgangar/ny", {"questionnaire": "sarskild-fraga", "year": "2025",
                                              "opens_at": "2025-01-15", "deadline": "2025-02-28"})
    assert "Det finns redan en omgång för 2025" in again.get_data(as_text=True)


def test_copy_next_year_and_edit_guidance_leaves_old_round_untouched(client, auth, make_round):
    previous = make_round(2024, RoundStatus.CLOSED)
    old_texts = [(q.key, q.text, q.guidance) for q in previous.questions]
    auth.login_as("admin", None)
    assert "Skapa nästa års omgång" in client.get("/admin/omgangar").get_data(as_text=True)
    # Copying is a form now: the proposal is posted as the page shows it.
    proposal = {"title": "Särskild fråga om mänskliga rättigheter 2025", "opens_at": "2025-01-15",
                "deadline": "2025-02-28"}
    copied = client.post(f"/admin/omgangar/{previous.id}/kopiera", proposal)
    assert copied.status_code == 302
    new = db.session.scalar(select(Round).filter_by(year=2025))
    assert copied.headers["Location"].endswith(f"/admin/omgangar/{new.id}")
    assert new.copied_from_id == previous.id and new.status == RoundStatus.DRAFT
    assert [(q.key, q.text, q.guidance) for q in new.questions] == old_texts
    assert new.deadline == dt.date(2025, 2, 28)

    question = new.questions[0]
    page = client.post(f"/admin/omgangar/{new.id}/fragor/{question.id}",
                       {"text": question.text, "guidance": "Ny anvisning för 2025."})
    assert page.status_code == 302
    db.session.expire_all()
    assert db.session.get(Round, new.id).questions[0].guidance == "Ny anvisning för 2025."
    assert [(q.key, q.text, q.guidance) for q in db.session.get(Round, previous.id).questions] \
        == old_texts
    # The old round is no longer the newest: copying it again is refused.
    again = client.post(f"/admin/omgangar/{previous.id}/kopiera", proposal,
                        follow_redirects=True)
    assert "Det finns redan en omgång för 2025" in again.get_data(as_text=True)


def test_open_and_close_a_round_and_questions_become_read_only(client, auth, make_round):
    # A deadline still ahead: a round whose deadline has passed cannot be opened.
    round_ = make_round(2024, RoundStatus.DRAFT, deadline=dt.date.today() + dt.timedelta(days=30))
    question_id = round_.questions[0].id
    auth.login_as("admin", None)
    detail = client.get(f"/admin/omgangar/{round_.id}").get_data(as_text=True)
    assert "Ändra fråga 1" in detail and "Öppna omgången" in detail
    assert client.post(f"/admin/omgangar/{round_.id}/oppna").status_code == 302
    db.session.expire_all()
    assert db.session.get(Round, round_.id).status == RoundStatus.OPEN
    detail = client.get(f"/admin/omgangar/{round_.id}").get_data(as_text=True)
    assert "Ändra fråga 1" not in detail and "kan inte längre ändras" in detail
    refused = client.post(f"/admin/omgangar/{round_.id}/fragor/{question_id}",
                          {"text": "Ny text", "guidance": ""})
    assert "Frågorna kan bara ändras innan omgången har öppnats." in refused.get_data(as_text=True)
    assert client.post(f"/admin/omgangar/{round_.id}/stang").status_code == 302
    db.session.expire_all()
    assert db.session.get(Round, round_.id).status == RoundStatus.CLOSED
    closed_again = client.post(f"/admin/omgangar/{round_.id}/stang", follow_redirects=True)
    assert "Bara en öppen omgång kan stängas." in closed_again.get_data(as_text=True)


def test_outbox_lists_unsent_and_sent_messages(client, auth):
    from survey.database import utcnow

    db.session.add(OutgoingMail(recipient="a@malmo.se", subject="Väntar", body="Text A"))
    db.session.add(OutgoingMail(recipient="b@malmo.se", subject="Skickat", body="Text B",
                                sent_at=utcnow()))
    db.session.commit()
    auth.login_as("admin", None)
    html = client.get("/admin/utkorg").get_data(as_text=True)
    assert "Ej skickade (1)" in html and "Skickade (1)" in html
    assert html.index("a@malmo.se") < html.index("b@malmo.se")
    assert "Text A" in html
