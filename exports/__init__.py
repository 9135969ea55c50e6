"""Excel exports and imports (openpyxl): the annual-report annex, its CSV twin, one response
as a workbook, and the import of earlier rounds. Its pages are under /export and /import;
its commands (export-annex, import-xlsx) join `flask --app survey` at the top level."""

from flask import Blueprint

from survey.moved_urls import keep_old_urls

#: The media type of every .xlsx the package sends or offers to take in.
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

bp = Blueprint("exports", __name__, template_folder="templates", cli_group=None)

# The route and command modules register themselves on the blueprint.
from exports import annex_views, response_views  # noqa: E402, F401
from exports.imports import views as import_views  # noqa: E402, F401

# The English addresses these pages had until December 2026.
keep_old_urls(bp, {
    "/exports/annex/<int:round_id>.csv": ".annex_csv",
    "/exports/annex/<int:round_id>.xlsx": ".annex_xlsx",
    "/exports/import": ".import_upload",
    "/exports/import/template.xlsx": ".import_template",
    "/exports/responses/<int:response_id>.xlsx": ".response_xlsx",
})
