"""No browser or proxy keeps a copy of pages and downloads (survey/security/headers.py)."""

from __future__ import annotations

from support.factories import make_assessment, submitted_response

from survey.accounts.models import Role
from survey.extensions import db


def test_pages_and_downloads_are_no_store_static_files_are_not(client, auth, make_round,
                                                                make_user, organisation):
    round_ = make_round(2024)
    respondent = make_user(Role.RESPONDENT, "ASN")
    response = submitted_response(round_, organisation("ASN"), respondent, {"MAL": 1})
    make_assessment(response, make_user(Role.ANALYST, None), 2)
    db.session.commit()
    rid = response.id

    assert client.get("/logga-in").headers["Cache-Control"] == "no-store"  # not logged in too
    auth.login("respondent-asn@example.org")
    for url in (f"/svar/{rid}/visa", f"/svar/{rid}/utskrift",
                f"/export/svar/{rid}.xlsx"):
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert reply.headers["Cache-Control"] == "no-store", url
        reply.close()
    auth.logout()

    auth.login("analyst-x@example.org")
    for url in (f"/analys/?round={round_.id}", f"/analys/varmekarta?round={round_.id}",
                f"/export/bilaga/{round_.id}.xlsx", f"/export/bilaga/{round_.id}.csv"):
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert reply.headers["Cache-Control"] == "no-store", url
        reply.close()
    assert client.get("/nowhere").headers["Cache-Control"] == "no-store"

    # Static files may be cached (revalidated): they hold no user data.
    for url in ("/static/css/admin.css", "/analys/static/dashboards.js",
                "/analys/plotly.min.js", "/analys/nivaer.css"):
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert "no-store" not in reply.headers.get("Cache-Control", ""), url
        reply.close()
