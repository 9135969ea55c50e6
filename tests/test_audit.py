"""Admin changes are audit-logged, without passwords; the audit log page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from survey.accounts.models import User
from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.questionnaires.models import Round, RoundStatus

SECRET = "hemligt-lösenord-som-aldrig-loggas"
RESET = "ett-annat-hemligt-lösenord"


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_admin_changes_are_audited_without_passwords(client, auth, organisation, make_round):
    admin = auth.login_as("admin", None)
    client.post("/admin/organisationer/ny", {"name": "Klimatnämnden", "short_name": "KLN",
                                             "kind": "namnd", "valid_from": "2025-01-01"})
    client.post("/admin/anvandare/ny", {"name": "Ny", "email": "ny@malmo.se", "role": "respondent",
                                     "organisation_id": str(organisation("KN").id),
                                     "password": SECRET})
    user_id = db.session.scalar(select(User.id).filter_by(email="ny@malmo.se"))
    client.post(f"/admin/anvandare/{user_id}/losenord", {"password": RESET})
    client.post(f"/admin/anvandare/{user_id}/inaktivera")
    client.post(f"/admin/anvandare/{user_id}/aktivera")
    # A deadline still ahead: a round whose deadline has passed cannot be opened.
    deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    client.post("/admin/omgangar/ny", {"questionnaire": "sarskild-fraga", "year": "2025",
                                      "opens_at": "2025-01-15", "deadline": deadline})
    round_ = db.session.scalar(select(Round).filter_by(year=2025))
    client.post(f"/admin/omgangar/{round_.id}/fragor/{round_.questions[0].id}",
                {"text": "Fråga", "guidance": "Anvisning"})
    client.post(f"/admin/omgangar/{round_.id}/oppna")
    client.post(f"/admin/omgangar/{round_.id}/stang")
    client.post(f"/admin/omgangar/{round_.id}/kopiera", {
        "title": "Särskild fråga 2026", "opens_at": "2026-01-15", "deadline": "2026-02-28"})
    org_id = db.session.scalar(select(AuditEvent.object_id).filter_by(
        action="organisation.create"))
    client.post(f"/admin/organisationer/{org_id}/andra", {
        "name": "Klimatnämnden", "short_name": "KLIM", "kind": "namnd",
        "valid_from": "2025-01-01"})

    logged = actions()
    for expected in ("organisation.create", "user.create", "user.password", "user.deactivate",
                     "user.activate", "round.create", "round.question_edit", "round.open",
                     "round.close", "round.copy", "organisation.update"):
        assert expected in logged, expected
    login = db.session.scalar(select(AuditEvent.id).filter_by(action="login.success"))
    admin_events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > login)).all()
    assert len(admin_events) >= 11 and all(e.user_id == admin.id for e in admin_events)
    update = db.session.scalar(select(AuditEvent).filter_by(action="organisation.update"))
    assert "kortnamn" in update.detail
    for event in db.session.scalars(select(AuditEvent)):
        assert SECRET not in event.detail and RESET not in event.detail
        assert "lösenord-" not in event.detail


def test_audit_log_newest_first_filtered_and_paginated(client, auth):
    auth.login_as("admin", None)
    base = dt.datetime(2024, 6, 1, 8, 0, tzinfo=dt.UTC)
    for i in range(150):
        db.session.add(AuditEvent(action="round.open" if i % 2 else "user.create",
                                  at=base + dt.timedelta(minutes=i), detail=f"nr {i}"))
    db.session.commit()

    page = client.get("/admin/logg").get_data(as_text=True)
    assert "nr 149" in page and "nr 148" in page
    # Newest first: the login of this test, then event 149 (10:29 UTC).
    assert page.index("nr 149") < page.index("nr 148")
    assert "2024-06-01 12:29" in page  # 10:29 UTC shown in Swedish summer time
    assert "Äldre händelser" in page

    filtered = client.get("/admin/logg?action=round").get_data(as_text=True)
    assert "nr 149" in filtered and "nr 148" not in filtered
    assert "75 händelser" in filtered

    second = client.get("/admin/logg?page=2").get_data(as_text=True)
    # 150 events + the login event = 151: the second page holds the 51 oldest.
    assert "nr 0<" in second and "nr 149" not in second
    assert "Nyare händelser" in second


def test_analyst_cannot_read_the_audit_log(client, auth):
    auth.login_as("analyst", None)
    assert client.get("/admin/logg").status_code == 403


def test_round_open_by_admin_is_audited_with_round_id(client, auth, make_round):
    round_ = make_round(2024, RoundStatus.DRAFT, deadline=dt.date.today() + dt.timedelta(days=30))
    auth.login_as("admin", None)
    client.post(f"/admin/omgangar/{round_.id}/oppna")
    event = db.session.scalar(select(AuditEvent).filter_by(action="round.open"))
    assert event.object_type == "survey_round" and event.object_id == round_.id
