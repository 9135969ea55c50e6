"""A round's lifecycle through the admin pages: opening and closing are confirmed on a page
that says what happens, next year's round is proposed in a form before it is made, and a
round whose deadline has passed cannot be opened until its dates are changed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.questionnaires.models import Round, RoundStatus

SOON = dt.date.today() + dt.timedelta(days=30)


def status_of(round_id: int) -> RoundStatus:
    db.session.rollback()
    return db.session.get(Round, round_id).status


def test_opening_is_confirmed_with_the_population_size(client, auth, make_round):
    round_ = make_round(2024, RoundStatus.DRAFT, deadline=SOON)
    auth.login_as("admin", None)
    detail = client.get(f"/admin/omgangar/{round_.id}").get_data(as_text=True)
    assert f'href="/admin/omgangar/{round_.id}/oppna"' in detail  # a link, not a post
    page = client.get(f"/admin/omgangar/{round_.id}/oppna").get_data(as_text=True)
    assert f"Öppna omgången {round_.title}?" in page
    assert "organisationer i populationen</strong> kan då börja svara" in page
    assert "Frågetexter och anvisningar låses" in page
    assert f'action="/admin/omgangar/{round_.id}/oppna"' in page and "Avbryt" in page
    assert status_of(round_.id) == RoundStatus.DRAFT  # looking opens nothing
    assert client.post(f"/admin/omgangar/{round_.id}/oppna").status_code == 302
    assert status_of(round_.id) == RoundStatus.OPEN


def test_the_population_count_is_that_of_the_status_page(client, auth, make_round):
    round_ = make_round(2024, RoundStatus.DRAFT, deadline=SOON)
    auth.login_as("admin", None)
    status = client.get(f"/status/omgangar/{round_.id}").get_data(as_text=True)
    total = status.split('<span class="status-count-number">')[-1].split("</span>")[0]
    page = client.get(f"/admin/omgangar/{round_.id}/oppna").get_data(as_text=True)
    assert f"<strong>{total} organisationer i populationen</strong>" in page


def test_closing_is_confirmed_with_who_has_not_answered(client, auth, make_round):
    round_ = make_round(2024, RoundStatus.OPEN, deadline=SOON)
    auth.login_as("admin", None)
    detail = client.get(f"/admin/omgangar/{round_.id}").get_data(as_text=True)
    assert f'href="/admin/omgangar/{round_.id}/stang"' in detail
    page = client.get(f"/admin/omgangar/{round_.id}/stang").get_data(as_text=True)
    assert f"Stäng omgången {round_.title}?" in page
    assert "har inte skickat in sitt svar. De kan inte längre svara" in page
    assert status_of(round_.id) == RoundStatus.OPEN
    assert client.post(f"/admin/omgangar/{round_.id}/stang").status_code == 302
    assert status_of(round_.id) == RoundStatus.CLOSED
    again = client.get(f"/admin/omgangar/{round_.id}/stang").get_data(as_text=True)
    assert "Bara en öppen omgång kan stängas." in again and "button-danger" not in again


def test_a_round_past_its_deadline_is_not_opened_until_its_dates_change(client, auth,
                                                                      make_round):
    round_ = make_round(2024, RoundStatus.DRAFT)  # deadline 2024-02-28: passed
    auth.login_as("admin", None)
    page = client.get(f"/admin/omgangar/{round_.id}/oppna").get_data(as_text=True)
    assert "Sista svarsdagen 2024-02-28 har redan passerat" in page
    assert f'href="/admin/omgangar/{round_.id}/andra"' in page
    assert f'action="/admin/omgangar/{round_.id}/oppna"' not in page
    refused = client.post(f"/admin/omgangar/{round_.id}/oppna", follow_redirects=True)
    assert ("Omgången kan inte öppnas: sista svarsdagen 2024-02-28 har redan passerat. "
            "Ändra sista svarsdag först.") in refused.get_data(as_text=True)
    assert status_of(round_.id) == RoundStatus.DRAFT

    form = client.get(f"/admin/omgangar/{round_.id}/andra").get_data(as_text=True)
    assert 'value="2024-02-28"' in form and f'value="{round_.title}"' in form
    bad = client.post(f"/admin/omgangar/{round_.id}/andra", {
        "title": round_.title, "opens_at": SOON.isoformat(), "deadline": "2024-03-01"})
    assert "Sista svarsdag kan inte ligga före öppningsdagen." in bad.get_data(as_text=True)
    empty = client.post(f"/admin/omgangar/{round_.id}/andra", {
        "title": " ", "opens_at": "", "deadline": "2024-13-01"}).get_data(as_text=True)
    assert "Ange omgångens titel." in empty and "Ange öppningsdagen." in empty
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in empty
    saved = client.post(f"/admin/omgangar/{round_.id}/andra", {
        "title": "Särskild fråga, sen omgång", "opens_at": "2024-01-15",
        "deadline": SOON.isoformat()})
    assert saved.status_code == 302
    db.session.rollback()
    changed = db.session.get(Round, round_.id)
    assert changed.title == "Särskild fråga, sen omgång" and changed.deadline == SOON
    event = db.session.scalar(select(AuditEvent).filter_by(action="round.update"))
    assert event.object_id == round_.id and "sista svarsdag" in event.detail
    assert client.post(f"/admin/omgangar/{round_.id}/oppna").status_code == 302
    assert status_of(round_.id) == RoundStatus.OPEN


def test_an_open_round_is_not_edited(client, auth, make_round):
    round_ = make_round(2024, RoundStatus.OPEN, deadline=SOON)
    auth.login_as("admin", None)
    page = client.get(f"/admin/omgangar/{round_.id}/andra").get_data(as_text=True)
    assert "En öppen omgång kan inte ändras." in page
    assert f'action="/admin/omgangar/{round_.id}/andra"' not in page
    refused = client.post(f"/admin/omgangar/{round_.id}/andra", {
        "title": "Ny", "opens_at": "2024-01-15", "deadline": SOON.isoformat()})
    assert "En öppen omgång kan inte ändras. Stäng den först." in refused.get_data(as_text=True)


def test_next_years_round_is_proposed_before_anything_is_created(client, auth, make_round):
    previous = make_round(2024, RoundStatus.CLOSED)
    auth.login_as("admin", None)
    rounds = client.get("/admin/omgangar").get_data(as_text=True)
    assert f'href="/admin/omgangar/{previous.id}/kopiera"' in rounds
    form = client.get(f"/admin/omgangar/{previous.id}/kopiera").get_data(as_text=True)
    assert 'value="Särskild fråga om mänskliga rättigheter 2025"' in form
    assert 'value="2025-01-15"' in form and 'value="2025-02-28"' in form
    assert db.session.scalar(select(Round).filter_by(year=2025)) is None  # nothing made yet

    bad = client.post(f"/admin/omgangar/{previous.id}/kopiera", {
        "title": "", "opens_at": "2025-03-01", "deadline": "2025-02-01"})
    html = bad.get_data(as_text=True)
    assert "Ange omgångens titel." in html
    assert "Sista svarsdag kan inte ligga före öppningsdagen." in html
    assert db.session.scalar(select(Round).filter_by(year=2025)) is None

    made = client.post(f"/admin/omgangar/{previous.id}/kopiera", {
        "title": "Särskild fråga 2025 (ändrad)", "opens_at": "2025-02-01",
        "deadline": "2025-03-31"})
    assert made.status_code == 302
    new = db.session.scalar(select(Round).filter_by(year=2025))
    assert made.headers["Location"].endswith(f"/admin/omgangar/{new.id}")
    assert (new.title, new.opens_at, new.deadline, new.status, new.copied_from_id) == (
        "Särskild fråga 2025 (ändrad)", dt.date(2025, 2, 1), dt.date(2025, 3, 31),
        RoundStatus.DRAFT, previous.id)


def test_the_proposal_moves_29_february_to_28_february(client, auth, make_round):
    previous = make_round(2024, RoundStatus.CLOSED, deadline=dt.date(2024, 2, 29))
    auth.login_as("admin", None)
    form = client.get(f"/admin/omgangar/{previous.id}/kopiera").get_data(as_text=True)
    assert 'value="2025-02-28"' in form


def test_the_year_of_next_years_round_must_be_free(client, auth, make_round):
    previous = make_round(2024, RoundStatus.CLOSED)
    make_round(2025, RoundStatus.DRAFT)
    auth.login_as("admin", None)
    refused = client.post(f"/admin/omgangar/{previous.id}/kopiera", {
        "title": "Särskild fråga 2025", "opens_at": "2025-01-15", "deadline": "2025-02-28"})
    assert refused.status_code == 200
    assert "Det finns redan en omgång för 2025 av detta frågeformulär." in refused.get_data(
        as_text=True)
    assert len(db.session.scalars(select(Round).filter_by(year=2025)).all()) == 1
