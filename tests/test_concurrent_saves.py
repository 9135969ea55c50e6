"""Several colleagues saving at once: no lost update, no "database is locked", and every
accepted save in the revision history, on SQLite (WAL, busy timeout, BEGIN IMMEDIATE for
writers) and on PostgreSQL (where the conditional UPDATE … WHERE version = :seen and its row
lock are what keep a save from overwriting a newer one)."""

from __future__ import annotations

import re
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select
from support.clients import PASSWORD
from support.threads import run_in_threads

from survey.accounts.models import User
from survey.extensions import db
from survey.questionnaires.models import RoundQuestion
from survey.responses.models import Answer, AnswerRevision, Response
from survey.responses.services import ResponseConflict, save_answer, start_response

THREADS = 6
SAVES_PER_THREAD = 15
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def _started(make_round, make_user, organisation):
    """An open round, a respondent and the organisation's response; ids only."""
    round_ = make_round()
    user = make_user("respondent", "ASN")
    response = start_response(round_, organisation("ASN"), user)
    db.session.commit()
    ids = response.id, user.id, [q.id for q in round_.questions]
    db.session.close()  # never hold a transaction open while the writers write
    return ids


def _answer(response_id: int, question_id: int) -> Answer:
    db.session.expire_all()
    return db.session.scalar(
        select(Answer).filter_by(response_id=response_id, question_id=question_id)
    )


def _revision_texts(answer_id: int) -> list[str]:
    return list(db.session.scalars(
        select(AnswerRevision.text).filter_by(answer_id=answer_id).order_by(
            AnswerRevision.version)
    ))


def test_concurrent_saves_lose_nothing(app, make_round, make_user, organisation):
    response_id, user_id, question_ids = _started(make_round, make_user, organisation)
    accepted, errors = [], []

    def worker(index: int):
        question_id = question_ids[index % len(question_ids)]
        # Each worker is a save request: a POST takes SQLite's write lock at BEGIN.
        with app.test_request_context(method="POST"):
            for n in range(SAVES_PER_THREAD):
                while True:
                    try:
                        resp = db.session.get(Response, response_id)
                        question = db.session.get(RoundQuestion, question_id)
                        seen = resp.answer_for(question).version
                        save_answer(resp, question, f"tråd {index} sparning {n}", seen,
                                    db.session.get(User, user_id))
                        db.session.commit()
                        accepted.append((question_id, index, n))
                        break
                    except ResponseConflict:
                        db.session.rollback()  # a colleague won: reload and try again
                    except Exception as exc:  # noqa: BLE001 - any other error fails the test
                        db.session.rollback()
                        errors.append(repr(exc))
                        return
            db.session.remove()

    run_in_threads(worker, THREADS, hangs="a writer hangs")

    assert errors == []
    assert len(accepted) == THREADS * SAVES_PER_THREAD
    for question_id in question_ids:
        answer = _answer(response_id, question_id)
        saves = sum(1 for q, _, _ in accepted if q == question_id)
        assert answer.version == saves
        revisions = db.session.scalar(
            select(func.count()).select_from(AnswerRevision).filter_by(answer_id=answer.id)
        )
        assert revisions == saves


