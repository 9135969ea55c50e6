"""The audit log page in Swedish: event and object names, filters by user, organisation,
event and date range (combinable, kept in the query string and in the page links), and
values the page never offers answered with a Swedish message, not an error."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from support.factories import assess, components_by_code, submitted_response

from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.questionnaires.models import RoundStatus
from survey.responses.services import save_self_assessment


def _rows(page) -> list[str]:
    """The text of each row of the log's table, tags removed."""
    body = page.get_data(as_text=True)
    tbody = body[body.index("<tbody>"):body.index("</tbody>")]
    return [html.unescape(re.sub(r"<[^>]+>", " ", row))
            for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)]


def test_events_and_objects_are_named_in_swedish(client, auth, make_round, make_user,
                                                 organisation):
    respondent = make_user("respondent", "ASN")
    response = submitted_response(make_round(2024), organisation("ASN"), respondent)
    db.session.commit()
    client.post("/logga-in", {"email": respondent.email, "password": "fel-lösenord-123"})
    auth.login_as("admin", None)
    client.post("/admin/anvandare/ny", {"name": "Anna", "email": "anna@example.org",
                                        "role": "analyst",
                                        "password": "ett-långt-lösenord-2024"})
    page = client.get("/admin/logg")
    assert page.status_code == 200
    rows = _rows(page)
    text = "\n".join(rows)
    assert "Inloggning" in text and "Misslyckad inloggning" in text
    assert "login.success" not in text and "response.submit" not in text
    submit_row = next(row for row in rows if "Svar skickat in" in row)
    assert f"Svar {response.id} (ASN, 2024)" in submit_row
    created = next(row for row in rows if "Användare skapad" in row)
    assert "Användare anna@example.org" in created
    # Time to the second, so two events of one minute are told apart.
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[0])


def test_every_kind_of_object_is_named(client, auth, make_round, make_user, organisation):
    respondent = make_user("respondent", "ASN")
    response = submitted_response(make_round(2024), organisation("ASN"), respondent,
                                  submitted=False)
    save_self_assessment(response, components_by_code()["MAL"], 2, "", 0, respondent)
    db.session.commit()
    response = submitted_response(response.round, organisation("ASN"), respondent)
    assessment = assess(response, make_user("analyst", None), 2)
    make_user("respondent", "KN")
    # A deadline still ahead: a round whose deadline has passed cannot be opened.
    draft = make_round(2025, RoundStatus.DRAFT,
                       deadline=dt.date.today() + dt.timedelta(days=30))
    db.session.commit()
    auth.login_as("admin", None)
    client.post(f"/admin/omgangar/{draft.id}/oppna")
    client.post(f"/status/omgangar/{draft.id}/paminn")
    client.post("/admin/organisationer/ny", {"name": "Klimatnämnden", "short_name": "KLN",
                                             "kind": "namnd", "valid_from": "2025-01-01"})
    text = "\n".join(_rows(client.get("/admin/logg")))
    for name in (f"Svarstext fråga 1 i svar {response.id} (ASN, 2024)",
                 f"Självskattning MAL i svar {response.id} (ASN, 2024)",
                 f"Bedömning {assessment.id} av svar {response.id} (ASN, 2024)",
                 f"Omgång {draft.title}", f"({draft.title})",  # the reminder's round
                 "Organisation Klimatnämnden (KLN)"):
        assert name in text, name
    assert "Påminnelse " in text


@pytest.fixture
def logged(auth, make_user, organisation):
    """Events of two users and two organisations on 1–3 June 2024 (UTC), after the admin's
    own login (which is today)."""
    admin = auth.login_as("admin", None)
    asn_user = make_user("respondent", "ASN")
    frn_user = make_user("respondent", "FRN")
    asn, frn = organisation("ASN"), organisation("FRN")
    rows = [  # (detail, action, user, organisation, at UTC)
        ("e1", "round.open", None, None, dt.datetime(2024, 6, 1, 8, 0)),
        ("e2", "answer.save", asn_user, asn, dt.datetime(2024, 6, 1, 21, 30)),  # 23:30 in Malmö
        ("e3", "answer.save", asn_user, asn, dt.datetime(2024, 6, 1, 22, 30)),  # 2 June 00:30
        ("e4", "response.submit", frn_user, frn, dt.datetime(2024, 6, 2, 9, 0)),
        ("e5", "round.close", None, None, dt.datetime(2024, 6, 3, 9, 0)),
    ]
    for detail, action, user, org, at in rows:
        db.session.add(AuditEvent(action=action, detail=detail, at=at.replace(tzinfo=dt.UTC),
                                  user_id=user.id if user else None,
                                  organisation_id=org.id if org else None))
    db.session.commit()
    return {"admin": admin, "asn_user": asn_user, "frn_user": frn_user, "asn": asn, "frn": frn}


