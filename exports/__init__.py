"""Excel exports and imports (openpyxl): the annual-report annex, its CSV twin, one response
as a workbook, and the import of earlier rounds. Registered by the factory under /exports;
its commands (export-annex, import-xlsx) join `flask --app survey` at the top level."""

from flask import Blueprint

#: The media type of every .xlsx the package sends or offers to take in.
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

bp = Blueprint("exports", __name__, template_folder="templates", cli_group=None)

# The route and command modules register themselves on the blueprint.
from exports import annex_views, response_views  # noqa: E402, F401
from exports.imports import views as import_views  # noqa: E402, F401