def test_racing_saves_of_one_answer_keep_every_accepted_text(app, make_round, make_user,
                                                               organisation):
    """Writers that all saw the same version race without retrying: per version exactly one
    wins, the others get ResponseConflict (never "database is locked"), and the history holds every
    accepted text in the order it was accepted."""
    response_id, user_id, question_ids = _started(make_round, make_user, organisation)
    question_id = question_ids[0]
    accepted, conflicts, errors = [], [], []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker(index: int):
        with app.test_request_context(method="POST"):
            for n in range(SAVES_PER_THREAD):
                text = f"tråd {index} sparning {n}"
                try:
                    resp = db.session.get(Response, response_id)
                    question = db.session.get(RoundQuestion, question_id)
                    seen = resp.answer_for(question).version
                    db.session.rollback()  # release the read: everyone starts from `seen`
                    barrier.wait(timeout=60)
                    save_answer(resp, question, text, seen, db.session.get(User, user_id))
                    db.session.commit()
                    with lock:
                        accepted.append((seen + 1, text))
                except ResponseConflict:
                    db.session.rollback()
                    conflicts.append(text)
                except Exception as exc:  # noqa: BLE001
                    db.session.rollback()
                    errors.append(repr(exc))
                    barrier.abort()
                    return
            db.session.remove()

    run_in_threads(worker, THREADS, hangs="a writer hangs")

    assert errors == []
    assert len(accepted) + len(conflicts) == THREADS * SAVES_PER_THREAD
    # Each round of the barrier has exactly one winner.
    assert len(accepted) == SAVES_PER_THREAD
    answer = _answer(response_id, question_id)
    assert answer.version == len(accepted)
    assert _revision_texts(answer.id) == [text for _, text in sorted(accepted)]
    assert answer.text == max(accepted)[1]


# --- through HTTP: two colleagues, several browser tabs each ------------------------------

def _logged_in_client(app, email: str):
    """A browser of its own (cookie jar, CSRF token) logged in as `email`."""
    client = app.test_client()
    token = _TOKEN.search(client.get("/logga-in").get_data(as_text=True)).group(1)
    reply = client.post("/logga-in", data={"email": email, "password": PASSWORD,
                                        "csrf_token": token})
    assert reply.status_code == 302, reply.get_data(as_text=True)
    return client, _TOKEN.search(client.get("/").get_data(as_text=True)).group(1)


def test_autosaves_of_two_colleagues_over_http_are_200_or_409_and_all_kept(
        app, make_round, make_user, organisation):
    response_id, _, question_ids = _started(make_round, make_user, organisation)
    colleague = make_user("respondent", "ASN", email="kollega-asn@example.org", name="Kollega")
    emails = ["respondent-asn@example.org", colleague.email]
    db.session.close()
    targets = question_ids[:2]
    tabs, saves = 4, 8
    statuses: list[tuple[int, int]] = []  # (question id, HTTP status)
    errors: list[str] = []
    lock = threading.Lock()

    def tab(index: int):
        try:
            client, token = _logged_in_client(app, emails[index % 2])
            question_id = targets[index % len(targets)]
            seen = 0
            for n in range(saves):
                reply = client.post(
                    f"/svar/{response_id}/autospara",
                    json={"field": f"answer-{question_id}", "value": f"flik {index} text {n}",
                          "version": seen},
                    headers={"X-CSRFToken": token, "Accept": "application/json"},
                )
                body = reply.get_json(silent=True) or {}
                with lock:
                    statuses.append((question_id, reply.status_code))
                if reply.status_code == 200:
                    seen = body["version"]
                elif reply.status_code == 409 and body.get("conflict"):
                    seen = body["current_version"]  # as answer.js does after showing both texts
                else:
                    errors.append(f"{reply.status_code}: {reply.get_data(as_text=True)[:300]}")
                    return
        except Exception as exc:  # noqa: BLE001 - an exception here is a 500
            errors.append(repr(exc))

    run_in_threads(tab, tabs, hangs="a writer hangs")

    assert errors == []
    assert {status for _, status in statuses} <= {200, 409}
    assert len(statuses) == tabs * saves
    ok = Counter(q for q, status in statuses if status == 200)
    # Each 409 answers a colleague's 200 since the tab last synced: at least half are 200.
    assert sum(ok.values()) >= tabs * saves // 2
    for question_id in targets:
        answer = _answer(response_id, question_id)
        assert answer.version == ok[question_id]
        assert len(_revision_texts(answer.id)) == ok[question_id]


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_sqlite_writers_queue_in_wal_mode_with_a_busy_timeout(app):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == \
            app.config["SQLITE_BUSY_TIMEOUT_MS"]
