"""Digests: alerts at a destination's digest levels are held in a Redis list
(``names.digest(dest)``) by the dispatcher, and sent as one message per period.

Periods are multiples of ``every`` since the Unix epoch (UTC): with ``every: 1h`` a digest
goes out just after each full hour, holding what arrived during it. Every notify replica
runs the loop; the flush is one optimistic transaction (``WATCH`` on the period key), so
one replica sends each period's digest and the others find it done. The digest goes to
the destination's outbox like an alert: ledger, retries, dead letters.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError, WatchError

from services.notify.destinations.base import DigestConfig
from services.notify.notices import digests
from shared import codec
from shared.logging import get_logger
from shared.models import Alert
from shared.names import Names

log = get_logger("notify.digest")

PER_MESSAGE = 100
TICK_S = 1.0
ERROR_BACKOFF_S = 5.0


def period_of(now: datetime, every: timedelta) -> int:
    """The number of the period ``now`` falls in."""
    return math.floor(now.timestamp() / every.total_seconds())


def period_start(period: int, every: timedelta) -> datetime:
    return datetime.fromtimestamp(period * every.total_seconds(), UTC)


class DigestFlusher:
    def __init__(
        self, redis: Redis, names: Names, destination: str, config: DigestConfig, *, maxlen: int
    ):
        self.redis = redis
        self.destination = destination
        self.config = config
        self.maxlen = maxlen
        self.list_key = names.digest(destination)
        self.period_key = names.digest_period(destination)
        self.outbox = names.outbox(destination)

    async def flush_due(self, now: datetime) -> int:
        """Send the held alerts if a new period began since the last flush; return how many
        digest messages were queued (0 when not due, nothing held, or another replica won)."""
        period = period_of(now, self.config.every)
        async with self.redis.pipeline(transaction=True) as pipe:
            await pipe.watch(self.period_key)
            last = await pipe.get(self.period_key)
            if last is not None and int(last) >= period:
                return 0
            raw: list[Any] = [] if last is None else await pipe.lrange(self.list_key, 0, -1)
            alerts = _decode(raw)
            queued = digests(
                alerts,
                self.destination,
                period=period,
                until=now,
                now=now,
                per_message=PER_MESSAGE,
            )
            pipe.multi()  # type: ignore[no-untyped-call]
            for d in queued:
                fields: Any = codec.to_fields(d)
                pipe.xadd(self.outbox, fields, maxlen=self.maxlen, approximate=True)
            if raw:
                pipe.ltrim(self.list_key, len(raw), -1)
            pipe.set(self.period_key, period)
            try:
                await pipe.execute()
            except WatchError:
                return 0
        if queued:
            log.info(
                "digest queued",
                destination=self.destination,
                alerts=len(alerts),
                messages=len(queued),
                digest_id=queued[0].id,
            )
        return len(queued)

    async def run(self, stop: asyncio.Event) -> None:
        tick = min(TICK_S, self.config.every.total_seconds() / 4)
        while not stop.is_set():
            wait = tick
            try:
                await self.flush_due(datetime.now(UTC))
            except (RedisError, OSError) as exc:
                log.warning("digest flush failed; retrying", error=str(exc))
                wait = ERROR_BACKOFF_S
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)


def _decode(raw: list[bytes]) -> list[Alert]:
    alerts = []
    for value in raw:
        try:
            alerts.append(codec.loads(Alert, value))
        except ValidationError:
            log.error("unreadable alert dropped from a digest", size=len(value))
    return alerts
