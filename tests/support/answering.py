"""Helpers shared by the answering tests (start a response, autosave, a second browser)."""

from __future__ import annotations

from sqlalchemy import select

from support.clients import PASSWORD, BrowserClient
from survey.extensions import db
from survey.responses.models import Answer, Response


def start(client, round_) -> int:
    """Start (or open) the logged-in respondent's response to the round; its id."""
    reply = client.post(f"/omgangar/{round_.id}/borja", {})
    assert reply.status_code == 302, reply.get_data(as_text=True)
    return int(reply.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def load(response_id: int) -> Response:
    db.session.expire_all()
    return db.session.get(Response, response_id)


def question_ids(response_id: int) -> list[int]:
    return [q.id for q in load(response_id).round.questions]


def answer(response_id: int, question_id: int) -> Answer:
    db.session.expire_all()
    return db.session.scalar(select(Answer).filter_by(response_id=response_id,
                                                      question_id=question_id))


def autosave(client, response_id: int, field: str, value, version: int, **kwargs):
    return client.post_json(f"/svar/{response_id}/autospara",
                            {"field": field, "value": value, "version": version}, **kwargs)


def other_browser(app, user) -> BrowserClient:
    """A second, independent browser logged in as `user`."""
    browser = BrowserClient(app.test_client())
    reply = browser.post("/logga-in", {"email": user.email, "password": PASSWORD})
    assert reply.status_code == 302
    browser.get("/")
    return browser


def form_data(response_id: int, **overrides) -> dict:
    """The answer form as the edit page would post it, with the stored values."""
    response = load(response_id)
    data = {}
    for a in response.answers:
        data[f"answer-{a.question_id}"] = a.text
        data[f"version-{a.question_id}"] = str(a.version)
    for s in response.self_assessments:
        code = s.component.code
        if s.level is not None:
            data[f"level-{code}"] = str(s.level)
        data[f"evidence-{code}"] = s.evidence
        data[f"self-version-{code}"] = str(s.version)
    data["tags_version"] = str(response.tags_version)
    data.update(overrides)
    return data
