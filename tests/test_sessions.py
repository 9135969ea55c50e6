"""Logging out ends the session on the server, not only in this browser."""

from support.clients import BrowserClient


def test_a_cookie_copied_before_logout_no_longer_works(app, client, auth):
    auth.login_as("respondent", "ASN")
    stolen = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value

    auth.logout()

    other = BrowserClient(app.test_client())
    other.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen, domain="localhost")
    page = other.get("/")
    assert page.status_code == 302
    assert "/logga-in" in page.headers["Location"]


def test_two_browsers_have_separate_logins(app, client, auth):
    auth.login_as("respondent", "ASN")
    stranger = BrowserClient(app.test_client())
    assert stranger.get("/").status_code == 302
    assert client.get("/").status_code == 200
