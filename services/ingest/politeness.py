"""Being a polite client: one shared GDELT limiter per process, and per-source backoff."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable

GDELT_INTERVAL_S = 5.0
"""GDELT asks for at most one request every 5 seconds (per client, not per query)."""
GDELT_JITTER_S = 1.0

BACKOFF_BASE_S = 30.0
BACKOFF_CAP_S = 3600.0


def backoff_s(
    consecutive_failures: int, *, base_s: float = BACKOFF_BASE_S, cap_s: float = BACKOFF_CAP_S
) -> float:
    """Seconds to skip polls after ``consecutive_failures`` failures in a row:
    0, then base, 2×base, 4×base … capped at ``cap_s``."""
    if consecutive_failures <= 0:
        return 0.0
    exponent = min(consecutive_failures - 1, 30)  # 2**30 × base is past any cap
    return float(min(cap_s, base_s * 2**exponent))


class IntervalLimiter:
    """At most one request per ``interval_s`` (+ up to ``jitter_s``) across every caller.

    Each caller reserves the next free slot synchronously, then sleeps until it, so no lock
    is needed and the limiter works from any event loop. ``clock``, ``sleep`` and ``jitter``
    are injectable for tests.
    """

    def __init__(
        self,
        interval_s: float,
        jitter_s: float = 0.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[float, float], float] = random.uniform,
    ):
        if interval_s < 0 or jitter_s < 0:
            raise ValueError("interval_s and jitter_s must not be negative")
        self.interval_s = interval_s
        self.jitter_s = jitter_s
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._next_free = float("-inf")

    def reserve(self) -> float:
        """Claim the next slot; return how many seconds to wait for it."""
        now = self._clock()
        slot = max(now, self._next_free)
        spacing = self.interval_s + (self._jitter(0.0, self.jitter_s) if self.jitter_s else 0.0)
        self._next_free = slot + spacing
        return slot - now

    async def wait(self) -> None:
        delay = self.reserve()
        if delay > 0:
            await self._sleep(delay)

    def hold_off(self, seconds: float) -> None:
        """The server said "slow down": no slot is given out for ``seconds`` from now."""
        self._next_free = max(self._next_free, self._clock() + seconds)


GDELT_LIMITER = IntervalLimiter(GDELT_INTERVAL_S, GDELT_JITTER_S)
"""The process-wide limiter every :class:`GdeltSource` shares unless given its own."""
