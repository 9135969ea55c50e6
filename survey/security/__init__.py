"""Security plumbing: response headers, session timeouts, proxy headers, login throttling
and the password policy. `init_app` wires the request hooks into the app."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    from survey.security import headers, sessions

    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        # Trust X-Forwarded-For/-Proto from exactly this many proxies, so that
        # request.remote_addr is the client (login throttling) and is_secure is right.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    headers.init_app(app)
    sessions.init_app(app)
