"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from survey.accounts.forms import LoginForm
from survey.accounts.services import LoginThrottled, attempt_login, end_sessions
from survey.audit.services import record
from survey.extensions import db
from survey.moved_urls import keep_old_urls
from survey.security.sessions import mark_login

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after login."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("pages.start")


@bp.route("/logga-in", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = attempt_login(form.email.data, form.password.data, request.remote_addr)
        except LoginThrottled as throttled:
            db.session.commit()
            form.form_errors.append(str(throttled))
            return render_template("accounts/login.html", form=form), 429
        if user is None:
            db.session.commit()
            form.form_errors.append("Fel e-postadress eller lösenord.")
        else:
            login_user(user)
            session.permanent = True
            mark_login()
            record("login.success", user=user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logga-ut")
@login_required
def logout():
    user = current_user._get_current_object()
    end_sessions(user)
    record("logout", user=user)
    db.session.commit()
    logout_user()
    flash("Du är utloggad.", "success")
    return redirect(url_for("accounts.login"))

# The English addresses these pages had until December 2026.
keep_old_urls(bp, {
    "/login": ".login",
    "/logout": ".logout",
})
