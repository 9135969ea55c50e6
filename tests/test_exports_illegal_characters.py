"""An answer holding characters XML 1.0 forbids (U+FFFE, U+FFFF, NUL) or discourages (C1
controls) still gives an annex and a response workbook that open, with the text around them
and the rest of the sheet intact (issue 12, finding 2).

Requests are cleaned of these characters before anything is saved (survey.inputs), so the
answer is stored directly here, as text saved before that cleaning existed. PostgreSQL
refuses NUL and psycopg cannot encode a lone surrogate, and SQLite's driver cannot encode a
lone surrogate either: those are tested at the cell level (tests/test_exports_cells.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from survey.accounts.models import Role
from survey.extensions import db
from survey.reference.services import components
from survey.responses.models import DecisionBody
from survey.responses.services import save_answer, save_self_assessment, start_response, submit

DIRTY = "Före\ufffe mitt\uffff C1\x85\x9f efter"
CLEAN = "Före\ufffd mitt\ufffd C1\x85\x9f efter"
SECOND = "Det andra svaret finns kvar."


@pytest.fixture
def dirty_response(app, make_round, make_user, organisation):
    sqlite = db.engine.dialect.name == "sqlite"
    dirty = DIRTY + ("\x00NUL" if sqlite else "")
    round_ = make_round(2024)
    user = make_user(Role.RESPONDENT, "ASN")
    response = start_response(round_, organisation("ASN"), user)
    db.session.flush()
    first, second = round_.questions
    save_answer(response, first, "utkast", 0, user)
    save_answer(response, second, SECOND, 0, user)
    save_self_assessment(response, components()[0], 2, "Motivering", 0, user)
    submit(response, user, DecisionBody.NAMND, dt.date(2024, 2, 1), "ASN-2024-123")
    response.answer_for(first).text = dirty  # as stored before input was cleaned
    response.self_assessments[0].evidence = dirty
    db.session.commit()
    return response


def workbook(client, url: str):
    reply = client.get(url)
    data = reply.get_data()
    reply.close()
    assert reply.status_code == 200
    return load_workbook(io.BytesIO(data))


def values(sheet) -> list[object]:
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


def expected(text: str) -> str:
    return text + ("NUL" if db.engine.dialect.name == "sqlite" else "")


def test_the_annex_with_illegal_characters_opens_whole(client, auth, dirty_response):
    auth.login_as(Role.ANALYST, None)

    book = workbook(client, f"/export/bilaga/{dirty_response.round.id}.xlsx")

    answers = values(book["Svar"])
    assert expected(CLEAN) in answers
    assert SECOND in answers and "ASN-2024-123" in answers  # the rest of the row is there
    assert "Sammanställning" in book.sheetnames and book.sheetnames[-1] != "Svar"


def test_the_response_workbook_with_illegal_characters_opens_whole(client, auth, dirty_response):
    auth.login_as(Role.RESPONDENT, "ASN")

    book = workbook(client, f"/export/svar/{dirty_response.id}.xlsx")

    answers = values(book["Svar"])
    assert answers.count(expected(CLEAN)) == 2  # the answer and the evidence
    assert SECOND in answers
    assert "ASN-2024-123" in values(book["Inlämningar"])
