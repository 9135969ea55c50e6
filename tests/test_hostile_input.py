"""No input makes the app answer 500: a walk over every rule of app.url_map.

The walk (on SQLite and on PostgreSQL, like every database test) first calls each route
cleanly as every role, recording which query arguments and form fields the view reads (the
request's args and form record every key looked up) and which forms the pages carry (their
fields and default values, by the form's action). Then it sends hostile values:

* to each path parameter: 0, 2^31-1, 2^31, 2^63 and 400 nines (the int converter takes
  ASCII digits up to 2^31-1; the rest must be 404 before the view);
* to each query argument and form field the view reads, one at a time, with the page's
  other fields as the page sends them: every value of HOSTILE, and a 70 000-item list;
* to the JSON route (autosave): each field of the page with each hostile value as value,
  as version and as field name, a 100 000-deep array, and a 70 000-item list.

Every hostile value goes to every parameter for the role that gets furthest into the view
(the one whose clean call was not refused: for respondents' pages the owner, for staff
pages the admin or analyst). The other roles get the smaller set: every field of a form
at once per hostile value, and the path values. Skipped: `static` and `dashboards.static`
(Werkzeug's file serving, with no view of ours). Views that read the same set of query
arguments share one parser (the dashboards' DashboardFilter), so only the first of them gets
every value per argument; the others get the smaller set. The number of requests sent is printed in
the terminal summary.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from html.parser import HTMLParser

from flask import got_request_exception
from support.walks import HOSTILE_WALK_COUNTS, ROLES
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

from survey.inputs import (
    MAX_VALUES_PER_FIELD,
)
from survey.moved_urls import ENDPOINT_PREFIX

HOSTILE = ["\x00", "a\x00b", "\ud800", "\uffff", str(2**63), str(2**31), "-1", "²", "٣",
           "1e309", "9" * 400, "x" * 1_000_000]
#: Path values: 0 and 2^31-1 reach the view (lookups of ids that do not exist).
PATH_VALUES = ["0", str(2**31 - 1), str(2**31), str(2**63), "9" * 400]
HUGE_LIST = 70_000
#: The longest list a field may carry (survey.inputs): this many values reach the view.
LONGEST = MAX_VALUES_PER_FIELD
#: For the roles that get the smaller set: the 1 MB value goes to the thorough role only.
CHEAP = [value for value in HOSTILE if len(value) < 1000]
DEEP = 100_000

#: Routes that change who is logged in or close the world's round run last.
LAST = ("admin.round_open", "admin.round_close", "admin.round_copy", "admin.user_deactivate",
        "admin.user_activate", "agreement.publish", "agreement.unpublish",
        "agreement.results_public", "accounts.login", "accounts.logout")
#: Refusals: a role that gets one of these on the clean call does not reach the view.
REFUSED = {401, 403, 405}


def _skipped(endpoint: str) -> bool:
    # Werkzeug's send_from_directory, and the old addresses' redirects (test_moved_urls sends
    # them hostile paths and query strings): no view of ours reads the request.
    return (endpoint == "static" or endpoint.endswith(".static")
            or endpoint.startswith(ENDPOINT_PREFIX))


# --- recording what a view reads ---------------------------------------------------------

class _Recorder:
    keys: set[str] | None = None


class RecordingDict(ImmutableMultiDict):
    """args/form that note every key a view looks up."""

    def _note(self, key):
        if _Recorder.keys is not None and isinstance(key, str):
            _Recorder.keys.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        self._note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        self._note(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


def _recording(request_class):
    class RecordingRequest(request_class):
        @cached_property
        def args(self):
            return RecordingDict(super().args)

        def _load_form_data(self):
            super()._load_form_data()
            self.__dict__["form"] = RecordingDict(self.__dict__["form"])

    return RecordingRequest


# --- the forms of the pages ----------------------------------------------------------------

class FormParser(HTMLParser):
    """Each <form method=post>: its action and its fields with the values the page sends."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_value: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._fields = []
            self.forms.append((a.get("action") or "", self._fields))
        if tag == "option" and self._select and (self._select_value is None
                                                 or "selected" in a):
            self._select_value = a.get("value", "")
        if self._fields is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._fields.append((name, None))  # read, but not sent unless checked
            elif kind not in ("submit", "button", "file", "image"):
                self._fields.append((name, a.get("value") or ""))
            elif kind == "submit" and a.get("value"):
                self._fields.append((name, None))
        elif tag == "button" and a.get("value"):
            self._fields.append((name, None))
        elif tag == "textarea":
            self._textarea = name
            self._fields.append((name, ""))
        elif tag == "select":
            self._select, self._select_value = name, None

    def handle_data(self, data):
        if self._textarea and self._fields:
            name, text = self._fields[-1]
            self._fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select and self._fields is not None:
            self._fields.append((self._select, self._select_value or ""))
            self._select = None


def _forms(html: str, page: str) -> dict[str, list[tuple[str, str | None]]]:
    parser = FormParser()
    parser.feed(html)
    found = {}
    for action, fields in parser.forms:
        path = urllib.parse.urlsplit(urllib.parse.urljoin(page, action)).path
        found.setdefault(path, []).extend(fields)
    return found


