"""Error pages in Swedish, and JSON errors for the autosave calls."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

SESSION_EXPIRED = (
    "Din session har gått ut. Texten du skrev finns kvar. Logga in igen i en ny flik "
    "och spara sedan på nytt."
)


def wants_json() -> bool:
    """Autosave and other script calls ask for JSON; browsers navigating ask for HTML."""
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"
    ]


def _page(status: int, title: str, message: str):
    if wants_json():
        return jsonify(error=status, message=message), status
    return render_template("error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error):
        return _page(400, "Felaktig begäran", "Begäran kunde inte tolkas. Försök igen.")

    @app.errorhandler(403)
    def forbidden(error):
        return _page(403, "Åtkomst nekad", "Du har inte behörighet till den här sidan.")

    @app.errorhandler(404)
    def not_found(error):
        return _page(404, "Sidan finns inte", "Sidan du söker finns inte eller har flyttats.")

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _page(405, "Otillåten metod", "Sidan kan inte användas på det sättet.")

    @app.errorhandler(413)
    def too_large(error):
        return _page(413, "För mycket data",
                     "Det du skickade var för stort. Korta texten eller filen och försök igen. "
                     "Texten finns kvar i webbläsaren om du går tillbaka.")

    @app.errorhandler(500)
    def server_error(error):
        return _page(500, "Något gick fel",
                     "Ett oväntat fel inträffade. Felet är loggat. Försök igen om en stund.")

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if wants_json():
            return jsonify(error="csrf", message=SESSION_EXPIRED), 400
        # A normal form post with a stale token: give the typed text back.
        return render_template("rescue.html", fields=rescued_fields(),
                               message=SESSION_EXPIRED), 400


def rescued_fields() -> list[tuple[str, str]]:
    """The posted fields worth giving back (everything but the CSRF token)."""
    return [(name, value) for name, value in request.form.items(multi=True)
            if name != "csrf_token"]
