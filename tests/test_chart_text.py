"""Texts from user data are shown literally in charts, never as plotly.js markup
(dashboards/charts.py: plot_text, escape_figure)."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest
from support.factories import make_assessment, submitted_response

from dashboards.charts import Chart, escape_figure, plot_text
from survey.accounts.models import Role
from survey.extensions import db

HOSTILE = '<a href="https://evil.example">X</a> <b>fet</b> & <span style="x">s</span>'
ESCAPED = ("&lt;a href=\"https://evil.example\"&gt;X&lt;/a&gt; &lt;b&gt;fet&lt;/b&gt; &amp; "
           "&lt;span style=\"x\"&gt;s&lt;/span&gt;")
_BLOCK = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


def chart_blocks(html: str) -> dict[str, dict]:
    """The figures of a page: each chart's JSON block, parsed."""
    return {name: json.loads(text) for name, text in _BLOCK.findall(html)}


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def test_plot_text_escapes_markup_but_keeps_line_breaks():
    assert plot_text(HOSTILE) == ESCAPED
    assert plot_text("Mål och<br>uppföljning") == "Mål och<br>uppföljning"
    assert plot_text("%{y}<br>x<extra></extra>", template=True) == "%{y}<br>x<extra></extra>"
    assert plot_text("<extra>") == "&lt;extra&gt;"


def test_every_text_of_a_figure_is_escaped_templates_keep_their_markup():
    figure = go.Figure(go.Bar(y=[HOSTILE], x=[1], name=HOSTILE, text=[HOSTILE],
                              customdata=[[HOSTILE, "/analys/x?a=1&b=2"]],
                              hovertemplate=f"{HOSTILE}<br>%{{y}}<extra></extra>"))
    figure.update_layout(title={"text": HOSTILE})
    figure.add_annotation(text=HOSTILE)
    figure.update_yaxes(ticktext=[HOSTILE], tickvals=[0])
    data = json.loads(str(Chart("c", "t", figure).json()))
    bar, layout = data["data"][0], data["layout"]
    for text in (bar["y"][0], bar["name"], bar["text"][0], bar["customdata"][0][0],
                 layout["title"]["text"], layout["annotations"][0]["text"],
                 layout["yaxis"]["ticktext"][0]):
        assert text == ESCAPED
    assert bar["hovertemplate"] == f"{ESCAPED}<br>%{{y}}<extra></extra>"
    assert bar["customdata"][0][1] == "/analys/x?a=1&amp;b=2"  # dashboards.js undoes &amp;
    assert escape_figure({"x": (HOSTILE,)}) == {"x": [ESCAPED]}


@pytest.fixture
def hostile_round(app, make_round, make_user, organisation):
    asn = organisation("ASN")
    asn.name = HOSTILE
    round_ = make_round(2024)
    user = make_user(Role.RESPONDENT, "ASN")
    response = submitted_response(round_, asn, user, {"MAL": 1})
    make_assessment(response, make_user(Role.ANALYST, None), 2)
    db.session.commit()
    return round_


@pytest.mark.parametrize("path", ["/analys/", "/analys/varmekarta"])
def test_organisation_name_with_markup_is_literal_in_the_charts(client, auth, hostile_round,
                                                                 path):
    auth.login_as("analyst", None)
    page = client.get(f"{path}?round={hostile_round.id}")
    assert page.status_code == 200
    figures = chart_blocks(page.get_data(as_text=True))
    texts = [text for figure in figures.values() for text in strings(figure)]
    assert any(ESCAPED in text for text in texts), "the name is in a chart"
    for text in texts:
        assert not re.search(r"<(a|b|i|span|sup|sub|em|s)\b", text, re.I), text