# --- sending -------------------------------------------------------------------------------

class Walk:
    def __init__(self, app, browsers):
        self.app = app
        self.browsers = browsers
        self.requests = 0
        self.failures: list[str] = []
        self.address = 0

    def send(self, role, method, path, query=(), form=None, json_body=None, note=""):
        """One request; a 500 (or an exception) is recorded as a failure."""
        browser = self.browsers[role]
        self.requests += 1
        kwargs = {}
        if query:
            kwargs["query_string"] = urllib.parse.urlencode(
                list(query), doseq=True, errors="surrogatepass")
        if path == "/logga-in":  # a new address each time: the throttle must not stop the walk
            self.address += 1
            kwargs["environ_base"] = {"REMOTE_ADDR": f"10.{self.address // 65536 % 256}."
                                                     f"{self.address // 256 % 256}."
                                                     f"{self.address % 256}"}
        if method == "GET":
            reply = browser._send("get", path, **kwargs)
        elif json_body is not None:
            headers = {"X-CSRFToken": browser._ensure_token(), "Accept": "application/json",
                       "Content-Type": "application/json"}
            reply = browser._send("post", path, data=json_body, headers=headers, **kwargs)
        else:
            pairs = [("csrf_token", browser._ensure_token())] + [
                (name, value) for name, value in (form or []) if name != "csrf_token"]
            body = urllib.parse.urlencode(pairs, errors="surrogatepass")
            reply = browser._send("post", path, data=body,
                                  content_type="application/x-www-form-urlencoded", **kwargs)
        status = reply.status_code
        reply.close()
        if status >= 500:
            self.failures.append(f"{status}: {method} {path} as {role} {note}")
        return reply


def _short(value) -> str:
    text = repr(value)
    return text if len(text) < 40 else text[:30] + f"…({len(value)} chars)"


def _url(rule, ids, **override) -> str:
    """The rule's path with the world's ids, or raw values the converter may refuse."""
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", str(override.get(name, ids[name])))
    return path


def test_no_route_answers_500_to_hostile_input(app, world, browser_as, database_kind):
    started = time.monotonic()
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.request_class = _recording(app.request_class)
    errors: list[str] = []

    def note_exception(sender, exception, **extra):
        errors.append(f"{type(exception).__name__}: {str(exception)[:200]}")

    got_request_exception.connect(note_exception, app)
    browsers = {role: browser_as(role) for role in ROLES}
    walk = Walk(app, browsers)
    rules = [rule for rule in app.url_map.iter_rules() if not _skipped(rule.endpoint)]
    calls = sorted(
        ((rule.endpoint in LAST, LAST.index(rule.endpoint) if rule.endpoint in LAST else 0,
          method, rule.endpoint, rule)
         for rule in rules for method in sorted(rule.methods - {"HEAD", "OPTIONS"})),
        key=lambda call: call[:4])

    # 1. Clean pass: the pages' forms, and the keys each view reads, per role.
    forms: dict[str, dict[str, list]] = {role: {} for role in ROLES}
    reads: dict[tuple, set[str]] = {}
    reached: dict[tuple, list[str]] = {}
    for _, _, method, endpoint, rule in calls:
        if endpoint in LAST:
            continue
        path = _url(rule, world)
        for role in ROLES:
            _Recorder.keys = set()
            fields = [(n, v) for n, v in forms[role].get(path, []) if v is not None]
            reply = walk.send(role, method, path, form=fields,
                              json_body=b"{}" if endpoint == "responses.autosave" else None)
            reads[(endpoint, method, role)] = _Recorder.keys
            _Recorder.keys = None
            location = reply.headers.get("Location", "")
            if reply.status_code not in REFUSED and "/logga-in" not in location:
                reached.setdefault((endpoint, method), []).append(role)
            if method == "GET" and reply.status_code == 200 and reply.mimetype == "text/html":
                for action, fields in _forms(reply.get_data(as_text=True), path).items():
                    forms[role].setdefault(action, fields)

    # 2. Hostile pass.
    query_sets_walked: set[frozenset] = set()
    for _, _, method, endpoint, rule in calls:
        path = _url(rule, world)
        deep_roles = reached.get((endpoint, method)) or ["admin"]
        deep = "respondent_a" if "respondent_a" in deep_roles else deep_roles[-1]
        for role in ROLES:
            thorough = role == deep
            # Path parameters (the converter decides before any view or login check).
            if thorough or role == "anonymous":
                for name in rule.arguments:
                    for value in PATH_VALUES:
                        walk.send(role, method, _url(rule, world, **{name: value}),
                                  note=f"path {name}={_short(value)}")
            if endpoint == "responses.autosave":
                _hostile_json(walk, role, path, forms, thorough)
                continue
            page_fields = forms[role].get(path, []) or forms[deep].get(path, [])
            names = sorted({n for n, _ in page_fields}
                           | reads.get((endpoint, method, role), set())
                           | reads.get((endpoint, method, deep), set()))
            names = [n for n in names if n != "csrf_token"]
            base = [(n, v) for n, v in page_fields if v is not None and n != "csrf_token"]
            if method == "GET":
                query_names = sorted(reads.get((endpoint, method, role), set())
                                     | reads.get((endpoint, method, deep), set()))
                # Views reading the same arguments share their parser (the dashboards'
                # DashboardFilter): the first gets every value per argument, the rest the
                # smaller set.
                again = thorough and frozenset(query_names) in query_sets_walked
                if thorough and query_names:
                    query_sets_walked.add(frozenset(query_names))
                _hostile_query(walk, role, path, query_names, thorough and not again)
            else:
                _hostile_form(walk, role, method, path, names, base, thorough)

    got_request_exception.disconnect(note_exception, app)
    seconds = time.monotonic() - started
    HOSTILE_WALK_COUNTS[database_kind] = (walk.requests, seconds)
    print(f"hostile-input walk: {walk.requests} requests on {database_kind} in {seconds:.1f} s")
    problems = walk.failures + errors
    assert not problems, f"{len(problems)} of {walk.requests} requests failed:\n" + "\n".join(
        sorted(set(problems))[:80])


