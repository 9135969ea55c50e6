"""The password policy (OWASP ASVS V2.1): length 12–128, no composition rules, common
passwords refused using the bundled list, case-insensitively; applied wherever passwords
are set (create-user, admin user creation, admin password reset)."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select
from support.clients import PASSWORD

from survey.accounts.models import User
from survey.accounts.services import password_problem
from survey.demo.build import DEMO_PASSWORD
from survey.extensions import db
from survey.security import passwords_policy

COMMON = "Lösenordet är för vanligt"


@pytest.mark.parametrize("password", [
    "a" * 11, "kort", "", "sommar2024", "malmö123",
])
def test_too_short_is_refused(password):
    assert password_problem(password) == "Lösenordet måste ha minst 12 tecken."


def test_length_limits():
    assert password_problem("x" * 128 + "y") == "Lösenordet får ha högst 128 tecken."
    assert password_problem("kx9-" * 32) is None  # 128 characters
    assert password_problem("tolv tecken!") is None  # exactly 12, with a space


@pytest.mark.parametrize("password", [
    "korv med bröd på stortorget",  # lower case only, spaces: no composition rules
    "sjuttiotre kaniner hoppar",
    "ÅÄÖåäö ÅÄÖåäö",
    "🌻🌻 solrosor i juli 🌻🌻",
    "ett lösenord med\ttab och \"citat\" <och> &tecken",
    DEMO_PASSWORD,  # the demo depends on it
    PASSWORD,       # the test suite's
])
def test_passphrases_and_any_characters_are_accepted(password):
    assert password_problem(password) is None


@pytest.mark.parametrize("password", [
    "qwerty123456", "QWERTY123456", "1q2w3e4r5t6y", "123qweasdzxc", "Välkommen2024",
    "LÖSENORD2024!", "malmöstad2024", "Hammarby2024", "mittlösenord1",
])
def test_common_passwords_are_refused_whatever_their_case(password):
    assert COMMON in (password_problem(password) or "")


def test_the_list_is_compared_after_unicode_normalisation():
    decomposed = unicodedata.normalize("NFD", "Lösenord2024!")
    assert decomposed != "Lösenord2024!"
    assert COMMON in password_problem(decomposed)


def test_the_bundled_list():
    text = passwords_policy.COMMON_PASSWORDS.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("zxcvbn" in line for line in header) and any("MIT" in line for line in header)
    words = passwords_policy.common_passwords()
    assert len(words) > 3000
    for swedish in ("sommar2024", "malmö123", "lösenord2024", "välkommen123"):
        assert swedish in words
    assert "password" in words and "123456" in words
    assert DEMO_PASSWORD.casefold() not in words
    assert all(word == word.casefold() for word in words)


def test_create_user_command_refuses_a_common_password(runner):
    result = runner.invoke(args=["create-user", "--email", "ny@malmo.se", "--name", "Ny",
                                 "--role", "analyst", "--password", "qwerty123456"])
    assert result.exit_code != 0 and COMMON in result.output
    assert db.session.scalar(select(User).filter_by(email="ny@malmo.se")) is None


def test_admin_cannot_create_a_user_with_a_common_password(client, auth):
    auth.login_as("admin", None)
    page = client.post("/admin/anvandare/ny", {"name": "Ny", "email": "ny@malmo.se",
                                            "role": "analyst", "organisation_id": "",
                                            "password": "Välkommen2024"})
    assert page.status_code == 200 and COMMON in page.get_data(as_text=True)
    assert db.session.scalar(select(User).filter_by(email="ny@malmo.se")) is None


def test_admin_cannot_reset_to_a_common_password(client, auth, make_user):
    target = make_user("respondent", "KN")
    old_hash = target.password_hash
    auth.login_as("admin", None)
    page = client.post(f"/admin/anvandare/{target.id}/losenord", {"password": "lösenord1234"})
    assert page.status_code == 200 and COMMON in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, target.id).password_hash == old_hash
    done = client.post(f"/admin/anvandare/{target.id}/losenord",
                       {"password": "tre ord som bara jag vet"})
    assert done.status_code == 302
