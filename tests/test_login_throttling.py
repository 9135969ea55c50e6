"""Login throttling: per account and per address, a growing but bounded delay, the same
answer for unknown accounts, counters in the database or in Redis."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import pytest
from sqlalchemy import func, select
from support.clients import PASSWORD, BrowserClient
from support.redis import redis_or_skip

from survey import create_app
from survey.accounts.models import Role
from survey.accounts.services import create_user
from survey.audit.models import AuditEvent
from survey.database import utcnow
from survey.extensions import db
from survey.organisations.services import by_short_name
from survey.provisioning import seed_all
from survey.security import throttling
from survey.security.models import LoginFailure

MESSAGE = "För många misslyckade inloggningar. Vänta en stund och försök igen."
WRONG = "fel-lösenord-men-långt"
EMAIL = "respondent-asn@example.org"


class Clock:
    def __init__(self, monkeypatch):
        self.offset = dt.timedelta(0)
        monkeypatch.setattr(throttling, "utcnow", lambda: utcnow() + self.offset)

    def advance(self, **delta):
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def login(client, email, password=WRONG, address="192.0.2.10"):
    return client.post("/logga-in", {"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def refused(reply) -> bool:
    return reply.status_code == 429 and MESSAGE in reply.get_data(as_text=True)


def fail(client, email, times, address="192.0.2.10"):
    for _ in range(times):
        reply = login(client, email, address=address)
        assert reply.status_code == 200
        assert "Fel e-postadress eller lösenord." in reply.get_data(as_text=True)


def actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(action=name)))


def test_five_failures_hold_the_account_back_even_with_the_right_password(client, make_user,
                                                                         clock):
    user = make_user("respondent", "ASN")
    fail(client, EMAIL, 5)
    reply = login(client, EMAIL, PASSWORD)
    assert refused(reply)
    assert "Fel e-postadress" not in reply.get_data(as_text=True)
    throttled = actions("login.throttled")
    assert len(throttled) == 1 and throttled[0].user_id == user.id
    assert PASSWORD not in throttled[0].detail and EMAIL not in throttled[0].detail
    assert len(actions("login.failure")) == 5
    clock.advance(seconds=61)  # the first delay is one minute
    assert login(client, EMAIL, PASSWORD).status_code == 302


def test_the_delay_doubles_and_is_never_permanent(client, make_user, clock):
    make_user("respondent", "ASN")
    fail(client, EMAIL, 5)
    clock.advance(seconds=61)
    fail(client, EMAIL, 1)  # the sixth failure: two minutes
    clock.advance(seconds=61)
    assert refused(login(client, EMAIL, PASSWORD))
    clock.advance(seconds=60)
    fail(client, EMAIL, 1)  # the seventh: four minutes
    clock.advance(minutes=3)
    assert refused(login(client, EMAIL, PASSWORD))
    clock.advance(minutes=1, seconds=1)
    assert login(client, EMAIL, PASSWORD).status_code == 302


def test_the_delay_is_capped_at_fifteen_minutes(app):
    rules = throttling.policy()
    assert [rules.delay(n, 5) for n in (5, 6, 7, 8, 9)] == [60, 120, 240, 480, 900]
    assert rules.delay(1000, 5) == 900
    assert rules.window == 900


def test_past_enough_failures_the_delay_no_longer_changes(app):
    rules = throttling.policy()
    assert rules.enough(5) == 9  # 60, 120, 240, 480, then the maximum
    assert all(rules.delay(n, 5) == rules.delay(9, 5) == 900 for n in range(9, 100))
    assert rules.enough(0) == 1  # a counter that is off: only whether there is any


def test_a_full_counter_is_read_only_as_far_as_it_decides_the_wait(app):
    rules = throttling.policy()
    key = throttling.address_key("198.51.100.99")
    now = utcnow()
    db.session.add_all(LoginFailure(key=key, at=now - dt.timedelta(seconds=seconds))
                       for seconds in range(1, 61))
    db.session.commit()
    enough = rules.enough(rules.ip_limit)

    token, seen = throttling.DatabaseCounter().reserve([key], now, rules.window,
                                                       {key: enough})

    assert seen[key] == throttling.Seen(enough, now - dt.timedelta(seconds=1))
    assert rules.delay(seen[key].count, rules.ip_limit) == rules.delay(60, rules.ip_limit)
    assert throttling.DatabaseCounter().failures(key, now - dt.timedelta(minutes=15)) == \
        (61, now)  # the diagnostic count is whole, this attempt's entry included


def test_failures_older_than_the_window_no_longer_count(client, make_user, clock):
    make_user("respondent", "ASN")
    fail(client, EMAIL, 4)
    clock.advance(minutes=15, seconds=1)
    fail(client, EMAIL, 4)  # 8 in all, but only 4 in the last 15 minutes
    assert login(client, EMAIL, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_accounts_counter(client, make_user):
    make_user("respondent", "ASN")
    fail(client, EMAIL, 4)
    assert login(client, EMAIL, PASSWORD).status_code == 302
    auth_client = BrowserClient(client.client.application.test_client())
    fail(auth_client, EMAIL, 4)
    assert login(auth_client, EMAIL, PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_hold_that_address_back(client, make_user):
    make_user("respondent", "ASN")
    for number in range(20):
        fail(client, f"gissning-{number}@example.org", 1, address="198.51.100.7")
    assert refused(login(client, EMAIL, PASSWORD, address="198.51.100.7"))
    assert login(client, EMAIL, PASSWORD, address="198.51.100.8").status_code == 302


def _comparable(reply, email) -> tuple[int, str]:
    text = reply.get_data(as_text=True).replace(email, "EMAIL")
    return reply.status_code, re.sub(r'(name="csrf-token" content=|value=)"[^"]*"', "", text)


def test_unknown_accounts_are_throttled_the_same_way(client, make_user):
    make_user("respondent", "ASN")
    unknown = "finns-inte@example.org"
    known_pages, unknown_pages = [], []
    for _ in range(6):
        known_pages.append(_comparable(login(client, EMAIL), EMAIL))
        unknown_pages.append(_comparable(login(client, unknown), unknown))
    assert known_pages == unknown_pages
    assert [status for status, _ in known_pages] == [200] * 5 + [429]
    assert MESSAGE in known_pages[-1][1]
    throttled = actions("login.throttled")
    assert len(throttled) == 2


def test_failures_are_stored_as_keyed_hashes_and_pruned(client, make_user, clock):
    make_user("respondent", "ASN")
    db.session.add(LoginFailure(key="0" * 64, at=utcnow() - dt.timedelta(hours=1)))
    db.session.commit()
    fail(client, EMAIL, 1, address="203.0.113.9")
    keys = list(db.session.scalars(select(LoginFailure.key)))
    assert "0" * 64 not in keys  # older than the window: deleted on the next failure
    assert len(keys) == 3  # the account from this address, the account, the address
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)
    assert not any("asn" in key or "203.0" in key for key in keys)
    assert login(client, EMAIL, PASSWORD).status_code == 302  # from another address
    # Cleared: the account's. Kept: the address's, and the account's from that address.
    assert set(db.session.scalars(select(LoginFailure.key))) == {
        throttling.address_key("203.0.113.9"),
        throttling.account_address_key(EMAIL, "203.0.113.9")}
    assert login(client, EMAIL, PASSWORD, address="203.0.113.9").status_code == 302
    assert list(db.session.scalars(select(LoginFailure.key))) == [
        throttling.address_key("203.0.113.9")]


# --- the Redis backend ---------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/0"




def _own_app(tmp_path, **extra):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'redis.sqlite'}",
        "SERVER_NAME": "localhost", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1, **extra,
    })
    return app


@pytest.fixture
def redis_app(tmp_path):
    redis_client = redis_or_skip(REDIS_URL)
    prefix = f"mr-test-{secrets.token_hex(6)}:"
    app = _own_app(tmp_path, REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=prefix)
    with app.app_context():
        db.create_all()
        seed_all()
        create_user(EMAIL, "Svarande", PASSWORD, Role.RESPONDENT, by_short_name("ASN").id)
        db.session.commit()
        yield app, redis_client, prefix
        for key in redis_client.scan_iter(match=prefix + "*"):
            redis_client.delete(key)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    redis_client.close()


def test_redis_backend_throttles_and_clears(redis_app, clock):
    app, redis_client, prefix = redis_app
    client = BrowserClient(app.test_client())
    assert isinstance(throttling.counter(), throttling.RedisCounter)
    fail(client, EMAIL, 5)
    assert db.session.scalar(select(func.count(LoginFailure.id))) == 0  # not in the database
    keys = list(redis_client.scan_iter(match=prefix + "*"))
    assert len(keys) == 3 and all(0 < redis_client.ttl(key) <= 960 for key in keys)
    assert refused(login(client, EMAIL, PASSWORD))
    assert login(client, "finns-inte@example.org", address="192.0.2.99").status_code == 200
    clock.advance(seconds=61)
    assert login(client, EMAIL, PASSWORD).status_code == 302
    for cleared in (throttling.account_key(EMAIL),
                    throttling.account_address_key(EMAIL, "192.0.2.10")):
        assert not redis_client.exists(prefix + "login-failures:" + cleared)
    assert redis_client.exists(prefix + "login-failures:" + throttling.address_key("192.0.2.10"))


def test_redis_backend_is_shared_between_app_instances(redis_app, tmp_path):
    # Two gunicorn workers are two app objects with one Redis.
    app, _, prefix = redis_app
    fail(BrowserClient(app.test_client()), EMAIL, 3)
    other = _own_app(tmp_path, REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=prefix)
    with other.app_context():
        count, latest = throttling.counter().failures(
            throttling.account_key(EMAIL), utcnow() - dt.timedelta(minutes=15))
    assert count == 3 and latest is not None


def test_unreachable_redis_does_not_stop_logins(tmp_path, caplog):
    app = _own_app(tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        db.create_all()
        seed_all()
        create_user(EMAIL, "Svarande", PASSWORD, Role.RESPONDENT, by_short_name("ASN").id)
        db.session.commit()
        client = BrowserClient(app.test_client())
        fail(client, EMAIL, 1)
        assert login(client, EMAIL, PASSWORD).status_code == 302
        assert "Login throttle unavailable" in caplog.text
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


# --- client addresses behind a proxy ---------------------------------------------------------

def test_a_forged_forwarded_for_header_does_not_evade_the_address_limit(client, make_user):
    # Without PROXY_COUNT the app trusts no X-Forwarded-For: the connection's address counts.
    make_user("respondent", "ASN")
    for number in range(20):
        reply = client.post("/logga-in", {"email": f"gissning-{number}@example.org",
                                       "password": WRONG},
                            environ_base={"REMOTE_ADDR": "198.51.100.7"},
                            headers={"X-Forwarded-For": f"203.0.113.{number}"})
        assert reply.status_code == 200
    assert refused(login(client, EMAIL, PASSWORD, address="198.51.100.7"))


def test_behind_a_proxy_the_forwarded_client_address_counts(tmp_path):
    app = _own_app(tmp_path, PROXY_COUNT=1)
    with app.app_context():
        db.create_all()
        seed_all()
        create_user(EMAIL, "Svarande", PASSWORD, Role.RESPONDENT, by_short_name("ASN").id)
        db.session.commit()
        client = BrowserClient(app.test_client())

        def via_proxy(email, password, client_address):
            return client.post("/logga-in", {"email": email, "password": password},
                               environ_base={"REMOTE_ADDR": "10.0.0.1"},
                               headers={"X-Forwarded-For": client_address})

        for number in range(20):
            assert via_proxy(f"gissning-{number}@example.org", WRONG,
                             "203.0.113.5").status_code == 200
        assert refused(via_proxy(EMAIL, PASSWORD, "203.0.113.5"))
        assert via_proxy(EMAIL, PASSWORD, "203.0.113.6").status_code == 302
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
