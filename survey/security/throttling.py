"""Login throttling per account, per account and address, and per address, shared by all
workers.

Three counters of failed logins within a window (LOGIN_FAILURE_WINDOW, default 15 minutes):

* account and address: the failures of this account from this client address. At
  LOGIN_ACCOUNT_FAILURE_LIMIT (default 5) that address is held back for that account;
* account: the failures of this account from all addresses together. At
  LOGIN_ACCOUNT_WIDE_FAILURE_LIMIT (default 20) it holds back every address that has failed
  on this account itself (guesses spread over many addresses), but never an address without
  failures of its own on the account: an attacker at one address cannot lock the real user
  at another address out;
* address: the failures from one address on any accounts. At LOGIN_IP_FAILURE_LIMIT
  (default 20) that address is held back, for every account; other addresses are not.

A held-back attempt waits until a delay has passed since the counter's latest entry: the base
delay (1 minute), doubled for every failure past the limit, at most the maximum (15 minutes).
Failures older than the window no longer count, so there is never a permanent lockout.
Unknown addresses are counted like known ones and get the same message: the throttle does
not reveal which accounts exist. A successful login clears the account's counter and its own
address's account-and-address counter (not other addresses' ones, and not the address
counter). 0 as a limit switches that counter off.

Count and check are one step. Every attempt first *reserves* an entry in each counter (a row
committed to login_failure, or a member added to a Redis sorted set in one MULTI/EXEC) and
only then counts the entries of others; the password is checked only if no counter is over
its limit. Of any two attempts the one that reserves later sees the other's entry, so at most
`limit` attempts get past a counter however many run at once (PostgreSQL READ COMMITTED: the
count is a new statement after the commit; SQLite: the login POST takes the write lock). A
failed attempt keeps its entries: they are its failure. A refused attempt removes its entries
again, so refused attempts do not count as failures and hammering an address that is held
back does not extend its wait: waiting out the delay always works. (While attempts run at
once, their entries count for each other, so the throttle errs on the side of refusing.)
The database counter reads each counter's newest entries, only as many as can still change
the answer (past the limit every entry doubles the delay until it reaches the maximum), so
a counter that an attack has filled costs an attempt no more than a full one.

Counters live in the database (table login_failure) by default, or in Redis when REDIS_URL
is set (the `redis` package is then needed). When Redis does not answer or fails mid-way, the
attempt is counted in the database instead: an error is logged once per incident, the throttle
never fails open and the login never fails with an error page. Flask-Limiter/limits was not
used: it limits requests rather than counting failures that a success clears, and has no SQL
storage, so every deployment would need Redis or Memcached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, select

from survey.database import utcnow
from survey.extensions import db
from survey.security.models import LoginFailure
from survey.security.sessions import seconds

MESSAGE = "För många misslyckade inloggningar. Vänta en stund och försök igen."
#: The delay doubles at most this often past a limit, whatever the maximum.
MAX_DOUBLINGS = 30


@dataclass(frozen=True)
class Policy:
    window: int
    account_limit: int  # per account and address
    account_wide_limit: int  # per account, for addresses that failed on it themselves
    ip_limit: int
    base_delay: int
    max_delay: int

    def delay(self, failures: int, limit: int) -> int:
        """Seconds to wait after the latest failure, once `limit` is reached."""
        return min(self.base_delay * 2 ** min(failures - limit, MAX_DOUBLINGS), self.max_delay)

    def enough(self, limit: int) -> int:
        """How many failures decide the wait under `limit`: more leave `delay` unchanged.
        For a counter that is off (0), whether there is any."""
        if limit <= 0:
            return 1
        doublings = 0
        while doublings < MAX_DOUBLINGS and self.base_delay * 2 ** doublings < self.max_delay:
            doublings += 1
        return limit + doublings


def policy() -> Policy:
    config = current_app.config
    return Policy(window=seconds(config["LOGIN_FAILURE_WINDOW"]),
                  account_limit=int(config["LOGIN_ACCOUNT_FAILURE_LIMIT"]),
                  account_wide_limit=int(config.get("LOGIN_ACCOUNT_WIDE_FAILURE_LIMIT", 20)),
                  ip_limit=int(config["LOGIN_IP_FAILURE_LIMIT"]),
                  base_delay=seconds(config["LOGIN_THROTTLE_BASE_DELAY"]),
                  max_delay=seconds(config["LOGIN_THROTTLE_MAX_DELAY"]))


def _key(kind: str, value: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{kind}:{value}".encode(errors="surrogatepass"),
                    hashlib.sha256).hexdigest()


def _email(email: str | None) -> str:
    return (email or "").strip().lower()


def account_key(email: str) -> str:
    return _key("account", _email(email))


def account_address_key(email: str, address: str | None) -> str:
    email = _email(email)
    return _key("account-ip", f"{len(email)}:{email}:{address or ''}")


def address_key(address: str | None) -> str:
    return _key("ip", address or "")


@dataclass(frozen=True)
class Seen:
    """Other attempts' entries in one counter, within the window."""

    count: int  # from the database counter, no more than the policy's `enough`
    latest: dt.datetime | None


