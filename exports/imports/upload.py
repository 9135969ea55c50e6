"""Untrusted workbooks: check an uploaded file before openpyxl sees it, then read its rows.

An .xlsx file is a zip of XML parts, and every step of reading one can be abused: a renamed
.xlsm carries macros, a small zip can unpack to gigabytes (measured here: a 412 KB file
unpacked to 419 MB of XML), and a forged <dimension> can claim a million rows or columns.
So, in order: the size of the upload, the name, the first bytes (zip, or OLE2 for .xls),
the zip's directory (member count and declared unpacked size, which zipfile enforces when
it reads), the declared content type of the main part, and only then openpyxl, in
read-only mode, reading at most the configured number of rows and a fixed number of
columns. Anything that fails is an ImportRefused with a Swedish message for the user.

Text is bounded by what it costs in memory, not by what it costs in the zip: a 30 KB file
can refer to one 30 000-character shared string in every cell of 10 000 rows, 3.9 billion
characters once read. So the shared-string table (which openpyxl loads whole, before any
row) may not unpack to more than IMPORT_MAX_SHARED_STRINGS_BYTES, and while rows are read
the characters of every text cell are added up (a shared string counts each time it is
used, as every use can become a copy) and reading stops at IMPORT_MAX_TEXT_CHARS.
Error messages quote at most MAX_QUOTED characters of a cell and at most
MAX_PROBLEMS_SHOWN problems are kept; the rest are counted.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from defusedxml import ElementTree
from openpyxl import load_workbook

from exports import XLSX_MIMETYPE
from exports.layout import SHEET
from survey.formatting import number_sv

XLSX_MAIN = XLSX_MIMETYPE + ".main+xml"  # the workbook part inside the package
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_PROJECT = "application/vnd.ms-office.vbaProject"
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_CONTENT_TYPES = "[Content_Types].xml"
_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
ZIP_MAGIC = b"PK\x03\x04"
#: The compound file format of .xls (and of password-protected .xlsx).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Columns read per row; the template has 13 and the annex a few more. The sheet's own
#: <dimension> is not trusted for this (nor for the number of rows).
MAX_COLUMNS = 100
#: Characters of a cell an error message quotes (then "…"), and problems listed (then a
#: count of the rest): 200 short lines make a page of about 50 KB whatever the file holds.
MAX_QUOTED = 80
MAX_PROBLEMS_SHOWN = 200
#: A backstop for any message or column name built from the file.
_MAX_MESSAGE = 1000
#: Sizes are given as the config and README give them: 1 MB is 1024 × 1024 bytes.
MB = 1024 * 1024

NOT_XLSX = "Välj en Excel-arbetsbok (.xlsx)."
MACROS = ("Filen innehåller makron (.xlsm). Av säkerhetsskäl tas bara vanliga "
          "Excel-arbetsböcker (.xlsx) emot: spara filen som .xlsx och försök igen.")
OLD_FORMAT = ("Filen är i det äldre formatet .xls eller är lösenordsskyddad. Spara den som "
              "Excel-arbetsbok (.xlsx) utan lösenord och försök igen.")


@dataclass(frozen=True)
class Problem:
    """Why (part of) a file is refused: the Excel row and column header, when there are."""

    row: int | None
    column: str
    message: str

    def __post_init__(self) -> None:
        # The column may be a header from the file; the message quotes cells.
        object.__setattr__(self, "column", shown(self.column))
        object.__setattr__(self, "message", shown(self.message, _MAX_MESSAGE))

    def __str__(self) -> str:
        if self.row is None and not self.column:
            return self.message
        if self.row is None:
            return f"Kolumn {self.column}: {self.message}"
        return f"Rad {self.row}, kolumn {self.column}: {self.message}"


class ImportRefused(Exception):
    """The file is not imported; `problems` says why, in Swedish: the first
    MAX_PROBLEMS_SHOWN of `total` problems found."""

    def __init__(self, problems: list[Problem] | str, total: int | None = None):
        if isinstance(problems, str):
            problems = [Problem(None, "", problems)]
        self.problems = problems[:MAX_PROBLEMS_SHOWN]
        self.total = max(total or 0, len(problems))
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def more(self) -> int:
        """How many problems were found but are not listed."""
        return self.total - len(self.problems)

    def lines(self) -> list[str]:
        """The problems as lines of text, and how many more there are."""
        lines = [str(problem) for problem in self.problems]
        if self.more:
            lines.append(more_problems(self.more))
        return lines


def more_problems(count: int) -> str:
    return f"… och {number_sv(count)} fel till."


def shown(text: str, limit: int = MAX_QUOTED) -> str:
    """`text` as a message quotes it: at most `limit` characters, then "…"."""
    return text if len(text) <= limit else text[:limit] + "…"


def invalid(reason: str) -> ImportRefused:
    return ImportRefused(f"Ogiltig fil: {reason}")


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked: int
    max_members: int
    max_rows: int
    max_text: int = 50_000_000
    max_shared_strings: int = 20 * MB

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(config["IMPORT_MAX_BYTES"], config["IMPORT_MAX_UNPACKED_BYTES"],
                   config["IMPORT_MAX_ZIP_MEMBERS"], config["IMPORT_MAX_ROWS"],
                   config["IMPORT_MAX_TEXT_CHARS"], config["IMPORT_MAX_SHARED_STRINGS_BYTES"])

    @property
    def size_text(self) -> str:
        """The largest upload, as the page and the messages state it ("10 MB")."""
        return format_size(self.max_bytes)

    def too_large(self) -> ImportRefused:
        return ImportRefused(f"Filen är för stor: högst {self.size_text} tas emot.")

    def too_much_text(self) -> ImportRefused:
        return ImportRefused(
            f"Filen innehåller för mycket text: högst {number_sv(self.max_text)} tecken "
            "läses (en text som upprepas räknas varje gång den förekommer). Dela upp filen i "
            "flera filer.")


@dataclass(frozen=True)
class Sheet:
    """The header row and the data rows (Excel row number, values) of the sheet read."""

    header: list[str]
    rows: list[tuple[int, tuple]]


def format_size(size: int) -> str:
    """"10 MB" (10 × 1024 × 1024 bytes), "1,5 MB", or below one MB "1 000 byte"."""
    if size < MB:
        return f"{number_sv(size)} byte"
    megabytes = size / MB
    return f"{number_sv(megabytes, 0 if megabytes.is_integer() else 1)} MB"


def read_limited(stream: BinaryIO, limits: Limits) -> bytes:
    """The upload's bytes, refusing more than the limit without reading much past it."""
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise limits.too_large()
    if not data:
        raise ImportRefused("Filen är tom.")
    return data


