"""Per-source health, pure: what happened on each poll, the backoff it earns, and when an
operations event is due (a source down after N failures, and back on the next success)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from services.ingest.politeness import backoff_s

Transition = Literal["down", "recovered"] | None


@dataclass
class SourceHealth:
    source_id: str
    down_after: int = 3
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    items_seen: int = 0
    items_published: int = 0
    down: bool = False
    next_poll_not_before: datetime | None = None

    def succeeded(self, now: datetime, items: int, published: int) -> Transition:
        self.last_success = now
        self.consecutive_failures = 0
        self.items_seen += items
        self.items_published += published
        self.next_poll_not_before = None
        if self.down:
            self.down = False
            return "recovered"
        return None

    def failed(self, now: datetime, error: str, retry_after_s: float | None = None) -> Transition:
        self.consecutive_failures += 1
        self.last_error = error
        self.last_error_at = now
        wait = max(backoff_s(self.consecutive_failures), retry_after_s or 0.0)
        self.next_poll_not_before = now + timedelta(seconds=wait) if wait else None
        if not self.down and self.consecutive_failures >= self.down_after:
            self.down = True
            return "down"
        return None

    def should_skip(self, now: datetime) -> bool:
        """True while a backoff after failures is still running."""
        return self.next_poll_not_before is not None and now < self.next_poll_not_before
