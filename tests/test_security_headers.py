"""Security headers on every kind of page, and templates that a strict CSP does not break."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.answering import start

from survey import create_app

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "survey" / "templates", ROOT / "dashboards" / "templates",
                 ROOT / "exports" / "templates"]
STATIC_JS = [ROOT / "survey" / "static", ROOT / "dashboards" / "static"]

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def _csp(reply) -> dict[str, str]:
    policy = reply.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:])
            for part in (p.strip() for p in policy.split(";")) if part}


def _assert_headers(reply, url):
    assert _csp(reply) == EXPECTED_CSP, url
    assert reply.headers["X-Content-Type-Options"] == "nosniff", url
    assert reply.headers["X-Frame-Options"] == "DENY", url
    assert reply.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")


def test_headers_on_pages_of_every_kind(client, auth, make_round):
    pages = ["/logga-in", "/tillganglighet", "/static/css/app.css", "/finns-inte"]
    for url in pages:
        reply = client.get(url)
        _assert_headers(reply, url)
        reply.close()  # the static file
    auth.login_as("respondent", "ASN")
    round_ = make_round()
    rid = start(client, round_)
    for url in ["/", f"/svar/{rid}", f"/svar/{rid}/visa", f"/svar/{rid}/utskrift"]:
        reply = client.get(url)
        assert reply.status_code == 200, url
        _assert_headers(reply, url)
    autosave = client.post_json(f"/svar/{rid}/autospara", {})
    _assert_headers(autosave, "autosave")
    auth.logout()
    auth.login_as("admin", None)
    for url in [f"/status/omgangar/{round_.id}", "/admin/", "/admin/logg"]:
        _assert_headers(client.get(url), url)


def test_hsts_over_https_but_not_over_plain_http(app, client):
    assert "Strict-Transport-Security" not in client.get("/logga-in").headers
    secure = app.test_client().get("/logga-in", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    proxied = app.test_client().get("/logga-in", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in proxied.headers


def test_no_hsts_in_debug_mode(tmp_path):
    debug_app = create_app({"TESTING": True, "DEBUG": True, "SECRET_KEY": "x" * 40,
                            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'debug.sqlite'}"})
    reply = debug_app.test_client().get("/logga-in", base_url="https://localhost")
    assert "Strict-Transport-Security" not in reply.headers
    assert "Content-Security-Policy" in reply.headers


def test_plain_http_is_not_redirected_to_https(client):
    # TLS ends at the proxy; the demo runs on http://127.0.0.1.
    assert client.get("/logga-in").status_code == 200


def _templates() -> list[Path]:
    return sorted(p for folder in TEMPLATE_DIRS if folder.exists() for p in folder.rglob("*.html"))


SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_nothing_the_csp_would_block(template):
    text = template.read_text(encoding="utf-8")
    for attributes, body in SCRIPT.findall(text):
        if 'type="application/json"' in attributes:
            continue  # a data block (the dashboards' figures): never executed, CSP allows it
        assert "src=" in attributes and not body.strip(), f"inline <script> in {template}"
    assert not HANDLER.search(text), f"inline event handler (on…=) in {template}"
    assert not STYLE_ATTRIBUTE.search(text), f'style="" attribute in {template}'
    assert not STYLE_ELEMENT.search(text), f"<style> element in {template}"
    assert not JAVASCRIPT_URL.search(text), f"javascript: URL in {template}"


def test_the_template_check_sees_the_templates():
    names = {p.name for p in _templates()}
    assert {"base.html", "edit.html", "login.html"} <= names


def _scripts() -> list[Path]:
    return sorted(p for folder in STATIC_JS if folder.exists() for p in folder.rglob("*.js")
                  if not p.name.endswith(".min.js"))


@pytest.mark.parametrize("script", _scripts(), ids=lambda p: str(p.relative_to(ROOT)))
def test_own_scripts_need_no_unsafe_eval_or_inline_styles(script):
    text = script.read_text(encoding="utf-8")
    assert not re.search(r"\beval\s*\(|new\s+Function\s*\(", text), script
    assert not re.search(r"setAttribute\(\s*[\"'](style|on[a-z]+)[\"']", text), script
    assert not re.search(r"\.on[a-z]+\s*=\s*[\"']", text), script  # handler code as a string
