"""Publish items once: the seen-check and the XADD happen in one Lua script, so an item is
never marked seen without being published, nor published twice.

Two expiring keys per item: its id, and its canonical URL (a set of the sources that
carried it). The same id is published once; the same URL from a second source is not
published again, and that source is added to the URL's set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from redis.asyncio import Redis

from shared import codec, metrics
from shared.models import RawItem
from shared.names import Names

_SCRIPT = """
-- KEYS[1] seen-item key, KEYS[2] seen-url key ('' when no url), KEYS[3] stream
-- ARGV[1] ttl seconds, ARGV[2] maxlen, ARGV[3] source, ARGV[4] type, ARGV[5] data
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
if KEYS[2] ~= '' then
  local added = redis.call('SADD', KEYS[2], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[1])
  if redis.call('SCARD', KEYS[2]) > 1 then
    redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
    return -1
  end
end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'type', ARGV[4], 'data', ARGV[5])
return 1
"""


@dataclass(slots=True)
class PublishResult:
    accepted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


class ItemPublisher:
    def __init__(self, redis: Redis, names: Names, *, ttl: timedelta, maxlen: int):
        self.redis = redis
        self.names = names
        self.ttl_s = max(1, int(ttl.total_seconds()))
        self.maxlen = maxlen
        self._script = redis.register_script(_SCRIPT)

    async def publish(self, items: Sequence[RawItem], *, label: str | None = None) -> PublishResult:
        """Publish new items in one pipelined round trip; report which were duplicates.

        ``label`` is the metrics label (a configured source id, or ``push``)."""
        result = PublishResult()
        if not items:
            return result
        async with self.redis.pipeline(transaction=False) as pipe:
            for item in items:
                fields = codec.to_fields(item)
                url_key = self.names.seen_url(item.url) if item.url else ""
                await self._script(
                    keys=[self.names.seen_item(item.id), url_key, self.names.items],
                    args=[self.ttl_s, self.maxlen, item.source, fields["type"], fields["data"]],
                    client=pipe,
                )
            replies = await pipe.execute()
        for item, reply in zip(items, replies, strict=True):
            if int(reply) == 1:
                result.accepted.append(item.id)
                metrics.ITEMS_PUBLISHED.labels(label or item.source).inc()
            else:
                result.duplicates.append(item.id)
                metrics.DUPLICATES_DROPPED.labels(label or item.source).inc()
        return result

    async def sources_of(self, url: str) -> set[str]:
        """Every source that carried ``url`` within the dedup window."""
        members = await self.redis.smembers(self.names.seen_url(url))
        return {m.decode() if isinstance(m, bytes) else m for m in members}
