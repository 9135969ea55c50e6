"""Security headers on every response, through Flask-Talisman.

The Content-Security-Policy allows scripts, styles and images from the app's own origin
only: no inline <script>, no on…= handlers, no style="" attributes (templates keep to this;
tests/test_security_headers.py checks them). HSTS is sent over HTTPS (directly, or as told
by the proxy through X-Forwarded-Proto) and never in debug mode. HTTPS itself is the
proxy's job: force_https is off, the demo runs on http://127.0.0.1.

Every response but static files is `Cache-Control: no-store` (`no_store`): pages and
downloads carry answers, assessments and dashboards.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}

#: For pages that draw plotly.js charts: plotly.js injects its stylesheet as a <style>
#: element (plotly/plotly.js#7543), so these pages allow inline styles. Scripts stay 'self'.
CHART_CONTENT_SECURITY_POLICY = {**CONTENT_SECURITY_POLICY,
                                 "style-src": ["'self'", "'unsafe-inline'"]}

PERMISSIONS_POLICY = {
    "browsing-topics": "()",
    "camera": "()",
    "geolocation": "()",
    "microphone": "()",
    "payment": "()",
}


def init_app(app: Flask) -> None:
    # One Talisman per app: the object keeps a reference to its app.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=False,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        strict_transport_security=not app.debug,
        strict_transport_security_max_age=int(app.config["HSTS_MAX_AGE"]),
        strict_transport_security_include_subdomains=False,
        # The session cookie's flags are set in survey/config.py; Talisman would
        # otherwise rewrite SESSION_COOKIE_SECURE on every request.
        session_cookie_secure=False,
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.after_request(no_store)


def no_store(response: Response) -> Response:
    """`Cache-Control: no-store` on every response but static files.

    Pages show answer texts, assessments and dashboards, and downloads (xlsx, csv, the print
    view) hold them: no browser cache or proxy may keep a copy, and the back button after
    logout must not show them. Exempt: the static folders' files, and responses whose view
    declared them public (plotly.js, levels.css: the same for everybody, no user data).
    """
    endpoint = request.endpoint or ""
    if endpoint == "static" or endpoint.endswith(".static") or response.cache_control.public:
        return response
    response.headers["Cache-Control"] = "no-store"
    return response


def allow_chart_styles(view):
    """Give one view the chart policy (Talisman reads this attribute per request)."""
    view.talisman_view_options = {"content_security_policy": CHART_CONTENT_SECURITY_POLICY}
    return view
