"""Retry policy, pure: which answers are worth another try, and how long to wait."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

BASE_S = 1.0
CAP_S = 300.0


def is_retryable(status: int) -> bool:
    """Standard Webhooks: 429 and 5xx are worth retrying; other 4xx (and 3xx) are not."""
    return status == 429 or status == 408 or status >= 500


def backoff_s(
    attempt: int, *, base_s: float = BASE_S, cap_s: float = CAP_S, rng: random.Random | None = None
) -> float:
    """Exponential backoff with equal jitter: between half and all of min(cap, base * 2**(n-1))."""
    ceiling = min(cap_s, base_s * (2 ** max(0, attempt - 1)))
    return (rng or random).uniform(ceiling / 2, ceiling)


def retry_after_s(value: str | None, now: datetime | None = None) -> float | None:
    """Parse a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def next_wait_s(attempt: int, retry_after: float | None, *, max_wait_s: float = 3600.0) -> float:
    """Wait before the next attempt: ``Retry-After`` when given (never less), else backoff."""
    wait = backoff_s(attempt)
    if retry_after is not None:
        wait = max(wait, retry_after)
    return min(wait, max_wait_s)
