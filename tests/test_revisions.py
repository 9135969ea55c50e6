"""Revision history of an answer and restoring an earlier version."""

from __future__ import annotations

from support.answering import answer, autosave, question_ids, start


def _three_versions(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    q1 = question_ids(rid)[0]
    for version, text in enumerate(["Första utkastet", "Andra utkastet", "Tredje"]):
        assert autosave(client, rid, f"answer-{q1}", text, version).status_code == 200
    return rid, q1


def test_history_lists_every_revision(client, auth, make_round):
    rid, q1 = _three_versions(client, auth, make_round)
    page = client.get(f"/svar/{rid}/fragor/{q1}/historik")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Versionshistorik för fråga 1" in html
    for text in ("Första utkastet", "Andra utkastet", "Tredje"):
        assert text in html
    assert html.index("Tredje") < html.index("Andra utkastet") < html.index("Första utkastet")
    assert "Test Svarande" in html and "Sparad" in html
    assert "15 tecken, 2 ord" in html  # "Första utkastet"
    assert "<details>" in html
    assert html.count('name="seen_version" value="3"') == 2  # not for the current version


def test_restore_makes_an_earlier_text_current_as_a_new_revision(client, auth, make_round):
    rid, q1 = _three_versions(client, auth, make_round)
    first = next(r for r in answer(rid, q1).revisions if r.version == 1)
    reply = client.post(f"/svar/{rid}/versioner/{first.id}/aterstall", {"seen_version": "3"})
    assert reply.status_code == 302
    saved = answer(rid, q1)
    assert (saved.text, saved.version) == ("Första utkastet", 4)
    assert saved.revisions[0].action.value == "restore"
    page = client.get(f"/svar/{rid}/fragor/{q1}/historik").get_data(as_text=True)
    assert "Återställd" in page


def test_restore_with_stale_version_restores_nothing(client, auth, make_round):
    rid, q1 = _three_versions(client, auth, make_round)
    first = next(r for r in answer(rid, q1).revisions if r.version == 1)
    reply = client.post(f"/svar/{rid}/versioner/{first.id}/aterstall", {"seen_version": "2"})
    assert reply.status_code == 302
    assert (answer(rid, q1).text, answer(rid, q1).version) == ("Tredje", 3)
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "nyare version" in page


def test_analyst_sees_history_but_cannot_restore(client, auth, make_round):
    rid, q1 = _three_versions(client, auth, make_round)
    first = next(r for r in answer(rid, q1).revisions if r.version == 1)
    auth.logout()
    auth.login_as("analyst", None)
    page = client.get(f"/svar/{rid}/fragor/{q1}/historik")
    assert page.status_code == 200
    assert "Första utkastet" in page.get_data(as_text=True)
    assert "seen_version" not in page.get_data(as_text=True)
    reply = client.post(f"/svar/{rid}/versioner/{first.id}/aterstall", {"seen_version": "3"})
    assert reply.status_code == 403
    assert answer(rid, q1).text == "Tredje"


def test_revision_of_another_response_is_404(client, auth, make_round):
    rid, q1 = _three_versions(client, auth, make_round)
    other = start(client, make_round(2025))
    revision = answer(rid, q1).revisions[-1]
    reply = client.post(f"/svar/{other}/versioner/{revision.id}/aterstall",
                        {"seen_version": "3"})
    assert reply.status_code == 404
