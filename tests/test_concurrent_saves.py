"""Several colleagues saving at once: no lost update, no "database is locked"."""

import threading

from sqlalchemy import func, select

from survey.extensions import db
from survey.responses.models import Answer, AnswerRevision
from survey.responses.services import Conflict, save_answer, start_response

THREADS = 6
SAVES_PER_THREAD = 15


def test_concurrent_saves_lose_nothing(app, make_round, make_user, organisation):
    round_ = make_round()
    user = make_user("respondent", "ASN")
    response = start_response(round_, organisation("ASN"), user)
    db.session.commit()
    response_id, user_id = response.id, user.id
    question_ids = [q.id for q in round_.questions]
    db.session.close()
    accepted, errors = [], []

    def worker(index: int):
        question_id = question_ids[index % len(question_ids)]
        # Each worker is a save request: a POST takes SQLite's write lock at BEGIN.
        with app.test_request_context(method="POST"):
            from survey.accounts.models import User
            from survey.questionnaires.models import RoundQuestion
            from survey.responses.models import Response

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
                    except Conflict:
                        db.session.rollback()  # a colleague won: reload and try again
                    except Exception as exc:  # noqa: BLE001 - any other error fails the test
                        db.session.rollback()
                        errors.append(repr(exc))
                        return
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(accepted) == THREADS * SAVES_PER_THREAD
    db.session.expire_all()
    for question_id in question_ids:
        answer = db.session.scalar(
            select(Answer).filter_by(response_id=response_id, question_id=question_id)
        )
        saves = sum(1 for q, _, _ in accepted if q == question_id)
        assert answer.version == saves
        revisions = db.session.scalar(
            select(func.count()).select_from(AnswerRevision).filter_by(answer_id=answer.id)
        )
        assert revisions == saves
