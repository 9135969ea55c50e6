"""Running one piece of work in several threads at once, for the race tests (concurrent
saves, parallel logins): each thread gets its index, and a thread that hangs fails the test
instead of hanging the suite."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_in_threads(work: Callable[[int], None], count: int, *, timeout: float = 120,
                   hangs: str = "a thread hangs") -> None:
    """Start `work(0)` … `work(count - 1)` in threads together and wait for all of them;
    fail with `hangs` when one is still running after `timeout` seconds."""
    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), hangs
