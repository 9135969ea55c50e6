"""Excel exports and imports (openpyxl). Registered by the factory under /exports.

Its routes arrive with the Excel issue; until then the blueprint has no routes.
"""

from flask import Blueprint

bp = Blueprint("exports", __name__, template_folder="templates")
