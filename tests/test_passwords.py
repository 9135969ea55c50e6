"""Passwords: Argon2id, rehashed on login when the cost parameters change."""

from sqlalchemy import select
from support.clients import PASSWORD

from survey.accounts.models import User
from survey.extensions import db


def test_passwords_are_hashed_with_argon2id(make_user):
    user = make_user("respondent", "ASN")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_login_rehashes_when_the_parameters_change(app, client, make_user):
    user = make_user("analyst", None)
    old_hash = user.password_hash
    app.config["ARGON2_TIME_COST"] = 2

    assert client.post("/logga-in", {"email": user.email, "password": PASSWORD}).status_code == 302

    refreshed = db.session.scalar(select(User).filter_by(id=user.id))
    assert refreshed.password_hash != old_hash
    assert "t=2" in refreshed.password_hash


def test_unknown_and_known_addresses_get_the_same_message(client, make_user):
    make_user("respondent", "ASN")
    unknown = client.post("/logga-in", {"email": "finns-inte@example.org", "password": "x" * 14})
    wrong = client.post("/logga-in", {"email": "respondent-asn@example.org", "password": "x" * 14})
    assert unknown.status_code == wrong.status_code == 200
    for page in (unknown, wrong):
        assert "Fel e-postadress eller lösenord." in page.get_data(as_text=True)


def test_a_deactivated_user_cannot_log_in(client, make_user):
    user = make_user("respondent", "ASN")
    user.active = False
    db.session.commit()
    page = client.post("/logga-in", {"email": user.email, "password": PASSWORD})
    assert page.status_code == 200
    assert "Fel e-postadress eller lösenord." in page.get_data(as_text=True)
