"""Per-source state (conditional-GET validators, watermarks) in a Redis hash."""

from __future__ import annotations

from redis.asyncio import Redis

from shared.names import Names


class RedisStateStore:
    def __init__(self, redis: Redis, names: Names):
        self.redis = redis
        self.names = names

    async def load(self, source_id: str) -> dict[str, str]:
        raw = await self.redis.hgetall(self.names.source_state(source_id))
        return {_s(k): _s(v) for k, v in raw.items()}

    async def save(self, source_id: str, values: dict[str, str]) -> None:
        if values:
            await self.redis.hset(self.names.source_state(source_id), mapping=values)  # type: ignore[arg-type]


def _s(v: bytes | str) -> str:
    return v.decode() if isinstance(v, bytes) else v
