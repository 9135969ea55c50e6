"""What every chart shares: layout, the level colours, Swedish numbers, the empty chart, and
the JSON that the page's script hands to plotly.js.

A page builds its figures from the analysis dataclasses with plotly's graph objects; the
table under each chart is rendered from the same dataclass, so the numbers cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.colors import sample_colorscale

from survey.formatting import number_sv
from survey.reference.palette import level_colours

#: Nämnder and bolag (Okabe–Ito blue and vermilion: told apart with any colour vision).
KIND_COLOURS = {"namnd": "#0072b2", "bolag": "#d55e00"}
#: A neutral series colour where the level scale does not apply.
NEUTRAL = "#3b528b"
#: Outlines give light bars (level 4 is yellow) 3:1 contrast against the white page.
OUTLINE = {"color": "#333333", "width": 1}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass(frozen=True)
class Chart:
    """A chart on a page: its element id, its title (also the figure's), and the figure."""

    id: str
    title: str
    figure: go.Figure
    #: Set when there is nothing to draw: the page shows it as text too, not only inside the
    #: figure, where screen readers and searches in the page do not find it.
    empty_message: str | None = None

    def json(self) -> Markup:
        """The figure for a <script type="application/json"> block: every text in it made
        literal for plotly (`escape_figure`), and "<" escaped so that no text in the data
        can close the block."""
        figure = escape_figure(self.figure.to_dict())
        return Markup(pio.to_json(figure, validate=False).replace("<", "\\u003c"))


#: The only markup chart texts keep: the line breaks the pages put into labels and hover
#: texts, and the hover box's <extra> part (in templates only).
KEPT_TAGS = {"&lt;br&gt;": "<br>"}
KEPT_TEMPLATE_TAGS = {**KEPT_TAGS, "&lt;extra&gt;": "<extra>", "&lt;/extra&gt;": "</extra>"}


def plot_text(text: str, template: bool = False) -> str:
    """Text that plotly.js shows as typed.

    plotly.js reads its texts as a small HTML: <a href>, <b>, <i>, <sup>, <span style> …
    become live SVG links and markup. An organisation named `<a href="https://…">X</a>` would
    be a link in the chart. Escaped as HTML entities, plotly.js puts the characters back
    into a plain text node (svg_text_utils: tags are split off first, then entities are
    converted), so the name is shown literally. `<br>` stays a line break.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for escaped, tag in (KEPT_TEMPLATE_TAGS if template else KEPT_TAGS).items():
        text = text.replace(escaped, tag)
    return text


def escape_figure(node, template: bool = False):
    """Every string of a figure's dict through `plot_text`: data (x, y, text, customdata,
    names …) and layout (titles, annotations, tick texts) alike, so that no page can
    forget one. hovertemplate and texttemplate keep their <extra>."""
    if isinstance(node, str):
        return plot_text(node, template)
    if isinstance(node, dict):
        return {key: escape_figure(value, template or (key.endswith("template")
                                                       and key != "template"))
                for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [escape_figure(item, template) for item in node]
    if getattr(node, "dtype", None) is not None and node.dtype.kind in "OUS":
        return escape_figure(node.tolist(), template)  # a numpy array of texts
    return node


def base_layout(title: str, height: int = 380, **extra) -> dict:
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        "font": {"family": FONT, "size": 13, "color": "#1a1a1a"},
        "separators": ", ",  # decimal comma, space between thousands
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "y": -0.15},
        "template": "none",
    }
    layout.update(extra)
    return layout


def empty_chart(chart_id: str, title: str, message: str = "Inga uppgifter att visa.") -> Chart:
    figure = go.Figure(layout=base_layout(title, height=200))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper",
                          yref="paper", font={"size": 15})
    return Chart(chart_id, title, figure, empty_message=message)


def level_axis(**extra) -> dict:
    """A 0–4 axis with whole-level ticks."""
    return {"range": [0, 4.05], "tickvals": [0, 1, 2, 3, 4], "gridcolor": "#dddddd",
            "zeroline": False, **extra}


def level_colourscale() -> list[list]:
    """The level colours as a continuous scale from 0 to 4, for indices between levels."""
    colours = level_colours()
    top = max(colours)
    return [[level / top, colours[level].colour] for level in sorted(colours)]


def index_colours(values: list[float]) -> list[str]:
    """Colours for values between levels (indices, means), taken from the level scale."""
    return sample_colorscale(level_colourscale(), [min(max(v / 4, 0), 1) for v in values])


#: The true minus sign of Swedish typography (plotly's own tick labels use it too).
MINUS = "\u2212"


def sv_number(value: float | None, decimals: int = 1) -> str:
    """For hover texts and labels that plotly does not format itself: "1 234,5", "−0,42"
    (a no-break space between thousands, a true minus; never "−0,00")."""
    if value is None:
        return "saknas"
    text = number_sv(abs(value), decimals)
    return MINUS + text if value < 0 and text.strip("0,") else text


def sv_change(value: float | None, decimals: int = 2) -> str:
    """A change with its sign: "+1,00", "−0,42", "0,00"."""
    text = sv_number(value, decimals)
    return "+" + text if value is not None and value > 0 and text.strip("0,") else text


def sv_count(count: int, singular: str = "organisation", plural: str = "organisationer") -> str:
    """"1 organisation", "2 organisationer", "6 021 organisationer"."""
    return f"{number_sv(count)} {singular if count == 1 else plural}"


#: A kronor axis: whole kronor with a space between thousands ("200 000 kr"), never "200k".
KRONOR_AXIS = {"tickformat": ",d", "ticksuffix": "\u00a0kr", "separatethousands": True}