def check_name(filename: str) -> None:
    name = (filename or "").strip().lower()
    if name.endswith((".xlsm", ".xltm")):
        raise ImportRefused(MACROS)
    if name.endswith(".xls"):
        raise ImportRefused(OLD_FORMAT)
    if not name.endswith(".xlsx"):
        raise ImportRefused(NOT_XLSX)


def check_package(data: bytes, limits: Limits) -> None:
    """Refuse anything but a plain .xlsx package of a sane unpacked size."""
    if data.startswith(OLE2_MAGIC):
        raise ImportRefused(OLD_FORMAT)
    if not data.startswith(ZIP_MAGIC):
        raise invalid("filen är inte en Excel-arbetsbok (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if len(members) > limits.max_members:
                raise invalid(f"filen består av fler än {limits.max_members} delar.")
            # zipfile never unpacks a member beyond its declared size (it stops and fails
            # the CRC check), so the declared sizes bound what openpyxl can unpack.
            if sum(member.file_size for member in members) > limits.max_unpacked:
                raise invalid(f"filen packas upp till mer än {format_size(limits.max_unpacked)}.")
            names = {member.filename.lower() for member in members}
            sizes = {member.filename: member.file_size for member in members}
            if any(name.endswith("vbaproject.bin") for name in names):
                raise ImportRefused(MACROS)
            if _CONTENT_TYPES.lower() not in names:
                raise invalid("filen är inte en Excel-arbetsbok (.xlsx).")
            types = ElementTree.fromstring(package.read(_CONTENT_TYPES))
    except ImportRefused:
        raise
    except Exception as error:  # zipfile, zlib and XML errors alike: a damaged file
        raise invalid("filen är skadad eller inte en Excel-arbetsbok (.xlsx).") from error
    declared = {element.get("ContentType", "") for element in types
                if element.tag in (f"{_TYPES_NS}Override", f"{_TYPES_NS}Default")}
    if XLSM_MAIN in declared or VBA_PROJECT in declared:
        raise ImportRefused(MACROS)
    if XLSX_MAIN not in declared:
        raise invalid("filen är inte en Excel-arbetsbok (.xlsx).")
    # openpyxl reads the shared-string table whole before the first row: 1–4 bytes of
    # memory per character and some 100 per string (the table's own name is declared here).
    tables = {element.get("PartName", "").lstrip("/") for element in types
              if element.tag == f"{_TYPES_NS}Override"
              and element.get("ContentType") == SHARED_STRINGS}
    if sum(sizes.get(name, 0) for name in tables) > limits.max_shared_strings:
        raise ImportRefused("Filen innehåller för mycket text: dess tabell med texter packas "
                            f"upp till mer än {format_size(limits.max_shared_strings)}. Dela "
                            "upp filen i flera filer.")


def read_sheet(data: bytes, limits: Limits) -> Sheet:
    """The rows of the sheet "Svar" (else the first sheet); the workbook is always closed."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise invalid("filen kunde inte läsas som en Excel-arbetsbok.") from error
    try:
        worksheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        return _rows(worksheet, limits)
    except ImportRefused:
        raise
    except Exception as error:
        raise invalid("bladet kunde inte läsas.") from error
    finally:
        workbook.close()


def _rows(worksheet, limits: Limits) -> Sheet:
    # Explicit bounds: the sheet's <dimension> may claim fewer rows than it has (rows would
    # be dropped) or a million (rows would be made up).
    header: list[str] | None = None
    rows: list[tuple[int, tuple]] = []
    text = 0  # characters of the text cells read so far, each use of a shared string counted
    _refuse_wide_rows(worksheet)
    last_row = limits.max_rows + 2  # header, the allowed rows, one more to notice excess
    for number, values in enumerate(worksheet.iter_rows(
            min_row=1, max_row=last_row, min_col=1, max_col=MAX_COLUMNS, values_only=True),
            start=1):
        if number > limits.max_rows + 1:
            raise ImportRefused(f"Filen har fler än {limits.max_rows:,} rader. Dela upp den i "
                                "flera filer.".replace(",", "\u00a0"))
        text += sum(len(value) for value in values if isinstance(value, str))
        if text > limits.max_text:
            raise limits.too_much_text()
        if header is None:
            header = _header(values)
        elif not all(_blank(value) for value in values):
            rows.append((number, values))
    return Sheet(header or [], rows)


def _refuse_wide_rows(worksheet) -> None:
    """Make reading refuse a row with a cell beyond MAX_COLUMNS instead of dropping it.

    The rows are read only up to MAX_COLUMNS (a row padded to a forged width of 16 384
    columns would cost memory for nothing), so the check looks at each row's parsed cells
    before openpyxl cuts them: its read-only sheet builds every row in `_get_row`.
    """
    build_row = worksheet._get_row

    def checked_row(row, min_col=1, max_col=None, values_only=False):
        if any(cell["column"] > MAX_COLUMNS for cell in row if cell["value"] is not None):
            raise ImportRefused(f"Filen har värden i fler än {MAX_COLUMNS} kolumner.")
        return build_row(row, min_col, max_col, values_only)

    worksheet._get_row = checked_row


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header(values: tuple) -> list[str]:
    cells = ["" if value is None else str(value).strip() for value in values]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def load_upload(filename: str, data: bytes, limits: Limits) -> Sheet:
    """Every check, then the rows: the one way an uploaded or given file is read."""
    if len(data) > limits.max_bytes:
        raise limits.too_large()
    check_name(filename)
    check_package(data, limits)
    return read_sheet(data, limits)
