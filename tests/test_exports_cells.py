"""Every text cell of an export shows the text as typed: never a formula, never an error value,
never a crash on characters XML cannot hold, never cut at Excel's cell limit."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from exports.cells import (
    CELL_LIMIT,
    clean_text,
    continuation_header,
    split_for_cells,
    text_cell,
    text_cells,
    utf16_length,
)

DANGEROUS = ['=HYPERLINK("http://example.org","klicka")', "+46 40 34 10 00", "-1", "@SUM(A1)",
             "\tindraget", "\rretur", "#N/A", "#DIV/0!", "=1+1"]


def write_row(values_to_cells) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Svar")
    sheet.append(values_to_cells(sheet))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_text_that_looks_like_a_formula_or_an_error_stays_text():
    data = write_row(lambda sheet: [text_cell(sheet, value) for value in DANGEROUS])

    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert 't="e"' not in sheet_xml
    row = next(load_workbook(io.BytesIO(data)).active.iter_rows())
    assert [cell.value for cell in row] == [clean_text(v) for v in DANGEROUS]
    assert {cell.data_type for cell in row} == {"s"}
    starts_like_formula = [clean_text(v)[0] in "=+-@\t" for v in DANGEROUS]
    assert [cell.quotePrefix for cell in row] == starts_like_formula


def test_characters_xml_forbids_are_replaced_not_fatal():
    text = "Rad ett\x0bRad två\x0cSida två\x00\x01\x08\x1fslut"

    data = write_row(lambda sheet: [text_cell(sheet, text)])

    value = load_workbook(io.BytesIO(data)).active["A1"].value
    assert value == "Rad ett\nRad två\nSida tvåslut"


def test_tabs_line_breaks_and_leading_spaces_are_kept():
    text = "  indrag\tflik\nny rad  "
    data = write_row(lambda sheet: [text_cell(sheet, text), text_cell(sheet, "a\r\nb\rc")])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == text
    assert sheet["B1"].value == "a\nb\nc"  # Windows and old Mac line endings as one


def test_a_long_text_continues_in_the_next_cells_and_joins_back_whole():
    text = ("Mänskliga rättigheter i vardagen. " * 3000)[:CELL_LIMIT * 2 + 10]

    data = write_row(lambda sheet: text_cells(sheet, text, parts=4))

    row = [cell.value or "" for cell in next(load_workbook(io.BytesIO(data)).active.iter_rows())]
    assert [len(part) for part in row] == [CELL_LIMIT, CELL_LIMIT, 10, 0]
    assert "".join(row) == text


def test_parts_count_utf16_units_as_excel_does_and_never_split_a_character():
    text = "😀" * CELL_LIMIT  # each emoji is two UTF-16 units
    parts = split_for_cells(text)
    assert len(parts) == 3  # 16 383 emoji (32 766 units) fit in one cell
    assert all(utf16_length(part) <= CELL_LIMIT for part in parts)
    assert "".join(parts) == text


def test_too_few_cells_for_a_text_is_an_error_not_a_silent_cut():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    with pytest.raises(ValueError):
        text_cells(sheet, "x" * (CELL_LIMIT + 1), parts=1)


def test_continuation_headers_say_so():
    assert continuation_header("Svar fråga 1", 1) == "Svar fråga 1"
    assert continuation_header("Svar fråga 1", 3) == "Svar fråga 1 (fortsättning 2)"


#: Every character XML 1.0 forbids besides the C0 controls, and C1 controls it allows.
NONCHARACTERS = "Före\ufffe mitt\uffff efter"
LONE_SURROGATES = "hög\ud800 låg\udfff slut\ud83d"


@pytest.mark.parametrize(("text", "expected"), [
    (NONCHARACTERS, "Före\ufffd mitt\ufffd efter"),
    (LONE_SURROGATES, "hög\ufffd låg\ufffd slut\ufffd"),
    ("glad \ud83d\ude00 smiley", "glad \U0001F600 smiley"),  # a pair is the character
    ("C1 \x80\x85\x9f och DEL \x7f stannar", "C1 \x80\x85\x9f och DEL \x7f stannar"),
    ("\x00NUL\x01", "NUL"),
    ("privat \ue000 och astral \U0010fffd", "privat \ue000 och astral \U0010fffd"),
])
def test_clean_text_replaces_every_character_xml_forbids(text, expected):
    assert clean_text(text) == expected


def test_a_cell_with_noncharacters_or_lone_surrogates_reopens_with_the_rest_of_the_sheet():
    text = "Före\ufffe\uffff\ud800\udc00x\x00\x85\x9fefter"

    def row(sheet):
        return [text_cell(sheet, text), text_cell(sheet, "nästa cell")]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Svar")
    sheet.append(row(sheet))
    sheet.append([text_cell(sheet, "nästa rad")])
    out = io.BytesIO()
    workbook.save(out)

    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [[cell.value for cell in r] for r in sheet.iter_rows()] == [
        ["Före\ufffd\ufffd\U00010000x\x85\x9fefter", "nästa cell"], ["nästa rad", None]]


def test_the_csv_text_has_no_lone_surrogate_either():
    from exports.writer import csv_text

    assert csv_text("a\ud800b\ufffe").encode("utf-8") == "a\ufffdb\ufffd".encode()
