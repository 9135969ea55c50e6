"""Errors show generic Swedish pages without details; debug is off unless asked for;
answer pages are never cached."""

from __future__ import annotations

from support.answering import question_ids, start

from survey import create_app

SECRET_DETAIL = "hemlig-detalj-i-undantaget"


def _raise():
    raise RuntimeError(SECRET_DETAIL + " /work/main/survey/secret.py")


def test_an_exception_shows_a_generic_swedish_500_page(app, client):
    app.add_url_rule("/test-only/boom", "test_boom", _raise)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production (TESTING re-raises)
    page = client.get("/test-only/boom")
    assert page.status_code == 500
    text = page.get_data(as_text=True)
    assert "Något gick fel" in text and "Ett oväntat fel inträffade" in text
    for leak in (SECRET_DETAIL, "RuntimeError", "Traceback", "secret.py", "werkzeug"):
        assert leak not in text
    assert page.headers["Content-Security-Policy"]


def test_an_exception_in_a_script_call_answers_generic_json(app, client):
    app.add_url_rule("/test-only/boom", "test_boom", _raise, methods=["POST"])
    app.config["PROPAGATE_EXCEPTIONS"] = False
    reply = client.post_json("/test-only/boom", {})
    assert reply.status_code == 500 and reply.is_json
    assert SECRET_DETAIL not in reply.get_data(as_text=True)
    assert reply.get_json()["message"].startswith("Ett oväntat fel inträffade")


def test_not_found_and_wrong_method_are_swedish(client):
    missing = client.get("/finns-inte")
    assert missing.status_code == 404 and "Sidan finns inte" in missing.get_data(as_text=True)
    wrong = client.get("/logga-ut")
    assert wrong.status_code == 405 and "Otillåten metod" in wrong.get_data(as_text=True)


def test_debug_is_off_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("FLASK_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'default.sqlite'}")
    monkeypatch.setenv("FLASK_SKIP_SCHEMA_CHECK", "true")  # an empty database
    production = create_app()
    assert production.debug is False
    assert production.config["PROPAGATE_EXCEPTIONS"] is None
    assert production.config["SESSION_COOKIE_SECURE"] is True


def test_answer_pages_and_autosave_are_not_cached(client, auth, make_round):
    auth.login_as("respondent", "ASN")
    rid = start(client, make_round())
    qid = question_ids(rid)[0]
    for url in (f"/svar/{rid}", f"/svar/{rid}/visa", f"/svar/{rid}/utskrift",
                f"/svar/{rid}/fragor/{qid}/historik", f"/svar/{rid}/skicka-in"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    reply = client.post_json(f"/svar/{rid}/autospara",
                             {"field": f"answer-{qid}", "value": "x", "version": 0})
    assert reply.headers["Cache-Control"] == "no-store"
