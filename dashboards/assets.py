"""plotly.js, served from the plotly package itself: nothing is loaded from a CDN."""

from __future__ import annotations

import functools
from pathlib import Path

import plotly
from flask import Response, request

from dashboards import bp
from survey.reference.palette import MISSING_COLOUR, MISSING_TEXT_COLOUR, level_colours

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@functools.cache
def _plotly_bytes() -> bytes:
    # Read once per process (4.8 MB): no file handle is left to a response.
    return PLOTLY_JS.read_bytes()


@bp.get("/plotly.min.js")
def plotly_js():
    # The file changes only with the plotly package; the page asks for ?v=<version>.
    reply = Response(_plotly_bytes(), mimetype="text/javascript")
    reply.cache_control.public = True
    reply.cache_control.max_age = 365 * 24 * 3600
    reply.set_etag(f"plotly-{plotly.__version__}")
    return reply.make_conditional(request)


def plotly_version() -> str:
    return plotly.__version__


@bp.get("/nivaer.css")
def levels_css():
    """The level colours as CSS classes for tables, from the same data as the charts."""
    rules = [f".level-{c.level} {{ background: {c.colour}; color: {c.text_colour}; }}"
             for c in level_colours().values()]
    rules.append(f".level-none {{ background: {MISSING_COLOUR}; color: {MISSING_TEXT_COLOUR}; }}")
    return Response("\n".join(rules) + "\n", mimetype="text/css",
                    headers={"Cache-Control": "public, max-age=3600"})
