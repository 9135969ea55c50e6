"""Small statistics over figures that the database has already aggregated."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence


def mean_from_counts(counts: Mapping[int, int]) -> float | None:
    """The mean level of a distribution {level: how many}; None when it is empty."""
    total = sum(counts.values())
    if not total:
        return None
    return sum(level * n for level, n in counts.items()) / total


def median_from_counts(counts: Mapping[int, int]) -> float | None:
    """The median of a distribution {level: how many} (the mean of the middle two if even)."""
    total = sum(counts.values())
    if not total:
        return None
    values = []
    for wanted in sorted({(total - 1) // 2, total // 2}):
        seen = 0
        for level in sorted(counts):
            seen += counts[level]
            if seen > wanted:
                values.append(level)
                break
    return sum(values) / len(values)


def quartiles(values: Sequence[float]) -> tuple[float, float, float] | None:
    """Lower quartile, median and upper quartile (inclusive method, as Excel's QUARTILE.INC).

    None for fewer than two values: one organisation has no quartiles to hide behind.
    """
    if len(values) < 2:
        return None
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None when it is undefined (fewer than three pairs, or no spread)."""
    if len(xs) < 3 or len(xs) != len(ys):
        return None
    try:
        r = statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        return None
    return None if math.isnan(r) else r


def quartiles_from_counts(counts: Mapping[int, int]) -> tuple[float, float, float] | None:
    """quartiles() of a distribution {level: how many}, without expanding it into a list.

    Same inclusive method and the same arithmetic as statistics.quantiles, so the result
    equals quartiles() of the expanded values; None for fewer than two values.
    """
    levels = sorted(level for level, n in counts.items() if n > 0)
    total = sum(counts[level] for level in levels)
    if total < 2:
        return None

    def value_at(position: int) -> int:
        seen = 0
        for level in levels:
            seen += counts[level]
            if seen > position:
                return level
        raise IndexError(position)

    m = total - 1
    result = []
    for i in range(1, 4):
        j, delta = divmod(i * m, 4)
        low = value_at(j)
        high = value_at(j + 1) if delta else low
        result.append((low * (4 - delta) + high * delta) / 4)
    return result[0], result[1], result[2]
