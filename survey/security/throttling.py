"""Login throttling per account and per client address, shared by all workers.

Failed logins are counted within a window (default 15 minutes). Once an account has
LOGIN_ACCOUNT_FAILURE_LIMIT failures (default 5), or an address LOGIN_IP_FAILURE_LIMIT
(default 20), further attempts are refused until a delay has passed since the latest
failure: the base delay (1 minute), doubled for every failure past the limit, at most the
maximum (15 minutes). Failures older than the window no longer count, so there is never a
permanent lockout. Refused attempts are not checked against the password and do not count.
Unknown addresses are counted like known ones and get the same message: the throttle does
not reveal which accounts exist. A successful login clears the account's counter (not the
address's).

Counters live in the database (table login_failure) by default, or in Redis when REDIS_URL
is set (the `redis` package is then needed). Flask-Limiter/limits was not used: it limits
requests rather than counting failures that a success clears, and has no SQL storage, so
every deployment would need Redis or Memcached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, select

from survey.database import utcnow
from survey.extensions import db
from survey.security.models import LoginFailure
from survey.security.sessions import seconds

MESSAGE = "För många misslyckade inloggningar. Vänta en stund och försök igen."


@dataclass(frozen=True)
class Policy:
    window: int
    account_limit: int
    ip_limit: int
    base_delay: int
    max_delay: int

    def delay(self, failures: int, limit: int) -> int:
        """Seconds to wait after the latest failure, once `limit` is reached."""
        return min(self.base_delay * 2 ** min(failures - limit, 30), self.max_delay)


def policy() -> Policy:
    config = current_app.config
    return Policy(window=seconds(config["LOGIN_FAILURE_WINDOW"]),
                  account_limit=int(config["LOGIN_ACCOUNT_FAILURE_LIMIT"]),
                  ip_limit=int(config["LOGIN_IP_FAILURE_LIMIT"]),
                  base_delay=seconds(config["LOGIN_THROTTLE_BASE_DELAY"]),
                  max_delay=seconds(config["LOGIN_THROTTLE_MAX_DELAY"]))


def _key(kind: str, value: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def account_key(email: str) -> str:
    return _key("account", (email or "").strip().lower())


def address_key(address: str | None) -> str:
    return _key("ip", address or "")


class DatabaseCounter:
    """Failures as rows of login_failure, in the request's transaction (the caller commits)."""

    def failures(self, key: str, since: dt.datetime) -> tuple[int, dt.datetime | None]:
        count, latest = db.session.execute(
            select(func.count(LoginFailure.id), func.max(LoginFailure.at))
            .where(LoginFailure.key == key, LoginFailure.at > since)
        ).one()
        return count, latest

    def add(self, keys: list[str], at: dt.datetime, window: int) -> None:
        db.session.execute(delete(LoginFailure).where(
            LoginFailure.at < at - dt.timedelta(seconds=window)))
        db.session.add_all(LoginFailure(key=key, at=at) for key in keys)

    def clear(self, key: str) -> None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.key == key))


class RedisCounter:
    """Failures as members of one sorted set per key (score: the time), expiring with the window.

    Redis trouble must not stop every login: errors are logged and the throttle is skipped
    (Argon2 still makes each guess slow).
    """

    def __init__(self, url: str, prefix: str):
        import redis  # only needed, and only imported, when REDIS_URL is set

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix + "login-failures:"
        self.errors = (redis.RedisError, OSError)

    def _safely(self, action, fallback):
        try:
            return action()
        except self.errors as error:
            current_app.logger.error("Login throttle unavailable (Redis): %s", error)
            return fallback

    def failures(self, key: str, since: dt.datetime) -> tuple[int, dt.datetime | None]:
        return self._safely(lambda: self._failures(key, since), (0, None))

    def add(self, keys: list[str], at: dt.datetime, window: int) -> None:
        self._safely(lambda: self._add(keys, at, window), None)

    def clear(self, key: str) -> None:
        self._safely(lambda: self.client.delete(self.prefix + key), None)

    def _failures(self, key: str, since: dt.datetime) -> tuple[int, dt.datetime | None]:
        name = self.prefix + key
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(name, "-inf", since.timestamp())
        pipe.zcard(name)
        pipe.zrange(name, -1, -1, withscores=True)
        _, count, newest = pipe.execute()
        latest = dt.datetime.fromtimestamp(newest[0][1], dt.UTC) if newest else None
        return count, latest

    def _add(self, keys: list[str], at: dt.datetime, window: int) -> None:
        pipe = self.client.pipeline()
        for key in keys:
            name = self.prefix + key
            pipe.zadd(name, {f"{at.timestamp()}:{secrets.token_hex(4)}": at.timestamp()})
            pipe.zremrangebyscore(name, "-inf", at.timestamp() - window)
            pipe.expire(name, window + 60)
        pipe.execute()


def counter() -> DatabaseCounter | RedisCounter:
    app = current_app
    found = app.extensions.get("login_throttle")
    if found is None:
        url = app.config.get("REDIS_URL")
        found = RedisCounter(url, app.config["REDIS_KEY_PREFIX"]) if url else DatabaseCounter()
        app.extensions["login_throttle"] = found
    return found


def _limits(email: str, address: str | None, rules: Policy) -> list[tuple[str, int]]:
    pairs = [(account_key(email), rules.account_limit), (address_key(address), rules.ip_limit)]
    return [(key, limit) for key, limit in pairs if limit > 0]


def wait_seconds(email: str, address: str | None) -> int:
    """How long attempts for this account or from this address must wait; 0 if not throttled."""
    rules = policy()
    moment = utcnow()
    since = moment - dt.timedelta(seconds=rules.window)

    longest = 0
    for key, limit in _limits(email, address, rules):
        count, latest = counter().failures(key, since)
        if count >= limit and latest is not None:
            until = latest + dt.timedelta(seconds=rules.delay(count, limit))
            longest = max(longest, math.ceil((until - moment).total_seconds()))
    return longest


def record_failure(email: str, address: str | None) -> None:
    rules = policy()
    keys = [key for key, _ in _limits(email, address, rules)]
    if keys:
        counter().add(keys, utcnow(), rules.window)


def clear_account(email: str) -> None:
    counter().clear(account_key(email))
