"""Run a function from many threads at once, each on its own database connection, to
prove that a service's locks hold (pretix's concurrency tests do the same)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_concurrently(fn: Callable[[int], Any], n: int, timeout: float = 60) -> list[Any]:
    """Call fn(i) for i in range(n) from n threads released together by a barrier.
    Returns each call's result or the exception it raised."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout)
            results[i] = fn(i)
        except BaseException as exc:  # reported to the test, not swallowed
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread did not finish"
    return results


class Rendezvous:
    """Hold each caller until `n` callers have arrived (or `timeout` seconds pass).

    Placed between a check and the write it guards, it shows a race by construction
    rather than by a sleep that a loaded machine can outlast: the first `n` racers all
    check before any of them writes. Only for the negative controls (locks removed):
    with the locks, racers arrive one at a time and each would wait out the timeout."""

    def __init__(self, n: int, timeout: float = 20) -> None:
        self.n, self.timeout = n, timeout
        self.arrived = 0
        self._condition = threading.Condition()

    def wait(self) -> None:
        with self._condition:
            self.arrived += 1
            self._condition.notify_all()
            self._condition.wait_for(lambda: self.arrived >= self.n, timeout=self.timeout)

    def before(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """fn, called only once `n` callers have reached it."""

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.wait()
            return fn(*args, **kwargs)

        return wrapped

    def after(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """fn, whose result is returned only once `n` callers have had theirs."""

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            result = fn(*args, **kwargs)
            self.wait()
            return result

        return wrapped
