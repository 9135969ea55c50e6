"""What a request may carry, enforced where Flask parses it.

One place for each rule about user input:

* text: every form value, query value and JSON string (keys too, at any depth) loses the
  characters XML 1.0 forbids (`survey.text.remove_xml_illegal`); `input_was_cleaned()`
  says whether this request lost any, so a page that saves text can tell the user;
* query strings: longer than `MAX_QUERY_STRING` bytes are refused (400);
* lists: a form or query field repeated more than `MAX_VALUES_PER_FIELD` times, or a JSON
  array longer than that, is refused (400), so no query binds one parameter per value;
* JSON: nested deeper than `MAX_JSON_DEPTH`, integers outside `±MAX_ID` and non-finite
  numbers are refused (400), never a RecursionError or an overflow in the database;
* integers: `parse_int`/`parse_id` (and the form field `IntegerInput`) accept ASCII digits
  only ("²", "٣" and "1_000" are not numbers here, though `str.isdigit` and `int` think
  so), bounded by PostgreSQL's INTEGER; the `<int:...>` URL converter is `IdConverter`,
  with the same rule.
"""

from __future__ import annotations

import math
import re

from flask import Flask, Request, request
from flask import json as flask_json
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property
from wtforms import IntegerField

from survey.text import has_xml_illegal, remove_xml_illegal

#: The largest value of a PostgreSQL INTEGER column (ids, versions, levels, years).
MAX_ID = 2**31 - 1
#: No form has a field with more values (a round has tens of rights areas and tags).
MAX_VALUES_PER_FIELD = 1000
#: The deepest JSON any page of ours sends is 3 levels.
MAX_JSON_DEPTH = 32
#: Bytes of query string; gunicorn refuses a request line over 4 094 bytes before the app.
MAX_QUERY_STRING = 4094

CLEANED_MESSAGE = ("Otillåtna tecken (till exempel nolltecken) togs bort ur texten innan den "
                   "sparades.")
TOO_MANY_VALUES = ("Begäran innehöll för många värden i samma fält (högst "
                   f"{MAX_VALUES_PER_FIELD}). Inget sparades.")
BAD_JSON = "Det skickade innehållet kunde inte tolkas. Inget sparades."
TOO_LONG_URL = "Adressen är för lång. Gå tillbaka och försök igen med färre val."

_ASCII_NUMBER = re.compile(r"[0-9]{1,10}")


class InputRefused(BadRequest):
    """A request no page of ours sends; `description` is the Swedish message shown."""

    def __init__(self, message: str):
        super().__init__(description=message)


class JSONRefused(ValueError):
    """A JSON body that parses but breaks a rule (too deep, too long, a huge number)."""


def parse_int(value, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """`value` as an int when it is ASCII digits within [minimum, maximum], else None.

    Surrounding whitespace is allowed; signs, underscores, Unicode digits are not. An int
    (from JSON) is checked against the same bounds; a bool is not a number.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_NUMBER.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """A database id (1 … 2^31-1) from user input, or None."""
    return parse_int(value, minimum=1)


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits, at most PostgreSQL's INTEGER (else 404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class IntegerInput(IntegerField):
    """WTForms' IntegerField on `parse_int`: ASCII digits within the INTEGER range.

    WTForms' own takes "٣" and any size (NumberRange then fails with OverflowError).
    """

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        self.data = parse_int(valuelist[0])
        if self.data is None:
            raise ValueError("Ange ett heltal med siffrorna 0–9.")


def input_was_cleaned() -> bool:
    """Did this request's input lose characters XML 1.0 forbids?"""
    return bool(getattr(request, "xml_illegal_removed", False))


class CleanRequest(Request):
    """Flask's request with the rules above applied to args, form and JSON."""

    #: Set when cleaning removed characters from this request's input.
    xml_illegal_removed = False
    _json_provider = flask_json

    @cached_property
    def args(self) -> ImmutableMultiDict:
        try:
            if len(self.query_string) > MAX_QUERY_STRING:
                raise InputRefused(TOO_LONG_URL)
            return self._cleaned(super().args)
        except InputRefused:
            self.__dict__["args"] = ImmutableMultiDict()
            raise

    def _load_form_data(self) -> None:
        super()._load_form_data()
        try:
            self.__dict__["form"] = self._cleaned(self.__dict__["form"])
        except InputRefused:
            # Error pages read the form too (to give text back): give them nothing.
            self.__dict__["form"] = ImmutableMultiDict()
            raise

    def _cleaned(self, values: MultiDict) -> ImmutableMultiDict:
        dirty = False
        for key, items in values.lists():
            if len(items) > MAX_VALUES_PER_FIELD:
                raise InputRefused(TOO_MANY_VALUES)
            dirty = dirty or has_xml_illegal(key) or any(
                isinstance(item, str) and has_xml_illegal(item) for item in items)
        if not dirty:
            return values if isinstance(values, ImmutableMultiDict) \
                else ImmutableMultiDict(values)
        self.xml_illegal_removed = True
        return ImmutableMultiDict(
            (remove_xml_illegal(key), remove_xml_illegal(item) if isinstance(item, str)
             else item)
            for key, item in values.items(multi=True))

    @property
    def json_module(self):
        return _CleaningJSON(self, self._json_provider)

    @json_module.setter
    def json_module(self, provider) -> None:
        # The request context sets the app's JSON provider here.
        self._json_provider = provider

    def on_json_loading_failed(self, e: ValueError | None):
        if isinstance(e, JSONRefused):
            raise InputRefused(BAD_JSON)
        return super().on_json_loading_failed(e)

    def clean_json(self, value, depth: int = 0):
        """The parsed JSON with every string cleaned; JSONRefused when it breaks a rule."""
        if depth > MAX_JSON_DEPTH:
            raise JSONRefused("too deep")
        if isinstance(value, str):
            return self._clean_text(value)
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            if abs(value) > MAX_ID:
                raise JSONRefused("number out of range")
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise JSONRefused("number out of range")
            return value
        if len(value) > MAX_VALUES_PER_FIELD:
            raise JSONRefused("too long")
        if isinstance(value, list):
            return [self.clean_json(item, depth + 1) for item in value]
        return {self._clean_text(key): self.clean_json(item, depth + 1)
                for key, item in value.items()}

    def _clean_text(self, text: str) -> str:
        if not has_xml_illegal(text):
            return text
        self.xml_illegal_removed = True
        return remove_xml_illegal(text)


class _CleaningJSON:
    """What `Request.get_json` calls `json_module`: the app's loads, then the rules."""

    def __init__(self, owner: CleanRequest, provider):
        self.owner = owner
        self.provider = provider

    def loads(self, data):
        try:
            value = self.provider.loads(data)
        except RecursionError:
            raise JSONRefused("too deep") from None
        return self.owner.clean_json(value)

    def __getattr__(self, name):
        return getattr(self.provider, name)


def init_app(app: Flask) -> None:
    """Before any route is added: the converter binds when a rule is registered."""
    app.request_class = CleanRequest
    app.url_map.converters["int"] = IdConverter