class DatabaseCounter:
    """Entries as rows of login_failure.

    `reserve` commits the request's session (so call it before anything else is written);
    `release` and `clear` write in the request's transaction and the caller commits.
    """

    def reserve(self, keys: list[str], at: dt.datetime, window: int,
                enough: dict[str, int]):
        """Add an entry to each counter, then see the others' entries in it: all of them,
        or the newest `enough[key]` when there are more (they decide the wait)."""
        since = at - dt.timedelta(seconds=window)
        self._prune(since)
        rows = [LoginFailure(key=key, at=at) for key in keys]
        db.session.add_all(rows)
        db.session.flush()
        token = [row.id for row in rows]
        db.session.commit()  # visible to every worker before anyone of them counts
        return token, {key: self._seen(key, since, token, enough[key]) for key in keys}

    @staticmethod
    def _seen(key: str, since: dt.datetime, token: list[int], enough: int | None) -> Seen:
        """The entries of `key` after `since`, except this attempt's own; at most `enough`
        of them, the newest (walked backwards in ix_login_failure_key_at)."""
        found = list(db.session.scalars(
            select(LoginFailure.at)
            .where(LoginFailure.key == key, LoginFailure.at > since,
                   LoginFailure.id.not_in(token))
            .order_by(LoginFailure.at.desc()).limit(enough)
        ))
        return Seen(len(found), found[0] if found else None)

    def release(self, token: list[int]) -> None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.id.in_(token)),
                           execution_options={"synchronize_session": False})

    def clear(self, keys: list[str]) -> None:
        self._delete(LoginFailure.key.in_(keys))

    def failures(self, key: str, since: dt.datetime) -> tuple[int, dt.datetime | None]:
        seen = self._seen(key, since, [], None)
        return seen.count, seen.latest

    def _prune(self, since: dt.datetime) -> None:
        self._delete(LoginFailure.at <= since)

    @staticmethod
    def _delete(condition) -> None:
        # Rows another login is deleting are skipped (PostgreSQL: SKIP LOCKED; SQLite has a
        # single writer), so two logins never wait for each other or deadlock here.
        doomed = select(LoginFailure.id).where(condition).with_for_update(skip_locked=True)
        db.session.execute(delete(LoginFailure).where(LoginFailure.id.in_(doomed)),
                           execution_options={"synchronize_session": False})


class RedisCounter:
    """Entries as members of one sorted set per key (score: the time), expiring with the window.

    Errors are raised as `self.errors`; `reserve` below then counts in the database.
    """

    def __init__(self, url: str, prefix: str):
        import redis  # only needed, and only imported, when REDIS_URL is set

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix + "login-failures:"
        self.errors = (redis.RedisError, OSError)
        # Per process and only for the log: an incident is logged once by each worker.
        self.down = False

    def reserve(self, keys: list[str], at: dt.datetime, window: int,
                enough: dict[str, int]):
        """Add an entry to each counter and count the others' (`enough` is not needed:
        a sorted set counts its members without reading them)."""
        stamp = at.timestamp()
        member = f"{stamp}:{secrets.token_hex(8)}"
        pipe = self.client.pipeline(transaction=True)  # MULTI … EXEC: one atomic step
        for key in keys:
            name = self.prefix + key
            pipe.zremrangebyscore(name, "-inf", stamp - window)
            pipe.zadd(name, {member: stamp})
            pipe.zcard(name)
            pipe.zrevrange(name, 0, 1, withscores=True)
            pipe.expire(name, window + 60)
        replies = pipe.execute()
        seen = {}
        for index, key in enumerate(keys):
            _, _, count, newest, _ = replies[5 * index:5 * index + 5]
            others = [score for name, score in newest if name.decode() != member]
            latest = dt.datetime.fromtimestamp(others[0], dt.UTC) if others else None
            seen[key] = Seen(count - 1, latest)
        return (member, keys), seen

    def release(self, token) -> None:
        member, keys = token
        pipe = self.client.pipeline(transaction=True)
        for key in keys:
            pipe.zrem(self.prefix + key, member)
        pipe.execute()

    def clear(self, keys: list[str]) -> None:
        self.client.delete(*(self.prefix + key for key in keys))

    def failures(self, key: str, since: dt.datetime) -> tuple[int, dt.datetime | None]:
        name = self.prefix + key
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(name, "-inf", since.timestamp())
        pipe.zcard(name)
        pipe.zrange(name, -1, -1, withscores=True)
        _, count, newest = pipe.execute()
        latest = dt.datetime.fromtimestamp(newest[0][1], dt.UTC) if newest else None
        return count, latest

    def failed(self, error: Exception) -> None:
        if not self.down:
            self.down = True
            current_app.logger.error(
                "Login throttle unavailable (Redis): %s. Counting failed logins in the "
                "database until Redis answers again.", error)

    def answered(self) -> None:
        if self.down:
            self.down = False
            current_app.logger.warning("Login throttle: Redis answers again.")


