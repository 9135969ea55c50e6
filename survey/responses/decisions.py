"""The decision date of a submission: one rule for every place a decision is entered.

A round asks about a year and is answered early the year after, so a board decision can
be from the round's year minus one at the earliest (round 2024: from 2023-01-01), and never
in the future.
"""

from __future__ import annotations

import datetime as dt

from survey.formatting import date_sv


def earliest_decision_date(round_year: int) -> dt.date:
    return dt.date(round_year - 1, 1, 1)


def decision_date_problem(decided: dt.date, round_year: int,
                          today: dt.date | None = None) -> str | None:
    """The Swedish message for a decision date the round does not accept, or None."""
    today = today or dt.date.today()
    if decided > today:
        return "Beslutsdatum kan inte ligga i framtiden."
    earliest = earliest_decision_date(round_year)
    if decided < earliest:
        return (f"Beslutsdatum kan inte ligga före {date_sv(earliest)} i omgången för "
                f"{round_year}.")
    return None
