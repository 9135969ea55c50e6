"""Excel files for the import (/import): a workbook of rows, a row, the upload."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

URL = "/import"
HEADER = ["Organisation", "År", "Svar fråga 1", "Svar fråga 2", "Beslutsdatum", "Diarienummer",
          "MAL", "KUN", "KOM", "MET", "SAM", "KSP", "UPP"]
TEXT_1 = "Vi har en handlingsplan.\nUppföljning sker varje år."
TEXT_2 = "Resurserna är en utmaning."


def workbook_bytes(rows: list[list], header: list | None = None, sheet: str = "Svar") -> bytes:
    """An xlsx file (normal openpyxl) with the header row and the rows."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(HEADER if header is None else header)
    for row in rows:
        worksheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(org="ASN", year=2021, text1=TEXT_1, text2=TEXT_2, date=dt.date(2022, 2, 24),
        case="ASN-2022-17", *levels) -> list:
    return [org, year, text1, text2, date, case, *levels]


def upload(client, data: bytes, filename: str = "import.xlsx"):
    return client.post(URL, {"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")
