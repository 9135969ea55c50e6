"""Importing earlier rounds from xlsx (exports/imports/importer.py), through the admin page and
the command line: what a valid file creates, every row error with its row, column and Swedish
message (and nothing written), long texts joined back, and the downloadable template."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import func, select
from support.factories import submitted_response
from support.workbooks import HEADER, TEXT_1, TEXT_2, URL, row, upload, workbook_bytes

from survey.accounts.models import Role
from survey.analysis.levels import LevelSource, effective_assessment, round_levels
from survey.assessments.models import Assessment, AssessmentStatus
from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.questionnaires.models import Round, RoundStatus
from survey.responses.models import (
    AnswerRevision,
    DecisionBody,
    EventKind,
    Response,
    ResponseStatus,
    Submission,
)


def counts() -> dict[str, int]:
    """How many rows of each kind an import would write."""
    return {
        "rounds": db.session.scalar(select(func.count()).select_from(Round)),
        "responses": db.session.scalar(select(func.count()).select_from(Response)),
        "submissions": db.session.scalar(select(func.count()).select_from(Submission)),
        "assessments": db.session.scalar(select(func.count()).select_from(Assessment)),
        "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)
                                   .where(AuditEvent.action == "import.xlsx")),
    }


def find_round(year: int) -> Round | None:
    return db.session.scalar(select(Round).filter_by(questionnaire_key="sarskild-fraga",
                                                     year=year))


def problems_on(page: str) -> str:
    assert "Filen importerades inte" in page, page
    return page


# --- a valid file ----------------------------------------------------------------------

def test_valid_file_imports_closed_rounds_submitted_responses_and_assessments(
        client, auth, organisation):
    admin = auth.login_as(Role.ADMIN, None)
    data = workbook_bytes([
        row("asn", 2021, TEXT_1, TEXT_2, dt.datetime(2022, 2, 24, 0, 0), "ASN-2022-17",
            3, "2", 1.0, None, "", 4, 0),
        row("MKB Fastighets AB", 2021, "Bolagets svar.", "Bolagets utmaningar.",
            "2022-03-10", "MKB-2022-5"),
        row("Fritidsnämnden", 2022, "Fritid ett.", "Fritid två.", dt.date(2023, 2, 1),
            "FRN-2023-1941-15"),
    ])
    reply = upload(client, data)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "Importen är klar: 3 svar importerade (1 med bedömning); nya omgångar: 2021, 2022." \
        in page

    first, second = find_round(2021), find_round(2022)
    assert first.status == second.status == RoundStatus.CLOSED
    assert (first.opens_at, first.deadline) == (dt.date(2022, 2, 24), dt.date(2022, 3, 10))
    # Levels were given for 2021: history already public; none for 2022.
    assert first.assessments_published_at is not None
    assert second.assessments_published_at is None

    asn = db.session.scalar(select(Response).filter_by(
        round_id=first.id, organisation_id=organisation("ASN").id))
    assert asn.status == ResponseStatus.SUBMITTED
    assert asn.submitted_at.date() == dt.date(2022, 2, 24)
    texts = {a.question.position: a for a in asn.answers}
    assert texts[1].text == TEXT_1 and texts[2].text == TEXT_2
    assert texts[1].word_count == 8 and texts[1].version == 1
    revisions = db.session.scalars(select(AnswerRevision).filter_by(answer_id=texts[1].id)).all()
    assert [(r.version, r.text) for r in revisions] == [(1, TEXT_1)]
    submission = asn.latest_submission
    assert (submission.number, submission.decision_body, submission.decision_date,
            submission.case_number) == (1, DecisionBody.NAMND, dt.date(2022, 2, 24),
                                        "ASN-2022-17")
    assert [a["text"] for a in submission.content["answers"]] == [TEXT_1, TEXT_2]
    assert [e.kind for e in asn.events] == [EventKind.CREATED, EventKind.SUBMITTED]

    mkb = db.session.scalar(select(Response).filter_by(
        round_id=first.id, organisation_id=organisation("MKB").id))
    assert mkb.latest_submission.decision_body == DecisionBody.STYRELSE
    assert mkb.latest_submission.decision_date == dt.date(2022, 3, 10)

    assessment = effective_assessment(asn)
    assert assessment.status == AssessmentStatus.DONE and assessment.analyst_id == admin.id
    assert assessment.submission_id == submission.id and assessment.completed_at is not None
    levels = {(lv.component_code, lv.level, lv.source) for lv in round_levels(first.id)}
    assert levels == {("MAL", 3, "assessment"), ("KUN", 2, "assessment"),
                      ("KOM", 1, "assessment"), ("KSP", 4, "assessment"),
                      ("UPP", 0, "assessment")}
    # The organisations rated nothing themselves.
    assert round_levels(first.id, LevelSource.SELF_ASSESSMENT) == []
    assert effective_assessment(mkb) is None
    assert counts() == {"rounds": 2, "responses": 3, "submissions": 3, "assessments": 1,
                        "audit": 1}


def test_rows_for_an_existing_closed_round_join_it(client, auth, make_round, organisation):
    auth.login_as(Role.ADMIN, None)
    existing = make_round(2021, RoundStatus.CLOSED)
    reply = upload(client, workbook_bytes([row("ASN", 2021)]))
    page = reply.get_data(as_text=True)
    assert "Importen är klar: 1 svar importerade (0 med bedömning)." in page
    assert "Inga nya omgångar" in page
    assert counts()["rounds"] == 1
    response = db.session.scalar(select(Response).filter_by(organisation_id=organisation("ASN").id))
    assert response.round_id == existing.id


def test_long_text_in_continuation_columns_is_joined_back(client, auth, organisation):
    auth.login_as(Role.ADMIN, None)
    long_text = "Början. " + "ord " * 12_000 + "Slutet."
    parts = [long_text[:32_767], long_text[32_767:]]
    # The annex's layout: informational columns and continuation columns, in its order.
    header = ["Organisation", "Kortnamn", "Typ", "År", "Svar fråga 1",
              "Svar fråga 1 (fortsättning 1)", "Svar fråga 2", "Beslutsdatum", "Diarienummer",
              "Status", "MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP"]
    data = workbook_bytes([["Arbetsmarknads- och socialnämnden", "ASN", "Nämnd", 2021, *parts,
                            TEXT_2, dt.date(2022, 2, 24), "ASN-2022-17", "Inskickad"]],
                          header=header)
    reply = upload(client, data)
    assert "Importen är klar" in reply.get_data(as_text=True)
    response = db.session.scalar(select(Response).filter_by(organisation_id=organisation("ASN").id))
    texts = {a.question.position: a.text for a in response.answers}
    assert texts == {1: long_text, 2: TEXT_2}
    assert len(texts[1]) > 32_767


# --- row errors: every one named, nothing written ---------------------------------------

ERROR_CASES = {
    "unknown organisation": ([row("Nämnden som inte finns")], 2, "Organisation",
                             "Okänd organisation: ”Nämnden som inte finns”"),
    "missing organisation": ([row("")], 2, "Organisation", "Ange organisationens namn"),
    "twice in the file": ([row("ASN"), row("Arbetsmarknads- och socialnämnden")], 3,
                          "Organisation", "finns redan för 2021 på rad 2"),
    "bad year": ([row("ASN", "tjugotjugoett")], 2, "År", "”tjugotjugoett” är inget giltigt år"),
    "missing year": ([row("ASN", None)], 2, "År", "Året saknas"),
    "future year": ([row("ASN", dt.date.today().year + 1)], 2, "År", "inget giltigt år"),
    "bad date": ([row(date="24/2 2022")], 2, "Beslutsdatum",
                 "”24/2 2022” är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD"),
    "impossible date": ([row(date="2022-02-30")], 2, "Beslutsdatum", "inget giltigt datum"),
    "missing date": ([row(date=None)], 2, "Beslutsdatum", "Beslutsdatum saknas"),
    "future date": ([row(date=dt.date.today() + dt.timedelta(days=1))], 2, "Beslutsdatum",
                    "Beslutsdatum kan inte ligga i framtiden."),
    "case number near miss": ([row(case="asn 2022-017")], 2, "Diarienummer",
                              "Diarienumret har fel form. Menade du ASN-2022-017?"),
    "bad case number": ([row(case="okänt")], 2, "Diarienummer",
                        "Skriv det som KOD-ÅÅÅÅ-löpnummer"),
    "missing case number": ([row(case="")], 2, "Diarienummer", "Ange diarienummer."),
    "level too high": ([row("ASN", 2021, TEXT_1, TEXT_2, dt.date(2022, 2, 24), "ASN-2022-17",
                            5)], 2, "MAL", "Nivån ska vara ett heltal 0–4 eller tom, inte ”5”"),
    "level not an integer": ([row("ASN", 2021, TEXT_1, TEXT_2, dt.date(2022, 2, 24),
                                  "ASN-2022-17", 2, 3.5)], 2, "KUN", "inte ”3.5”"),
    "level as a word": ([row("ASN", 2021, TEXT_1, TEXT_2, dt.date(2022, 2, 24), "ASN-2022-17",
                             2, 2, "hög")], 2, "KOM", "inte ”hög”"),
    "required answer empty": ([row(text2="  ")], 2, "Svar fråga 2", "Svaret saknas."),
    "error on a later row": ([row("ASN"), row("FRN", case="FRN-2022-1"), row("GSN", date="x")],
                             4, "Beslutsdatum", "inget giltigt datum"),
}


@pytest.mark.parametrize("rows, line, column, message", ERROR_CASES.values(),
                         ids=ERROR_CASES.keys())
def test_a_bad_row_is_named_and_nothing_is_imported(client, auth, rows, line, column, message):
    auth.login_as(Role.ADMIN, None)
    before = counts()
    reply = upload(client, workbook_bytes(rows))
    assert reply.status_code == 200
    page = problems_on(reply.get_data(as_text=True))
    assert f"<tr><td>{line}</td><td>{column}</td><td>" in page
    assert message in page.replace("&#34;", '"')
    assert counts() == before


def test_text_over_the_limit_is_refused(app, client, auth):
    auth.login_as(Role.ADMIN, None)
    app.config["MAX_ANSWER_LENGTH"] = 20
    reply = upload(client, workbook_bytes([row(text1="x" * 21)]))
    page = problems_on(reply.get_data(as_text=True))
    assert "<tr><td>2</td><td>Svar fråga 1</td><td>Svaret är 21 tecken långt; högst 20 " \
           "tecken tas emot.</td></tr>" in page
    assert counts()["responses"] == 0


def test_a_response_that_exists_is_not_imported_again(client, auth, make_round, make_user,
                                                      organisation):
    auth.login_as(Role.ADMIN, None)
    round_ = make_round(2021, RoundStatus.OPEN)
    submitted_response(round_, organisation("ASN"), make_user(Role.RESPONDENT, "ASN"))
    round_.status = RoundStatus.CLOSED
    db.session.commit()
    before = counts()
    reply = upload(client, workbook_bytes([row("FRN", case="FRN-2022-1"), row("asn")]))
    page = problems_on(reply.get_data(as_text=True))
    assert "<tr><td>3</td><td>Organisation</td><td>Det finns redan ett svar från " \
           "Arbetsmarknads- och socialnämnden för 2021.</td></tr>" in page
    assert counts() == before


def test_an_open_round_is_not_imported_into(client, auth, make_round):
    auth.login_as(Role.ADMIN, None)
    make_round(2021, RoundStatus.OPEN)
    page = problems_on(upload(client, workbook_bytes([row()])).get_data(as_text=True))
    assert "Omgången för 2021 är öppen; bara avslutade år kan importeras." in page
    assert counts()["responses"] == 0


def test_every_row_error_is_listed_at_once(client, auth):
    auth.login_as(Role.ADMIN, None)
    rows = [row("okänd"), row("ASN", 2021, "", TEXT_2, "igår", "fel", 9)]
    page = problems_on(upload(client, workbook_bytes(rows)).get_data(as_text=True))
    for expected in ("<td>2</td><td>Organisation</td>", "<td>3</td><td>Svar fråga 1</td>",
                     "<td>3</td><td>Beslutsdatum</td>", "<td>3</td><td>Diarienummer</td>",
                     "<td>3</td><td>MAL</td>"):
        assert expected in page


HEADER_CASES = {
    "missing column": ([h for h in HEADER if h != "Diarienummer"], "Diarienummer",
                       "Kolumnen saknas. Förväntade rubriker: Organisation, År, Svar fråga 1, "
                       "Svar fråga 2, Beslutsdatum, Diarienummer, MAL, KUN"),
    "unknown column": (HEADER + ["Kommentar"], "Kommentar", "Okänd kolumnrubrik. Förväntade"),
    "a third question": (HEADER + ["Svar fråga 3"], "Svar fråga 3", "Okänd kolumnrubrik"),
    "twice": (HEADER + ["År"], "År", "Rubriken förekommer två gånger."),
    "continuation without its start": (HEADER + ["Svar fråga 2 (fortsättning 2)"],
                                       "Svar fråga 2 (fortsättning 2)",
                                       "Kolumnen ”Svar fråga 2 (fortsättning 1)” saknas"),
}


@pytest.mark.parametrize("header, column, message", HEADER_CASES.values(),
                         ids=HEADER_CASES.keys())
def test_a_wrong_header_says_what_is_expected(client, auth, header, column, message):
    auth.login_as(Role.ADMIN, None)
    page = problems_on(upload(client, workbook_bytes([row()], header=header))
                       .get_data(as_text=True))
    assert f"<td>–</td><td>{column}</td><td>{message}" in page
    assert counts()["responses"] == 0


def test_a_value_in_a_column_without_header_is_refused(client, auth):
    auth.login_as(Role.ADMIN, None)
    page = problems_on(upload(client, workbook_bytes([row(), row("FRN", case="FRN-2022-1")
                                                      + [None] * 8 + ["glömd"]]))
                       .get_data(as_text=True))
    assert "<tr><td>3</td><td>nr 15 (utan rubrik)</td><td>Kolumnen har ingen rubrik" in page


def test_level_columns_are_optional(client, auth):
    auth.login_as(Role.ADMIN, None)
    reply = upload(client, workbook_bytes([row()], header=HEADER[:6]))
    assert "Importen är klar: 1 svar importerade (0 med bedömning)" in reply.get_data(as_text=True)


def test_a_file_without_data_rows_is_refused(client, auth):
    auth.login_as(Role.ADMIN, None)
    page = problems_on(upload(client, workbook_bytes([[None] * 3, []])).get_data(as_text=True))
    assert "Filen har inga rader med data under rubrikraden." in page


def test_no_file_chosen_is_a_form_error(client, auth):
    auth.login_as(Role.ADMIN, None)
    reply = client.post(URL, {})
    assert reply.status_code == 200
    assert "Välj en fil att importera." in reply.get_data(as_text=True)


def test_the_first_sheet_is_read_when_there_is_no_svar_sheet(client, auth):
    auth.login_as(Role.ADMIN, None)
    reply = upload(client, workbook_bytes([row()], sheet="Blad1"))
    assert "Importen är klar: 1 svar" in reply.get_data(as_text=True)


# --- the command line -------------------------------------------------------------------

def test_cli_prints_the_row_errors_and_exits_1(runner, make_user, tmp_path):
    make_user(Role.ADMIN, None)
    path = tmp_path / "fel.xlsx"
    path.write_bytes(workbook_bytes([row("okänd"), row("FRN", case="FRN 2022 1")]))
    result = runner.invoke(args=["import-xlsx", str(path)])
    assert result.exit_code == 1
    assert "Rad 2, kolumn Organisation: Okänd organisation: ”okänd”." in result.stderr
    assert "Rad 3, kolumn Diarienummer: Diarienumret har fel form. Menade du FRN-2022-1?" \
        in result.stderr
    assert counts()["responses"] == 0


def test_cli_imports_a_good_file_and_prints_the_counts(runner, make_user, tmp_path):
    make_user(Role.ADMIN, None)
    analyst = make_user(Role.ANALYST, None)
    path = tmp_path / "bra.xlsx"
    path.write_bytes(workbook_bytes([row("ASN", 2021, TEXT_1, TEXT_2, dt.date(2022, 2, 24),
                                         "ASN-2022-17", 2), row("FRN", case="FRN-2022-1")]))
    result = runner.invoke(args=["import-xlsx", str(path), "--user", analyst.email])
    assert result.exit_code == 0, result.output
    assert "Importen är klar: 2 svar importerade (1 med bedömning); nya omgångar: 2021." \
        in result.stdout
    assert db.session.scalar(select(Assessment.analyst_id)) == analyst.id
    again = runner.invoke(args=["import-xlsx", str(path)])
    assert again.exit_code == 1 and "Det finns redan ett svar" in again.stderr


def test_cli_refuses_without_an_administrator(runner, tmp_path):
    path = tmp_path / "bra.xlsx"
    path.write_bytes(workbook_bytes([row()]))
    result = runner.invoke(args=["import-xlsx", str(path)])
    assert result.exit_code == 1
    assert "hittar inte en aktiv administratör" in result.stderr
    assert counts()["responses"] == 0


# --- the template -----------------------------------------------------------------------

def test_template_download_has_the_header_row_and_a_guide(client, auth):
    auth.login_as(Role.ADMIN, None)
    reply = client.get("/import/mall.xlsx")
    assert reply.status_code == 200
    data = reply.get_data()
    reply.close()
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Svar", "Anvisning"]
    sheet = workbook["Svar"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    guide = {r[0]: r[2] for r in workbook["Anvisning"].iter_rows(min_row=2, values_only=True)}
    assert set(HEADER) <= set(guide)
    assert "ÅÅÅÅ-MM-DD" in guide["Beslutsdatum"]
    assert "KOD-ÅÅÅÅ-löpnummer" in guide["Diarienummer"]
    assert "Svar fråga 1 (fortsättning 1)" in guide["Svar fråga 1"]


def test_a_filled_in_template_imports(client, auth):
    auth.login_as(Role.ADMIN, None)
    reply = client.get("/import/mall.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(reply.get_data()))
    reply.close()
    workbook["Svar"].append(row("GSN", 2020, "a", "b", "2021-03-01", "GSN-2021-3", 1, 1, 1,
                                1, 1, 1, 1))
    out = io.BytesIO()
    workbook.save(out)
    page = upload(client, out.getvalue()).get_data(as_text=True)
    assert "Importen är klar: 1 svar importerade (1 med bedömning); nya omgångar: 2020." in page
