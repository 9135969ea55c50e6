"""Charts on a page, read from their `<script type="application/json">` blocks
(`dashboards/templates/dashboards/macros.html`)."""

from __future__ import annotations

import json
import re

_CHART_BLOCK = re.compile(
    r'<script type="application/json" id="(?P<id>[^"]+)-data">(?P<json>.*?)</script>', re.S)


def chart_figure(html: str, chart_id: str) -> dict:
    """The figure of one chart on the page.

    Read chart contents this way, never by searching the page's HTML: whether "å" arrives as
    "å" or as "\\u00e5" depends on the JSON engine plotly finds (json or orjson), not on us.
    """
    charts = {found["id"]: found["json"] for found in _CHART_BLOCK.finditer(html)}
    assert chart_id in charts, f"no chart {chart_id!r} on the page, only {sorted(charts)}"
    return json.loads(charts[chart_id])
