"""The analyst's assessment page: a submitted response to assess, and the page's form."""

from __future__ import annotations

from support.factories import submitted_response
from survey.accounts.models import Role
from survey.extensions import db
from survey.reference.services import components
from survey.responses.models import Response

FIRST_TEXT = ("Alla chefer har gått utbildningar om mänskliga rättigheter. "
              "Barnets rättigheter ingår i verksamhetsplanen och följs upp årligen. <b>&</b>")


def response_to_assess(make_round, make_user, organisation, text=FIRST_TEXT) -> int:
    """A submitted response of ASN whose first answer is `text`; its id."""
    round_ = make_round()
    texts = [text] + [f"Svar på fråga {i}." for i in range(2, len(round_.questions) + 1)]
    return submitted_response(round_, organisation("ASN"), make_user(Role.RESPONDENT, "ASN"),
                              texts=texts).id


def first_answer_id(response_id: int) -> int:
    response = db.session.get(Response, response_id)
    return response.answer_for(response.round.questions[0]).id


def form(version: int = 0, levels: dict | None = None, **extra) -> dict:
    data = {"version": str(version)}
    for c in components():
        level = (levels or {}).get(c.code)
        data[f"level-{c.code}"] = "" if level is None else str(level)
        data[f"justification-{c.code}"] = extra.pop(f"justification-{c.code}", "")
    data.update(extra)
    return data
