"""Importing earlier rounds from xlsx: read the file safely, check every row, then write all
rows in one transaction, or nothing.

upload.py reads the untrusted file, rows.py checks the rows and write.py has the
responses created; the admin page and `flask --app survey import-xlsx` both call
`import_workbook`.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import IntegrityError

from exports.imports.rows import check_rows
from exports.imports.upload import ImportRefused, Limits, Problem, load_upload
from exports.imports.write import ImportResult, write_rows
from survey.accounts.models import User
from survey.extensions import db

__all__ = ["ImportRefused", "ImportResult", "Problem", "import_workbook"]


def import_workbook(filename: str, data: bytes, user: User) -> ImportResult:
    """Import the file's rows and commit; raises ImportRefused (nothing written) otherwise."""
    sheet = load_upload(filename, data, Limits.from_config(current_app.config))
    rows = check_rows(sheet)
    try:
        result = write_rows(rows, user)
        db.session.commit()
    except IntegrityError as error:
        # Another import (or a respondent) created one of the responses meanwhile.
        db.session.rollback()
        raise ImportRefused("Någon annan ändrade samma svar under importen. Inget importerades; "
                            "försök igen.") from error
    except Exception:
        db.session.rollback()
        raise
    return result
