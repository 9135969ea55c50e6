"""Hostile import files through the admin import page (finding 3 of issue 12): a small xlsx
that references one huge shared string in every cell must not make a huge error page or a
huge worker, and odd cell values get a Swedish message, never a 500.

Memory is measured two ways while the request runs: the peak of Python's own allocations
(tracemalloc, precise and repeatable) and, where Linux lets the process reset it, the growth
of the peak resident set size (/proc/self/clear_refs, VmHWM), which also sees C allocations.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tracemalloc
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select
from support.workbooks import HEADER, row, upload, workbook_bytes

from exports.imports.upload import MAX_PROBLEMS_SHOWN, MAX_QUOTED
from survey.accounts.models import Role
from survey.extensions import db
from survey.responses.models import Response

HUGE = 30_000
MB = 1024 * 1024
#: Limits the finding sets: the page and the worker's growth while handling it.
MAX_PAGE = 1 * MB
MAX_GROWTH = 100 * MB
TOO_MUCH_TEXT = "Filen innehåller för mycket text"


def shared_strings_workbook(rows: list[list]) -> bytes:
    """A minimal xlsx, as Excel writes it: every text in one shared-string table, each
    distinct text once, the cells referring to it by index. (openpyxl 3.1 writes inline
    strings, which the unpacked-size limit already bounds.)"""
    strings: dict[str, int] = {}
    cells = []
    for number, values in enumerate(rows, start=1):
        row_xml = []
        for column, value in enumerate(values):
            ref = f"{get_column_letter(column + 1)}{number}"
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                row_xml.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
            else:
                row_xml.append(f'<c r="{ref}"><v>{value}</v></c>')
        cells.append(f'<row r="{number}">{"".join(row_xml)}</row>')
    width = max(len(values) for values in rows)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Svar" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><dimension ref="A1:{get_column_letter(width)}'
            f'{len(rows)}"/><sheetData>{"".join(cells)}</sheetData></worksheet>'),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings) + "</sst>"),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content.encode())
    return out.getvalue()


def hostile_bytes(rows: int) -> bytes:
    """The header, then `rows` rows with the same 30 000-character text in every cell: one
    shared string, so the file stays small (tens of kilobytes)."""
    text = ("Långt svar " * (HUGE // 11 + 1))[:HUGE]
    return shared_strings_workbook([HEADER] + [[text] * len(HEADER)] * rows)


@pytest.fixture(scope="module")
def hostile():
    """The hostile files by row count, built once per module (10 000 rows take seconds)."""
    return {rows: hostile_bytes(rows) for rows in (1_000, 10_000)}


def _rss_kb(field: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else None


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        return False
    return True


def measured(send):
    """(reply, Python allocation peak, peak RSS growth or None) of `send()`."""
    rss_known = _reset_peak_rss() and _rss_kb("VmRSS") is not None
    before = _rss_kb("VmRSS") if rss_known else None
    tracemalloc.start()
    try:
        reply = send()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    growth = (_rss_kb("VmHWM") - before) * 1024 if rss_known else None
    return reply, peak, growth


def imported() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


@pytest.fixture
def admin(auth):
    return auth.login_as(Role.ADMIN, None)


@pytest.mark.parametrize("rows", [1_000, 10_000])
def test_one_huge_shared_string_everywhere_is_refused_cheaply(client, admin, hostile, rows):
    data = hostile[rows]
    assert len(data) < 500_000
    reply, peak, growth = measured(lambda: upload(client, data))
    page = reply.get_data(as_text=True)
    print(f"{rows} rows: page {len(reply.get_data()):,} bytes, Python peak {peak / MB:.1f} MB, "
          f"RSS growth {growth / MB if growth is not None else float('nan'):.1f} MB")
    assert len(reply.get_data()) < MAX_PAGE
    assert peak < MAX_GROWTH, f"Python allocations peaked at {peak / MB:.0f} MB"
    if growth is not None:
        assert growth < MAX_GROWTH, f"RSS grew by {growth / MB:.0f} MB"
    assert reply.status_code == 200
    assert "Filen importerades inte" in page
    assert TOO_MUCH_TEXT in page
    assert imported() == 0


def test_the_error_list_and_each_quoted_value_are_capped(app, client, admin, hostile):
    # With the text limit out of the way, every row has errors in every column.
    app.config["IMPORT_MAX_TEXT_CHARS"] = 10**12
    reply, peak, growth = measured(lambda: upload(client, hostile[1_000]))
    page = reply.get_data(as_text=True)
    print(f"text limit off: page {len(reply.get_data()):,} bytes, Python peak "
          f"{peak / MB:.1f} MB, RSS growth "
          f"{growth / MB if growth is not None else float('nan'):.1f} MB")
    assert len(reply.get_data()) < MAX_PAGE
    assert reply.status_code == 200
    assert peak < MAX_GROWTH, f"Python allocations peaked at {peak / MB:.0f} MB"
    if growth is not None:
        assert growth < MAX_GROWTH, f"RSS grew by {growth / MB:.0f} MB"
    assert page.count("<tr><td>") == MAX_PROBLEMS_SHOWN
    more = re.search(r"… och ([\d\u00a0]+) fel till", page)
    assert more, page[-3000:]
    total = re.search(r"([\d\u00a0]+) fel hittades", page)
    assert int(total.group(1).replace("\u00a0", "")) == \
        MAX_PROBLEMS_SHOWN + int(more.group(1).replace("\u00a0", ""))
    quoted = re.findall(r"”([^”]*)”", page)
    assert quoted and max(len(text) for text in quoted) <= MAX_QUOTED + 1
    assert any(text.endswith("…") for text in quoted)
    assert imported() == 0


def test_cli_caps_the_error_list_too(app, runner, make_user, hostile, tmp_path):
    app.config["IMPORT_MAX_TEXT_CHARS"] = 10**12
    make_user(Role.ADMIN, None)
    path = tmp_path / "fientlig.xlsx"
    path.write_bytes(hostile[1_000])
    result = runner.invoke(args=["import-xlsx", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(result.output) < MAX_PAGE
    assert lines[0] == "Filen fientlig.xlsx importerades inte:"
    assert re.fullmatch(r"… och [\d\u00a0]+ fel till\.", lines[-1])
    assert len(lines) == MAX_PROBLEMS_SHOWN + 2


def test_the_text_limit_is_checked_while_rows_are_read(app, client, admin):
    # Twelve rows of 30 000 characters in four text cells each: 1.44 million characters.
    app.config["IMPORT_MAX_TEXT_CHARS"] = 1_000_000
    text = "x" * HUGE
    data = workbook_bytes([[text, text, text, text] for _ in range(12)])
    page = upload(client, data).get_data(as_text=True)
    assert f"{TOO_MUCH_TEXT}: högst 1\u00a0000\u00a0000 tecken" in page


def test_a_shared_string_table_over_the_text_limit_is_refused_before_it_is_read(
        app, client, admin):
    app.config["IMPORT_MAX_SHARED_STRINGS_BYTES"] = 100_000
    # One row, one cell: few references, but a table of 200 000 characters (and bytes).
    data = shared_strings_workbook([HEADER, row("ASN", 2021, "x" * 200_000, "y", "2022-02-24")])
    page = upload(client, data).get_data(as_text=True)
    assert f"{TOO_MUCH_TEXT}: dess tabell med texter packas upp till mer än 100\u00a0000 " \
        "byte." in page
    assert imported() == 0


def test_a_real_round_fits_the_default_text_limit(app):
    # 30 organisations × 10 answers × 100 000 characters, the most a round can hold.
    assert app.config["IMPORT_MAX_TEXT_CHARS"] >= 30 * 10 * app.config["MAX_ANSWER_LENGTH"]


# --- odd values: a Swedish message, never a 500 -----------------------------------------

SHEET_XML = "xl/worksheets/sheet1.xml"


def _replace_in_sheet(data: bytes, old: bytes, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in (SHEET_XML, "xl/sharedStrings.xml"):
                content = content.replace(old, new)
            target.writestr(info.filename, content)
    return out.getvalue()


def _huge_cell(**values) -> bytes:
    return _replace_in_sheet(workbook_bytes([row(**values)]), b"MARK", "ä".encode() * 10**6)


def _wide() -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes([row()])))
    workbook["Svar"].cell(row=2, column=16_384, value="längst ut")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


HOSTILE_VALUES = {
    # NUL cannot be written into XML; Excel's own escape for it is _x0000_.
    "nul-escaped": (lambda: _replace_in_sheet(workbook_bytes([row(text1="före MARK efter")]),
                                              b"MARK", b"_x0000_"), None),
    "nul-raw": (lambda: _replace_in_sheet(workbook_bytes([row(text1="före MARK efter")]),
                                          b"MARK", b"\x00"), "Ogiltig fil"),
    # openpyxl cuts what it writes at Excel's 32 767 characters; the XML has no such limit.
    "million-characters-organisation": (lambda: _huge_cell(org="MARK"),
                                        "Okänd organisation"),
    "million-characters-answer": (lambda: _huge_cell(text1="MARK"),
                                  "högst 100\u00a0000 tecken"),
    "16384-columns": (_wide, "Filen har värden i fler än 100 kolumner."),
    "year-1e308": (lambda: workbook_bytes([row(year=1e308)]), "är inget giltigt år"),
    "level-1e308": (lambda: workbook_bytes([row("ASN", 2021, "a", "b", dt.date(2022, 2, 24),
                                                "ASN-2022-17", 1e308)]),
                    "Nivån ska vara ett heltal 0–4"),
    "level-minus-1e308": (lambda: workbook_bytes([row("ASN", 2021, "a", "b",
                                                      dt.date(2022, 2, 24), "ASN-2022-17",
                                                      -1e308)]),
                          "Nivån ska vara ett heltal 0–4"),
    "year-infinity": (lambda: _replace_in_sheet(workbook_bytes([row(year=12345)]),
                                                b"<v>12345</v>", b"<v>inf</v>"),
                      None),
    "date-9999": (lambda: workbook_bytes([row(date=dt.date(9999, 12, 31))]),
                  "Beslutsdatum kan inte ligga i framtiden."),
    "date-serial-past-9999": (lambda: _replace_in_sheet(
        workbook_bytes([row(date=dt.date(2022, 2, 24))]), b"<v>44616</v>", b"<v>1e300</v>"),
        None),
    "superscript-year": (lambda: workbook_bytes([row(year="²⁰²⁴")]), "är inget giltigt år"),
    "arabic-indic-year": (lambda: workbook_bytes([row(year="٢٠٢١")]), "är inget giltigt år"),
    "formulas": (lambda: workbook_bytes([row(org="=A1&A1", year="=1990+31",
                                             text1='=HYPERLINK("http://x","y")',
                                             case="=2+2")]), None),
}


@pytest.mark.parametrize("case", list(HOSTILE_VALUES))
def test_hostile_values_get_a_swedish_message_not_a_500(client, admin, case):
    build, message = HOSTILE_VALUES[case]
    reply = upload(client, build())
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200, page[:2000]
    assert len(reply.get_data()) < MAX_PAGE
    assert "Filen importerades inte" in page or "Importen är klar" in page
    if message:
        assert message in page
    assert "\x00" not in page
