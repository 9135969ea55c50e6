"""A client of the local Redis server for the throttling tests, or a skip saying why not."""

from __future__ import annotations

import pytest


def redis_or_skip(url: str):
    """A connected client of `url`; without the package or the server the test is skipped."""
    try:
        import redis
    except ImportError:
        pytest.skip("the redis package is not installed: the Redis backend is not tested")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis on {url} is unreachable ({error}): backend not tested")
    return client
