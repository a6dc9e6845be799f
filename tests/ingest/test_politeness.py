"""Backoff policy and the interval limiter, with an injected clock (no sleeping)."""

from __future__ import annotations

import pytest

from services.ingest.politeness import GDELT_LIMITER, IntervalLimiter, backoff_s


def test_backoff_doubles_from_the_base_and_stops_at_the_cap() -> None:
    assert [backoff_s(n, base_s=30, cap_s=600) for n in range(7)] == [0, 30, 60, 120, 240, 480, 600]
    assert backoff_s(10_000) == backoff_s(10_001)  # no overflow, still capped


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_limiter_gives_one_slot_per_interval_plus_jitter() -> None:
    clock = FakeClock()
    limiter = IntervalLimiter(5.0, 1.0, clock=clock, sleep=clock.sleep, jitter=lambda lo, hi: hi)
    starts = []
    for _ in range(3):
        await limiter.wait()
        starts.append(clock.now)
    assert starts == [100.0, 106.0, 112.0]


def test_concurrent_reservations_queue_up_without_a_lock() -> None:
    clock = FakeClock()
    limiter = IntervalLimiter(5.0, clock=clock)
    assert [limiter.reserve() for _ in range(3)] == [0.0, 5.0, 10.0]


def test_hold_off_pushes_the_next_slot() -> None:
    clock = FakeClock()
    limiter = IntervalLimiter(5.0, clock=clock)
    limiter.reserve()
    limiter.hold_off(30.0)
    assert limiter.reserve() == 30.0
    clock.now += 100
    assert limiter.reserve() == 0.0


def test_process_wide_gdelt_limiter_is_at_least_five_seconds() -> None:
    assert GDELT_LIMITER.interval_s >= 5.0 and GDELT_LIMITER.jitter_s > 0


def test_negative_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        IntervalLimiter(-1.0)
