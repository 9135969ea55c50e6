"""Round trip: export a round's annex, import it into an empty database, export again: the same
cells on every sheet (bar the cover's export time and exporter).

The round holds what the import template carries: answers (one long, some that look like
formulas, one with a vertical tab), decision dates, case numbers and assessed levels, some
left open. Justifications, evidence quotes, self-assessments and rights-area tags are not
part of the template, so the round has none.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook
from support.clients import BrowserClient
from support.config import app_config
from support.factories import make_assessment, submitted_response

from survey import create_app
from survey.accounts.models import Role
from survey.accounts.services import create_user
from survey.extensions import db
from survey.provisioning import init_database, seed_all
from survey.questionnaires.models import RoundStatus

PASSWORD = "ett-långt-lösenord-för-test"
LONG = "Barnkonsekvensanalyser görs före varje beslut som rör barn. " * 1200  # 72 000 chars
#: Cover rows that say when and by whom, which differ between two exports.
MOMENT_LABELS = {"Exporterad", "Exporterad av"}


def cells(data: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(data))
    found = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if sheet.title == "Omslag":
            rows = [row for row in rows if row[0] not in MOMENT_LABELS]
        found[sheet.title] = rows
    return found


def export(browser: BrowserClient, round_id: int) -> bytes:
    reply = browser.get(f"/export/bilaga/{round_id}.xlsx")
    assert reply.status_code == 200
    data = reply.data
    reply.close()
    return data


def login(browser: BrowserClient, email: str, password: str) -> None:
    assert browser.post("/logga-in", {"email": email, "password": password}).status_code == 302
    browser.get("/")


def test_export_import_export_gives_the_same_cells(app, client, auth, make_round, make_user,
                                                   organisation, empty_database_url):
    analyst = make_user(Role.ANALYST, None)
    round_ = make_round(2021)
    texts = {"ASN": (LONG, "=1+1 är inte en formel"),
             "FRN": ("-Minustecken först\x0bsedan ny rad", "@alla"),
             "MKB": ("Bolaget svarar kort.", "#N/A")}
    for short, pair in texts.items():
        respondent = make_user(Role.RESPONDENT, short)
        response = submitted_response(round_, organisation(short), respondent, texts=pair)
        if short != "MKB":  # the bolag stays unassessed: empty level cells
            make_assessment(response, analyst, {"MAL": 3, "KUN": 2, "KOM": 1, "MET": 4,
                                                "SAM": 0, "KSP": 2, "UPP": None},
                            justification="")
    round_.status = RoundStatus.CLOSED
    db.session.commit()
    auth.login_as(Role.ANALYST, None)
    first = export(client, round_.id)

    empty = create_app(app_config(empty_database_url))
    with empty.app_context():
        init_database()
        seed_all()
        create_user("admin@example.org", "Admin", PASSWORD, Role.ADMIN, None)
        db.session.commit()
        browser = BrowserClient(empty.test_client())
        login(browser, "admin@example.org", PASSWORD)
        page = browser.post("/import",
                            {"file": (io.BytesIO(first), "MR-bilaga-2021.xlsx")},
                            content_type="multipart/form-data")
        assert "3 svar" in page.get_data(as_text=True), page.get_data(as_text=True)
        second = export(browser, db.session.execute(
            db.text("select id from survey_round where year = 2021")).scalar_one())
        db.session.remove()
        db.engine.dispose()

    before, after = cells(first), cells(second)
    assert list(after) == list(before)
    for sheet in before:
        assert after[sheet] == before[sheet], sheet
    answers = before["Svar"]
    assert "Svar fråga 1 (fortsättning 2)" in answers[0]
    asn = next(row for row in answers if row[0] == organisation("ASN").name)
    assert "".join(part or "" for part in asn[2:5]) == LONG
