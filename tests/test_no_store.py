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

    assert client.get("/login").headers["Cache-Control"] == "no-store"  # not logged in too
    auth.login("respondent-asn@example.org")
    for url in (f"/responses/{rid}/view", f"/responses/{rid}/print",
                f"/exports/responses/{rid}.xlsx"):
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert reply.headers["Cache-Control"] == "no-store", url
        reply.close()
    auth.logout()

    auth.login("analyst-x@example.org")
    for url in (f"/dashboards/?round={round_.id}", f"/dashboards/heatmap?round={round_.id}",
                f"/exports/annex/{round_.id}.xlsx", f"/exports/annex/{round_.id}.csv"):
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert reply.headers["Cache-Control"] == "no-store", url
        reply.close()
    assert client.get("/nowhere").headers["Cache-Control"] == "no-store"

    # Static files may be cached (revalidated): they hold no user data.
    for url in ("/static/css/admin.css", "/dashboards/static/dashboards.js",
                "/dashboards/plotly.min.js", "/dashboards/levels.css"):
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert "no-store" not in reply.headers.get("Cache-Control", ""), url
        reply.close()