def _shown(client, query: str) -> list[str]:
    page = client.get("/admin/logg" + query)
    assert page.status_code == 200, query
    return [f"e{n}" for n in range(1, 6) if any(f"e{n} " in row for row in _rows(page))]


def test_each_filter_narrows_the_log(client, logged):
    assert _shown(client, "") == ["e1", "e2", "e3", "e4", "e5"]
    assert _shown(client, f"?user={logged['asn_user'].id}") == ["e2", "e3"]
    assert _shown(client, f"?org={logged['frn'].id}") == ["e4"]
    assert _shown(client, "?action=answer.save") == ["e2", "e3"]
    assert _shown(client, "?action=round") == ["e1", "e5"]  # a group: every round event
    # Days are Swedish days: 21:30 UTC on 1 June is still 1 June, 22:30 UTC is 2 June.
    assert _shown(client, "?from=2024-06-01&to=2024-06-01") == ["e1", "e2"]
    assert _shown(client, "?from=2024-06-02&to=2024-06-02") == ["e3", "e4"]
    assert _shown(client, "?from=2024-06-03") == ["e5"]
    assert _shown(client, "?to=2024-06-01") == ["e1", "e2"]


def test_filters_combine_and_stay_selected(client, logged):
    query = f"?user={logged['asn_user'].id}&org={logged['asn'].id}&action=answer.save" \
            "&from=2024-06-02&to=2024-06-02"
    assert _shown(client, query) == ["e3"]
    body = client.get("/admin/logg" + query).get_data(as_text=True)
    assert f'<option value="{logged["asn_user"].id}" selected>' in body
    assert '<option value="answer.save" selected>' in body
    assert 'name="from" value="2024-06-02"' in body and 'name="to" value="2024-06-02"' in body
    assert "Visa alla händelser" in body


def test_paging_keeps_the_filter(client, auth):
    auth.login_as("admin", None)
    base = dt.datetime(2024, 6, 1, 8, 0, tzinfo=dt.UTC)
    for i in range(130):
        db.session.add(AuditEvent(action="round.open" if i % 2 else "user.create",
                                  at=base + dt.timedelta(minutes=i), detail=f"nr {i}"))
    db.session.commit()
    first = client.get("/admin/logg?action=user&from=2024-06-01&to=2024-06-01")
    body = html.unescape(first.get_data(as_text=True))
    assert "65 händelser" in body and "sida 1 av 1" in body  # 65 user.create, no paging
    first = client.get("/admin/logg?action=round.open&from=2024-06-01&to=2024-06-01")
    body = html.unescape(first.get_data(as_text=True))
    assert "65 händelser" in body
    assert "nr 0 " not in "\n".join(_rows(first))
    every = client.get("/admin/logg?from=2024-06-01&to=2024-06-01")
    next_link = re.search(r'href="([^"]+)">Äldre händelser', every.get_data(as_text=True))
    url = html.unescape(next_link.group(1))
    assert "page=2" in url and "from=2024-06-01" in url and "to=2024-06-01" in url
    second = _rows(client.get(url))
    assert len(second) == 30 and any("nr 0 " in row for row in second)


@pytest.mark.parametrize("query,message", [
    ("?from=2024-13-45", "Från-datum ska vara ett datum som åååå-mm-dd"),
    ("?from=igår", "Från-datum ska vara ett datum som åååå-mm-dd"),
    ("?to=0001-01-01", "Till-datum ska vara ett datum som åååå-mm-dd"),
    ("?to=9999-12-31", "Till-datum ska vara ett datum som åååå-mm-dd"),
    ("?from=2024-06-03&to=2024-06-01", "Från-datumet ligger efter till-datumet"),
    ("?action=login.hacked", "Händelsetypen ”login.hacked” finns inte i listan"),
    ("?user=99999999999999999999", "Användaren finns inte"),
    ("?user=2147483647", "Användaren finns inte"),
    ("?org=-1", "Organisationen finns inte"),
    ("?org=2147483647", "Organisationen finns inte"),
])
def test_values_the_page_never_offers_get_a_swedish_message(client, logged, query, message):
    page = client.get("/admin/logg" + query)
    assert page.status_code == 200
    body = html.unescape(page.get_data(as_text=True))
    assert message in body
    assert _shown(client, query) == ["e1", "e2", "e3", "e4", "e5"]  # the bad filter is unused
