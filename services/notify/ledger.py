"""The delivery ledger in Redis: per alert, whether it was delivered, and a short lock so
two consumers never send the same alert at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from shared.names import Names


class Ledger:
    def __init__(self, redis: Redis, names: Names, *, ttl: timedelta):
        self.redis = redis
        self.names = names
        self.ttl_s = max(60, int(ttl.total_seconds()))

    async def is_delivered(self, alert_id: str) -> bool:
        state = await self.redis.hget(self.names.ledger(alert_id), "state")  # type: ignore[misc]
        return state in (b"delivered", "delivered")

    async def attempts(self, alert_id: str) -> int:
        raw = await self.redis.hget(self.names.ledger(alert_id), "attempts")  # type: ignore[misc]
        return int(raw or 0)

    async def record_attempt(self, alert_id: str) -> int:
        key = self.names.ledger(alert_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(key, "attempts", 1)
            pipe.hsetnx(key, "state", "sending")
            pipe.expire(key, self.ttl_s)
            n, *_ = await pipe.execute()
        return int(n)

    async def mark_delivered(self, alert_id: str, status: int | None) -> None:
        key = self.names.ledger(alert_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                key,
                mapping={
                    "state": "delivered",
                    "status": str(status or ""),
                    "at": datetime.now(UTC).isoformat(),
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
        await self.redis.delete(self.names.ledger(alert_id))

    async def lock(self, alert_id: str, owner: str, ttl_ms: int) -> bool:
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
