"""Rights areas: how many organisations address each rights area, per round (the rule of
what counts is in survey.analysis.rights); and how many assessed answers carry each barrier
and principle tag in the chosen round (survey.analysis.tags)."""

from __future__ import annotations

import plotly.graph_objects as go
from flask import render_template

from dashboards import bp
from dashboards.charts import (
    NEUTRAL,
    OUTLINE,
    Chart,
    base_layout,
    empty_chart,
    sv_count,
    sv_number,
)
from dashboards.context import page_context
from survey.accounts.access import analyst_required
from survey.analysis.rights import RightsAreaFigures, rights_area_figures
from survey.analysis.tags import TagCount, TagFigures, TagGroup, tag_figures
from survey.assessments.models import TagKind
from survey.security.headers import allow_chart_styles

#: Okabe–Ito colours with a marker symbol each, so the lines are told apart without colour.
AREA_STYLES = (("#0072b2", "circle"), ("#d55e00", "square"), ("#009e73", "diamond"),
               ("#cc79a7", "triangle-up"), ("#e69f00", "triangle-down"), ("#56b4e9", "x"),
               ("#000000", "star"), ("#999933", "cross"))


def percent_text(share: float | None) -> str:
    return "saknas" if share is None else f"{sv_number(100 * share, 0)} %"


def share_text(figures: RightsAreaFigures, round_id: int, area_id: int) -> str:
    found = figures.round(round_id)
    return percent_text(found.share(area_id) if found else None)


def count_bars(chart_id: str, title: str, bars: list[tuple[str, int, str]], base: int,
               base_label: str, left_margin: int) -> Chart:
    """Horizontal bars, one per (name, count, share text), on an axis of the `base`
    organisations the counts are out of ("av 12 med inskickat svar")."""
    figure = go.Figure(go.Bar(
        y=[name for name, _, _ in bars], x=[count for _, count, _ in bars], orientation="h",
        marker={"color": NEUTRAL, "line": OUTLINE},
        text=[f"{count} ({share})" for _, count, share in bars],
        textposition="outside", hovertemplate="%{y}: %{text}<extra></extra>"))
    figure.update_layout(base_layout(title, height=120 + 40 * len(bars), showlegend=False,
                                     margin={"l": left_margin, "r": 90, "t": 60, "b": 50}))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title=f"Organisationer (av {base} {base_label})",
                        range=[0, base * 1.15], gridcolor="#dddddd")
    return Chart(chart_id, title, figure)


def rounds_chart(figures: RightsAreaFigures) -> Chart:
    title = ("Andel av organisationerna med inskickat svar som tar upp varje "
             "rättighetsområde, per omgång")
    answered = [r for r in figures.rounds if r.submitted]
    if not answered:
        return empty_chart("areas-rounds", title)
    years = [str(r.year) for r in answered]
    figure = go.Figure()
    for number, area in enumerate(figures.areas):
        colour, symbol = AREA_STYLES[number % len(AREA_STYLES)]
        figure.add_trace(go.Scatter(
            x=years, y=[100 * r.share(area.id) for r in answered], name=area.name,
            mode="lines+markers", line={"color": colour, "width": 2},
            marker={"symbol": symbol, "size": 10, "color": colour},
            customdata=[[share_text(figures, r.round_id, area.id), r.counts.get(area.id, 0),
                         sv_count(r.submitted)] for r in answered],
            hovertemplate=(f"{area.name} %{{x}}: %{{customdata[0]}}"
                           "<br>%{customdata[1]} av %{customdata[2]}"
                           "<extra></extra>")))
    figure.update_layout(base_layout(title, height=500,
                                     legend={"orientation": "h", "y": -0.3}))
    figure.update_xaxes(type="category")
    figure.update_yaxes(title="Andel av organisationerna (%)", range=[0, 105],
                        gridcolor="#dddddd")
    return Chart("areas-rounds", title, figure)


def ranked_chart(figures: RightsAreaFigures, round_id: int, year: int) -> Chart:
    title = f"Rättighetsområden {year}: antal organisationer, flest först"
    ranked = figures.ranked(round_id)
    found = figures.round(round_id)
    if found is None or not found.submitted:
        return empty_chart("areas-ranked", title, "Inga inskickade svar i omgången.")
    bars = [(area.name, count, share_text(figures, round_id, area.id))
            for area, count in ranked]
    return count_bars("areas-ranked", title, bars, found.submitted, "med inskickat svar", 260)


#: The headings of the tag kinds (TagKind.label is the singular, for a cell).
TAG_HEADINGS = {TagKind.BARRIER: "Hinder", TagKind.PRINCIPLE: "Principer"}


def tag_share_text(figures: TagFigures, tag: TagCount) -> str:
    return percent_text(figures.share(tag))


def tags_chart(figures: TagFigures, group: TagGroup, year: int) -> Chart:
    """One kind's tags as horizontal bars: organisations whose assessed answer carries each."""
    heading = TAG_HEADINGS[group.kind]
    chart_id = f"tags-{group.kind.value}"
    title = f"{heading} {year}: antal organisationer vars bedömda svar har taggen, flest först"
    if not figures.assessed:
        return empty_chart(chart_id, title, "Inga inskickade svar med klar bedömning.")
    if not group.tagged:
        return empty_chart(chart_id, title,
                           f"Inget bedömt svar är taggat med {heading.lower()}.")
    bars = [(tag.name, tag.count, tag_share_text(figures, tag)) for tag in group.tags]
    return count_bars(chart_id, title, bars, figures.assessed, "med bedömt svar", 300)


@bp.get("/rattighetsomraden")
@analyst_required
@allow_chart_styles
def rights_areas():
    context = page_context()
    if context.round is None:
        return render_template("dashboards/no_rounds.html", context=context)
    figures = rights_area_figures(context.rounds, context.filters)
    tags = tag_figures(context.round, context.filters)
    charts = {
        "rounds": rounds_chart(figures),
        "ranked": ranked_chart(figures, context.round.id, context.round.year),
        **{f"tags-{group.kind.value}": tags_chart(tags, group, context.round.year)
           for group in tags.groups},
    }
    return render_template("dashboards/rights_areas.html", context=context, figures=figures,
                           chosen=figures.round(context.round.id),
                           ranked=figures.ranked(context.round.id), charts=charts, tags=tags,
                           tag_headings=TAG_HEADINGS)