def counter() -> DatabaseCounter | RedisCounter:
    """The configured counter (configuration, cached per app: no state a worker shares)."""
    app = current_app
    found = app.extensions.get("login_throttle")
    if found is None:
        url = app.config.get("REDIS_URL")
        found = RedisCounter(url, app.config["REDIS_KEY_PREFIX"]) if url else DatabaseCounter()
        app.extensions["login_throttle"] = found
    return found


@dataclass
class Attempt:
    """One login attempt's entries in the counters; `wait` > 0 when it must be refused."""

    wait: int
    backend: DatabaseCounter | RedisCounter
    token: object
    clear_keys: list[str] = field(default_factory=list)

    def refused(self) -> None:
        """Not checked against the password: take the entries back (refusals do not count)."""
        self._safely(lambda: self.backend.release(self.token))

    def failed(self) -> None:
        """A wrong password: the entries stay, as the failure."""

    def succeeded(self) -> None:
        """Clear the account's counters (as far as this address goes); the rest is released."""
        if self.clear_keys:
            self._safely(lambda: self.backend.clear(self.clear_keys))
        self._safely(lambda: self.backend.release(self.token))

    def _safely(self, action) -> None:
        if isinstance(self.backend, RedisCounter):
            try:
                action()
            except self.backend.errors as error:
                # The entries stay in Redis until the window ends: that errs on the safe side.
                self.backend.failed(error)
        else:
            action()


def reserve(email: str, address: str | None) -> Attempt:
    """Count this attempt in every counter, then tell whether it must wait.

    Call before the password is checked, and report the outcome to the Attempt. With the
    database counter this commits the request's session.
    """
    rules = policy()
    moment = utcnow()
    pair, account, ip = (account_address_key(email, address), account_key(email),
                         address_key(address))
    limits = {pair: rules.account_limit, account: rules.account_wide_limit, ip: rules.ip_limit}
    keys = [key for key, limit in limits.items() if limit > 0]
    if rules.account_wide_limit > 0 and pair not in keys:
        keys.insert(0, pair)  # the account-wide limit asks whether this address failed
    if not keys:
        return Attempt(0, DatabaseCounter(), [])

    enough = {key: rules.enough(limits[key]) for key in keys}
    backend = counter()
    try:
        token, seen = backend.reserve(keys, moment, rules.window, enough)
        if isinstance(backend, RedisCounter):
            backend.answered()
    except getattr(backend, "errors", ()) as error:
        backend.failed(error)
        backend = DatabaseCounter()
        token, seen = backend.reserve(keys, moment, rules.window, enough)

    longest = 0
    for key in keys:
        limit = limits[key]
        if limit <= 0:
            continue
        if key == account and seen[pair].count == 0:
            continue  # an address without failures on the account is not held back by it
        count, latest = seen[key].count, seen[key].latest
        if count >= limit and latest is not None:
            until = latest + dt.timedelta(seconds=rules.delay(count, limit))
            longest = max(longest, math.ceil((until - moment).total_seconds()))
    clear = [key for key in (pair, account) if key in keys]
    return Attempt(max(longest, 0), backend, token, clear)
