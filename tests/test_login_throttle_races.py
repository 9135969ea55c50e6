"""The login throttle under attack: parallel guesses, an unreachable Redis, and an attacker at
one address trying to lock the real user at another address out.

Everything goes through POST /logga-in, so these tests also run against older throttles (they
only rely on the configuration keys and on the HTTP answers).
"""

from __future__ import annotations

import logging
import re
import secrets
import threading

import pytest
from sqlalchemy import select
from support.clients import PASSWORD
from support.redis import redis_or_skip
from support.threads import run_in_threads

from survey.accounts import passwords, services
from survey.audit.models import AuditEvent
from survey.extensions import db

MESSAGE = "För många misslyckade inloggningar. Vänta en stund och försök igen."
WRONG = "fel-lösenord-men-långt"
EMAIL = "respondent-asn@example.org"
REDIS_URL = "redis://127.0.0.1:6379/15"
UNUSED_REDIS_URL = "redis://127.0.0.1:1/0"
ATTEMPTS = 40
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def login(client, email, password=WRONG, address="192.0.2.10"):
    return client.post("/logga-in", {"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def refused(reply) -> bool:
    return reply.status_code == 429 and MESSAGE in reply.get_data(as_text=True)


def wrong(reply) -> bool:
    return reply.status_code == 200 and "Fel e-postadress eller lösenord." in \
        reply.get_data(as_text=True)


class Verifications:
    """Counts password checks (the real and the dummy one), from any thread."""

    def __init__(self, monkeypatch, pause: float = 0.0):
        self.count = 0
        self._lock = threading.Lock()
        original = passwords.verify_password

        def counting(password_hash, password):
            with self._lock:
                self.count += 1
            if pause:
                threading.Event().wait(pause)  # an Argon2 check takes a while in production
            return original(password_hash, password)

        # services imported the function by name; burn_time calls it in passwords.
        monkeypatch.setattr(passwords, "verify_password", counting)
        monkeypatch.setattr(services, "verify_password", counting)




@pytest.fixture
def redis_counters(app):
    """The app counts in Redis, under a key prefix of its own (deleted afterwards)."""
    redis_client = redis_or_skip(REDIS_URL)
    prefix = f"mr-test-{secrets.token_hex(6)}:"
    app.config.update(REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=prefix)
    app.extensions.pop("login_throttle", None)
    yield prefix
    for key in redis_client.scan_iter(match=prefix + "*"):
        redis_client.delete(key)
    redis_client.close()


@pytest.fixture(params=["database", "redis"])
def backend(request, app):
    """The app's throttle counters: in the database, or in Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_counters")
    return request.param


def _parallel_logins(app, count: int, address_of, password_of) -> list[int]:
    """`count` browsers post the login form at the same moment; their HTTP statuses."""
    statuses: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(count)

    def browser(index: int):
        try:
            with app.app_context():
                client = app.test_client()
                page = client.get("/logga-in").get_data(as_text=True)
                token = _TOKEN.search(page).group(1)
                barrier.wait(timeout=60)
                reply = client.post("/logga-in", data={
                    "email": EMAIL, "password": password_of(index), "csrf_token": token,
                }, environ_base={"REMOTE_ADDR": address_of(index)})
                with lock:
                    statuses.append(reply.status_code)
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - anything here fails the test
            barrier.abort()
            with lock:
                errors.append(repr(exc))

    run_in_threads(browser, count, timeout=180, hangs="a login hangs")
    assert errors == []
    return statuses


def test_parallel_guesses_get_no_more_password_checks_than_the_limit(app, make_user, backend,
                                                                      monkeypatch):
    make_user("respondent", "ASN")
    db.session.close()  # hold no transaction while the browsers log in
    checks = Verifications(monkeypatch, pause=0.05)
    limit = app.config["LOGIN_ACCOUNT_FAILURE_LIMIT"]

    statuses = _parallel_logins(app, ATTEMPTS, lambda i: "192.0.2.10", lambda i: WRONG)

    print(f"\n{backend}/{db.engine.dialect.name}: {ATTEMPTS} parallel attempts, "
          f"{checks.count} password checks (limit {limit})")
    assert checks.count <= limit
    assert set(statuses) <= {200, 429}
    assert statuses.count(200) == checks.count
    # Every checked guess was recorded as a failure; the refused ones were not. (The count is
    # read before the login below, whose own password check would add one.)
    checked = checks.count
    reply = login(_browser(app), EMAIL, PASSWORD)
    assert refused(reply) if checked == limit else reply.status_code == 302


def test_parallel_guesses_from_many_addresses_are_bounded_too(app, make_user, backend,
                                                              monkeypatch):
    """Each address gets its own allowance, but every guess is counted: 40 parallel guesses
    from 8 addresses check at most 5 per address."""
    make_user("respondent", "ASN")
    db.session.close()
    checks = Verifications(monkeypatch)
    limit = app.config["LOGIN_ACCOUNT_FAILURE_LIMIT"]

    statuses = _parallel_logins(app, ATTEMPTS, lambda i: f"192.0.2.{100 + i % 8}",
                                lambda i: WRONG)

    assert checks.count <= 8 * limit
    assert statuses.count(200) == checks.count


def _browser(app):
    from support.clients import BrowserClient

    return BrowserClient(app.test_client())


def test_an_unreachable_redis_falls_back_to_the_database_counters(app, make_user, caplog,
                                                                   monkeypatch):
    app.config.update(REDIS_URL=UNUSED_REDIS_URL)
    app.extensions.pop("login_throttle", None)
    make_user("respondent", "ASN")
    client = _browser(app)
    checks = Verifications(monkeypatch)
    limit = app.config["LOGIN_ACCOUNT_FAILURE_LIMIT"]
    with caplog.at_level(logging.ERROR):
        for _ in range(limit):
            assert wrong(login(client, EMAIL))
        assert refused(login(client, EMAIL, PASSWORD))
        assert refused(login(client, EMAIL))
    assert checks.count == limit
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR
              and "Login throttle" in r.getMessage()]
    assert len(errors) == 1  # once per incident, not once per login


def test_redis_failing_after_the_reservation_neither_fails_open_nor_500s(
        app, make_user, redis_counters, monkeypatch):
    import redis

    make_user("respondent", "ASN")
    client = _browser(app)
    limit = app.config["LOGIN_ACCOUNT_FAILURE_LIMIT"]
    for _ in range(limit):
        assert wrong(login(client, EMAIL))
    counter = app.extensions["login_throttle"]
    real_pipeline = counter.client.pipeline
    calls = {"n": 0}

    def flaky_pipeline(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 1:  # the reservation works, what follows it fails
            raise redis.ConnectionError("connection lost")
        return real_pipeline(*args, **kwargs)

    monkeypatch.setattr(counter.client, "pipeline", flaky_pipeline)
    monkeypatch.setattr(counter.client, "delete", flaky_pipeline)
    monkeypatch.setattr(counter.client, "zrem", flaky_pipeline)
    assert refused(login(client, EMAIL, PASSWORD))
    calls["n"] = 10  # now every Redis call fails: the database counts from here
    for _ in range(limit):
        assert wrong(login(client, EMAIL, address="192.0.2.55"))
    assert refused(login(client, EMAIL, PASSWORD, address="192.0.2.55"))


def test_an_attacker_elsewhere_does_not_lock_the_user_out(app, make_user, backend):
    make_user("respondent", "ASN")
    attacker, user = _browser(app), _browser(app)
    results = [login(attacker, EMAIL, address="10.0.0.9") for _ in range(20)]
    assert all(wrong(r) or refused(r) for r in results)
    assert refused(results[-1])
    # The attacker's address is held back even with the right password ...
    assert refused(login(attacker, EMAIL, PASSWORD, address="10.0.0.9"))
    # ... the real user, at an address without failures, gets in.
    assert login(user, EMAIL, PASSWORD, address="10.0.0.7").status_code == 302
    # Logging in does not free the attacker's address.
    assert refused(login(attacker, EMAIL, PASSWORD, address="10.0.0.9"))
    throttled = db.session.scalars(select(AuditEvent).filter_by(action="login.throttled"))
    assert len(list(throttled)) >= 2


def test_guesses_spread_over_many_addresses_slow_down_addresses_that_failed(app, make_user,
                                                                           backend):
    """Distributed guessing: once the account has many failures from all addresses together,
    each address that has failed on it is held back; an address without failures is not."""
    make_user("respondent", "ASN")
    client = _browser(app)
    wide = app.config.get("LOGIN_ACCOUNT_WIDE_FAILURE_LIMIT", 20)
    for number in range(wide):
        assert wrong(login(client, EMAIL, address=f"10.1.0.{number + 1}"))
    assert refused(login(client, EMAIL, PASSWORD, address="10.1.0.1"))
    assert login(client, EMAIL, PASSWORD, address="10.0.0.7").status_code == 302


def test_the_address_limit_blocks_only_that_address(app, make_user, backend):
    make_user("respondent", "ASN")
    make_user("respondent", "ASN", email="kollega@example.org")
    client = _browser(app)
    limit = app.config["LOGIN_IP_FAILURE_LIMIT"]
    for number in range(limit):
        assert wrong(login(client, f"gissning-{number}@example.org", address="198.51.100.7"))
    assert refused(login(client, EMAIL, PASSWORD, address="198.51.100.7"))
    assert refused(login(client, "kollega@example.org", PASSWORD, address="198.51.100.7"))
    assert login(_browser(app), EMAIL, PASSWORD, address="198.51.100.8").status_code == 302
    assert login(_browser(app), "kollega@example.org", PASSWORD,
                 address="198.51.100.9").status_code == 302
