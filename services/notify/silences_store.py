"""Silences in Redis: one hash under ``names.silences()``, silence id -> the silence as JSON.

Expired silences are ignored and pruned whenever the hash is read. The dispatcher reads
through :meth:`SilenceStore.active`, which caches for ``cache_s`` (a new silence takes effect
within that time) so a busy dispatcher does not read Redis on every batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis

from services.notify.silences import Silence
from shared.logging import get_logger
from shared.names import Names

log = get_logger("notify.silences")

CACHE_S = 1.0


class SilenceStore:
    def __init__(
        self,
        redis: Redis,
        names: Names,
        *,
        cache_s: float = CACHE_S,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.redis = redis
        self.key = names.silences()
        self.cache_s = cache_s
        self._clock = clock
        self._cached: list[Silence] = []
        self._cached_at: float | None = None

    async def add(self, silence: Silence) -> None:
        await self.redis.hset(self.key, silence.id, silence.model_dump_json())

    async def remove(self, silence_id: str) -> bool:
        return bool(await self.redis.hdel(self.key, silence_id))

    async def current(self, now: datetime) -> list[Silence]:
        """Every silence not yet expired (active or starting later), soonest end first;
        expired ones are deleted on the way."""
        raw: dict[Any, Any] = await self.redis.hgetall(self.key)
        keep: list[Silence] = []
        expired: list[bytes] = []
        for key, value in raw.items():
            try:
                silence = Silence.model_validate_json(value)
            except ValidationError:
                log.warning(
                    "unreadable silence left as is", silence_id=key.decode(errors="replace")
                )
                continue
            if silence.ends_at <= now:
                expired.append(key)
            else:
                keep.append(silence)
        if expired:
            await self.redis.hdel(self.key, *expired)
        return sorted(keep, key=lambda s: (s.ends_at, s.id))

    async def active(self, now: datetime) -> list[Silence]:
        """The silences in force at ``now``, read from Redis at most every ``cache_s``."""
        tick = self._clock()
        if self._cached_at is None or tick - self._cached_at >= self.cache_s:
            self._cached = await self.current(now)
            self._cached_at = tick
        return [s for s in self._cached if s.active(now)]
