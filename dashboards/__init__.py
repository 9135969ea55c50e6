"""Dashboards (Plotly pages). Registered by the factory under /dashboards.

Its pages arrive with the dashboards issue; until then the blueprint has no routes.
"""

from flask import Blueprint

bp = Blueprint("dashboards", __name__, template_folder="templates", static_folder="static")
