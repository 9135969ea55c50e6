"""The old addresses of pages that moved. Until December 2026 the app's URLs were English;
now they are Swedish, like the interface. Bookmarks, links in mail already sent and scripts
still use the old ones, so each old rule answers 308 Permanent Redirect to its page's current
address, with the same path values and the query string as it came.

308, not 301: it keeps the method and the body, so a form posted to an old address reaches
its view, which checks the CSRF token and access as always. The redirect itself reads and
changes nothing, so it needs neither login nor a token.

A blueprint lists its own moved rules with `keep_old_urls` (old rule -> endpoint, "." for
the blueprint's own), after its routes: the redirects join the app when it is registered.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Flask, current_app, redirect, request, url_for

from survey.extensions import csrf

#: Endpoints of the redirecting rules start with this (tests find them by it).
ENDPOINT_PREFIX = "moved:"
_EXTENSION = "moved_urls"
#: What may stay as it is in a query string; anything else is percent-encoded (a client may
#: send raw bytes: the Location header must be ASCII).
_QUERY_SAFE = "=&;%+/?:@,$!*'()~-._"


def moved_view(**values):
    target = current_app.extensions[_EXTENSION][request.url_rule.rule]
    location = url_for(target, **values)
    if request.query_string:
        location += "?" + quote(request.query_string, safe=_QUERY_SAFE)
    return redirect(location, code=308)


def keep_old_urls(bp: Blueprint, moved: dict[str, str]) -> None:
    """Register each old rule of `moved` (a full path, as it was) to redirect to its endpoint
    when `bp` is registered. The old rule takes the methods of its endpoint's rule."""

    @bp.record_once
    def _register(state) -> None:
        for old_rule, endpoint in moved.items():
            target = bp.name + endpoint if endpoint.startswith(".") else endpoint
            _add(state.app, old_rule, target)


def _add(app: Flask, old_rule: str, target: str) -> None:
    rules = list(app.url_map.iter_rules(target)) if target in app.view_functions else []
    if not rules:
        raise LookupError(f"moved URL {old_rule} points to unknown endpoint {target}")
    methods = set().union(*(rule.methods for rule in rules)) - {"HEAD", "OPTIONS"}
    app.extensions.setdefault(_EXTENSION, {})[old_rule] = target
    app.add_url_rule(old_rule, endpoint=ENDPOINT_PREFIX + old_rule, view_func=moved_view,
                     methods=sorted(methods))
    csrf.exempt(moved_view)


def moved_targets(app: Flask) -> dict[str, str]:
    """Old rule -> the endpoint it redirects to."""
    return dict(app.extensions.get(_EXTENSION, {}))
