"""Error pages in Swedish, and JSON errors for the autosave calls."""

from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError

from survey.extensions import db, login_manager
from survey.inputs import InputRefused

NOT_LOGGED_IN = (
    "Du är inte inloggad (sessionen kan ha gått ut). Texten du skrev finns kvar nedan. "
    "Logga in i en ny flik och spara sedan på nytt."
)
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


def too_large_page():
    """The page for a request over MAX_CONTENT_LENGTH (the import page has its own)."""
    return _page(413, "För mycket data",
                 "Det du skickade var för stort. Korta texten eller filen och försök igen. "
                 "Texten finns kvar i webbläsaren om du går tillbaka.")


def register(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error):
        # InputRefused (survey.inputs) carries a Swedish message of its own.
        message = error.description if isinstance(error, InputRefused) \
            else "Begäran kunde inte tolkas. Försök igen."
        return _page(400, "Felaktig begäran", message)

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
        return too_large_page()

    @app.errorhandler(500)
    def server_error(error):
        # A failed flush leaves the session unusable until rolled back, and the page needs
        # it (current_user's organisation); the request's writes are discarded either way.
        db.session.rollback()
        return _page(500, "Något gick fel",
                     "Ett oväntat fel inträffade. Felet är loggat. Försök igen om en stund.")

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if wants_json():
            return jsonify(error="csrf", message=SESSION_EXPIRED), 400
        # A normal form post with a stale token: give the typed text back.
        return render_template("rescue.html", fields=rescued_fields(),
                               message=SESSION_EXPIRED), 400

    @login_manager.unauthorized_handler
    def unauthorized():
        # Script calls get JSON, form posts get their text back, pages go to the login.
        if wants_json():
            return jsonify(error="login", message=NOT_LOGGED_IN), 401
        if request.method == "POST" and request.form:
            return render_template("rescue.html", fields=rescued_fields(),
                                   message=NOT_LOGGED_IN), 401
        flash(login_manager.login_message, login_manager.login_message_category)
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("accounts.login", next=target))


def rescued_fields() -> list[tuple[str, str]]:
    """The posted fields worth giving back (everything but the CSRF token)."""
    return [(name, value) for name, value in request.form.items(multi=True)
            if name != "csrf_token"]
