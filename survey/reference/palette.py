"""The colour of each maturity level: one scale for every chart, table and Excel sheet.

Read from survey/data/reference.toml (presentation, not database data), once per process;
the file is part of the package, so every worker reads the same.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from survey.reference.services import load_reference

#: Cells and bars without a level: "missing", never a level of the scale.
MISSING_COLOUR = "#f0f0f0"
MISSING_TEXT_COLOUR = "#333333"


@dataclass(frozen=True)
class LevelColour:
    level: int
    colour: str  # "#rrggbb"
    text_colour: str


@functools.cache
def level_colours() -> dict[int, LevelColour]:
    return {raw["level"]: LevelColour(raw["level"], raw["colour"], raw["text_colour"])
            for raw in load_reference()["maturity_levels"]}


def colour_for(level: int | None) -> str:
    return MISSING_COLOUR if level is None else level_colours()[level].colour


def text_colour_for(level: int | None) -> str:
    return MISSING_TEXT_COLOUR if level is None else level_colours()[level].text_colour
