"""A save that fails halfway leaves the previous version intact: one transaction per request,
rolled back when the request ends without a commit, on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextvars

import pytest
from sqlalchemy import func, select, text, update
from support.answering import answer, autosave, form_data, question_ids, start

import survey.responses.services as services
from survey.extensions import db
from survey.responses.models import Answer, AnswerRevision


class Crash(RuntimeError):
    """The failure injected after the first write of a save."""


@pytest.fixture
def crashing_app(app):
    # Production behaviour: an unhandled error becomes the 500 page, not a test exception.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.fixture
def saved_once(crashing_app, client, auth, make_round):
    """A respondent's response whose first answer was saved once: version 1, one revision."""
    auth.login_as("respondent", "ASN")
    response_id = start(client, make_round())
    question_id = question_ids(response_id)[0]
    reply = autosave(client, response_id, f"answer-{question_id}", "Första texten.", 0)
    assert reply.status_code == 200
    return response_id, question_id


def _revisions(answer_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AnswerRevision).filter_by(answer_id=answer_id)
    )


def _assert_intact(response_id: int, question_id: int) -> None:
    current = answer(response_id, question_id)
    assert (current.text, current.version) == ("Första texten.", 1)
    assert _revisions(current.id) == 1


def _crash_after_the_update(monkeypatch):
    """Make the audit record (written after the UPDATE of the answer) raise."""
    def record(*args, **kwargs):
        raise Crash("the server fell over mid-save")

    monkeypatch.setattr(services, "record", record)


def _duplicate_revision(monkeypatch):
    """Make the revision insert fail in the database (a unique violation at commit)."""
    real = services.AnswerRevision

    def revision(**values):
        return real(**{**values, "version": 1})  # version 1 exists already

    monkeypatch.setattr(services, "AnswerRevision", revision)


@pytest.mark.parametrize("failure", [_crash_after_the_update, _duplicate_revision],
                         ids=["python-error", "database-error"])
def test_autosave_failing_after_the_update_answers_500_json_and_keeps_the_old_text(
        saved_once, client, monkeypatch, failure):
    response_id, question_id = saved_once
    failure(monkeypatch)

    reply = autosave(client, response_id, f"answer-{question_id}", "Halvsparad text.", 1)

    assert reply.status_code == 500
    assert reply.get_json()["error"] == 500
    assert "Ett oväntat fel inträffade" in reply.get_json()["message"]
    _assert_intact(response_id, question_id)
    monkeypatch.undo()
    # Nothing is left locked: the next save goes straight through.
    reply = autosave(client, response_id, f"answer-{question_id}", "Andra texten.", 1)
    assert reply.status_code == 200 and reply.get_json()["version"] == 2


@pytest.mark.parametrize("failure", [_crash_after_the_update, _duplicate_revision],
                         ids=["python-error", "database-error"])
def test_form_save_failing_after_the_update_shows_the_500_page_and_keeps_the_old_text(
        saved_once, client, monkeypatch, failure):
    response_id, question_id = saved_once
    data = form_data(response_id, **{f"answer-{question_id}": "Halvsparad text."})
    failure(monkeypatch)

    reply = client.post(f"/svar/{response_id}", data)

    assert reply.status_code == 500
    page = reply.get_data(as_text=True)
    assert "Något gick fel" in page and "Ett oväntat fel inträffade" in page
    _assert_intact(response_id, question_id)


def test_a_request_that_ends_without_commit_is_rolled_back(app, make_round, make_user,
                                                           organisation):
    """Flask-SQLAlchemy's teardown (session.remove) rolls back, never commits, and releases
    the write lock (SQLite) or the row lock (PostgreSQL) at once."""
    round_ = make_round()
    user = make_user("respondent", "ASN")
    response = services.start_response(round_, organisation("ASN"), user)
    db.session.commit()
    answer_id = response.answers[0].id
    db.session.close()

    def unfinished_request():
        with app.test_request_context(method="POST"):
            db.session.execute(update(Answer).where(Answer.id == answer_id)
                               .values(text="Aldrig sparad.", version=Answer.version + 1))
            assert db.session.get(Answer, answer_id).text == "Aldrig sparad."
            # The request ends here (an exception, or a view that forgot to commit).

    def next_request():
        with app.test_request_context(method="POST"):
            # Another writer gets the lock at once and sees the old row.
            if db.engine.dialect.name == "postgresql":
                db.session.execute(text("SET LOCAL lock_timeout = '5s'"))
            current = db.session.get(Answer, answer_id)
            assert (current.text, current.version) == ("", 0)
            current.text = "Sparad."
            db.session.commit()

    # Each request in a context of its own, as in production (its own app context and
    # session); the test's app context would otherwise be reused and never torn down.
    contextvars.Context().run(unfinished_request)
    contextvars.Context().run(next_request)

    db.session.expire_all()
    assert db.session.get(Answer, answer_id).text == "Sparad."
