"""Swedish formatting of dates, times, numbers and amounts, as Jinja filters."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]
NBSP = "\u00a0"


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(STOCKHOLM)


def date_sv(value: dt.date | dt.datetime | None) -> str:
    """2024-03-05: ISO dates are the Swedish standard form."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return value.isoformat()


def date_long_sv(value: dt.date | None) -> str:
    """5 mars 2024."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def datetime_sv(value: dt.datetime | None) -> str:
    """2024-03-05 10:42, in Swedish time."""
    if value is None:
        return ""
    return local(value).strftime("%Y-%m-%d %H:%M")


def datetime_seconds_sv(value: dt.datetime | None) -> str:
    """2024-03-05 10:42:07, in Swedish time: where two events of a minute must differ."""
    if value is None:
        return ""
    return local(value).strftime("%Y-%m-%d %H:%M:%S")


def time_sv(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return local(value).strftime("%H:%M")


def number_sv(value: int | float | None, decimals: int = 0) -> str:
    """1 234 567 and 3,5: a no-break space groups thousands, a comma marks decimals."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def amount_sv(value: int | None) -> str:
    return "" if value is None else f"{number_sv(value)}{NBSP}kr"


def register(app: Flask) -> None:
    app.add_template_filter(date_sv, "date_sv")
    app.add_template_filter(date_long_sv, "date_long_sv")
    app.add_template_filter(datetime_sv, "datetime_sv")
    app.add_template_filter(datetime_seconds_sv, "datetime_seconds_sv")
    app.add_template_filter(time_sv, "time_sv")
    app.add_template_filter(number_sv, "number_sv")
    app.add_template_filter(amount_sv, "amount_sv")