def _hostile_query(walk, role, path, names, thorough):
    if thorough:
        for name in names:
            for value in HOSTILE:
                walk.send(role, "GET", path, query=[(name, value)],
                          note=f"?{name}={_short(value)}")
            walk.send(role, "GET", path, query=[(name, str(i)) for i in range(LONGEST)],
                      note=f"?{name}= x {LONGEST}")
        if names:
            walk.send(role, "GET", path, query=[(names[0], "1")] * HUGE_LIST,
                      note=f"?{names[0]}= x {HUGE_LIST}")
    elif names:
        for value in CHEAP:
            walk.send(role, "GET", path, query=[(name, value) for name in names],
                      note=f"every argument={_short(value)}")


def _hostile_form(walk, role, method, path, names, base, thorough):
    def replaced(name, values):
        return [(n, v) for n, v in base if n != name] + [(name, value) for value in values]

    if thorough:
        for name in names:
            for value in HOSTILE:
                walk.send(role, method, path, form=replaced(name, [value]),
                          note=f"{name}={_short(value)}")
            walk.send(role, method, path, form=replaced(name, [str(i + 1)
                                                              for i in range(LONGEST)]),
                      note=f"{name} x {LONGEST}")
        if names:
            walk.send(role, method, path, form=replaced(names[0], ["1"] * HUGE_LIST),
                      note=f"{names[0]} x {HUGE_LIST}")
    for value in HOSTILE if thorough else CHEAP:
        walk.send(role, method, path, form=[(name, value) for name in names],
                  note=f"every field={_short(value)}")


def _hostile_json(walk, role, path, forms, thorough):
    """Autosave: the fields of the edit page, as the page's script names them."""
    names = {n for fields in forms["respondent_a"].values() for n, _ in fields}
    fields = sorted(n for n in names if n.startswith("answer-")) + sorted(
        "self-" + n.removeprefix("level-") for n in names if n.startswith("level-"))
    fields.append("rights-areas")
    values = HOSTILE + [2**63, -(2**63), 2**31, 1e308, [1] * 10, {"level": 2**63},
                        {"level": 1, "evidence": "a\x00b"}]
    for field in fields if thorough else fields[:1]:
        for value in values if thorough else CHEAP:
            for payload in ({"field": field, "value": value, "version": 0},
                            {"field": field, "value": [value], "version": 0},
                            {"field": field, "value": "text", "version": value}):
                walk.send(role, "POST", path, json_body=json.dumps(payload).encode(),
                          note=f"json {_short(payload)}")
        walk.send(role, "POST", path, note=f"json {field} list x {LONGEST}",
                  json_body=json.dumps({"field": field, "value": list(range(LONGEST)),
                                        "version": 0}).encode())
    for value in values if thorough else CHEAP:
        walk.send(role, "POST", path, note=f"json field={_short(value)}",
                  json_body=json.dumps({"field": value, "value": "x", "version": 0}).encode())
    walk.send(role, "POST", path, note=f"json list x {HUGE_LIST}", json_body=json.dumps(
        {"field": "rights-areas", "value": list(range(HUGE_LIST)), "version": 0}).encode())
    walk.send(role, "POST", path, json_body=b"[" * DEEP + b"]" * DEEP, note="deep array")
    walk.send(role, "POST", path, json_body=b'{"field": "\\ud800"}', note="surrogate")
    walk.send(role, "POST", path, json_body=b'{"version": 1' + b"0" * 5000 + b"}",
              note="5000-digit number")


def test_the_walk_reads_a_pages_form_as_a_browser_sends_it():
    html = ('<form method="post" action="/a"><input name="n" value="1">'
            '<input type="checkbox" name="c" value="2"><textarea name="t">hej</textarea>'
            '<select name="s"><option value="a">A</option><option value="b" selected>B</option>'
            '</select></form>')
    assert _forms(html, "http://localhost/page") == {
        "/a": [("n", "1"), ("c", None), ("t", "hej"), ("s", "b")]}
