"""The delivery ledger in Redis: per message (alert, ops notice, digest), whether it was
delivered or given up, its attempts and when the first one was made; and a short lock so
two consumers (or two outbox entries with the same id) never send the same message at once.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Literal

from redis.asyncio import Redis

from shared.names import Names

State = Literal["sending", "delivered", "dead"]
LOCK_POLL_S = 0.05


def _text(raw: bytes | str | None) -> str | None:
    return raw.decode() if isinstance(raw, bytes) else raw


class Ledger:
    def __init__(self, redis: Redis, names: Names, *, ttl: timedelta):
        self.redis = redis
        self.names = names
        self.ttl_s = max(60, int(ttl.total_seconds()))

    async def state(self, alert_id: str) -> State | None:
        raw = await self.redis.hget(self.names.ledger(alert_id), "state")
        value = _text(raw)
        return value if value in ("sending", "delivered", "dead") else None  # type: ignore[return-value]

    async def is_delivered(self, alert_id: str) -> bool:
        return await self.state(alert_id) == "delivered"

    async def error(self, alert_id: str) -> str | None:
        return _text(await self.redis.hget(self.names.ledger(alert_id), "error"))

    async def attempts(self, alert_id: str) -> int:
        raw = await self.redis.hget(self.names.ledger(alert_id), "attempts")
        return int(raw or 0)

    async def record_attempt(self, alert_id: str) -> tuple[int, datetime]:
        """Count an attempt; return the count and when the first attempt was made (the
        deadline runs from there, so a redriven dead letter gets a fresh deadline)."""
        key = self.names.ledger(alert_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(key, "attempts", 1)
            pipe.hsetnx(key, "state", "sending")
            pipe.hsetnx(key, "first_at", datetime.now(UTC).isoformat())
            pipe.hget(key, "first_at")
            pipe.expire(key, self.ttl_s)
            n, _, _, first, _ = await pipe.execute()
        return int(n), datetime.fromisoformat(_text(first) or datetime.now(UTC).isoformat())

    async def mark_delivered(self, alert_id: str, status: int | None, *, by: str = "") -> None:
        """Record the delivery: the receiver's status, when, and which consumer sent it."""
        key = self.names.ledger(alert_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                key,
                mapping={
                    "state": "delivered",
                    "status": str(status or ""),
                    "at": datetime.now(UTC).isoformat(),
                    "by": by,
                },
            )
            pipe.expire(key, self.ttl_s)
            pipe.delete(self.names.sending_lock(alert_id))
            await pipe.execute()

    async def mark_dead(self, alert_id: str, reason: str) -> None:
        key = self.names.ledger(alert_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping={"state": "dead", "error": reason[:500]})
            pipe.expire(key, self.ttl_s)
            pipe.delete(self.names.sending_lock(alert_id))
            await pipe.execute()

    async def reset(self, alert_id: str) -> None:
        """Forget attempts (a dead letter redriven by an operator starts afresh)."""
        await self.redis.delete(self.names.ledger(alert_id), self.names.sending_lock(alert_id))

    async def lock(self, alert_id: str, owner: str, ttl_ms: int) -> bool:
        """Take (or, for the same ``owner``, extend) the sending lock."""
        key = self.names.sending_lock(alert_id)
        got = await self.redis.set(key, owner, nx=True, px=ttl_ms)
        if got:
            return True
        current = await self.redis.get(key)
        if current in (owner.encode(), owner):
            await self.redis.pexpire(key, ttl_ms)
            return True
        return False

    async def unlock(self, alert_id: str) -> None:
        await self.redis.delete(self.names.sending_lock(alert_id))

    async def wait_unlocked(self, alert_id: str, timeout_s: float) -> bool:
        """Wait until nobody holds the lock; False if it is still held after ``timeout_s``."""
        key = self.names.sending_lock(alert_id)
        end = time.monotonic() + timeout_s
        while await self.redis.exists(key):
            if time.monotonic() >= end:
                return False
            await asyncio.sleep(LOCK_POLL_S)
        return True
