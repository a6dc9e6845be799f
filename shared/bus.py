"""Redis Streams, at least once: batched publish, and a consumer-group loop that acks
only what its handler has safely handed on.

The consumer loop (per stream and group):

1. creates the group if needed, then re-reads this consumer's own pending entries (a
   restart picks up exactly where the last run stopped);
2. reads new entries in batches (``XREADGROUP … COUNT n BLOCK ms``);
3. every ``claim_every_s`` claims entries idle for ``claim_idle_ms`` (``XAUTOCLAIM``):
   entries of dead consumers, and its own that failed earlier (that is the retry);
4. moves an entry delivered more than ``max_deliveries`` times to ``<stream>:dlq`` with
   its last error, and acks it there, in one transaction.

The handler gets a batch and says which entries are done and which failed (with the
error); done entries are acked in one ``XACK``, failed ones stay pending for a retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from shared import codec, metrics
from shared.logging import get_logger
from shared.names import Names

log = get_logger("bus")

ERROR_BACKOFF_S = 1.0
PUBLISH_CHUNK = 500  # entries per script call: keeps each call short for the server
MAX_ERROR_BACKOFF_S = 15.0


@dataclass(frozen=True, slots=True)
class BusSettings:
    batch: int = 200
    block_ms: int = 2000
    claim_idle_ms: int = 60_000
    claim_every_s: float = 5.0
    max_deliveries: int = 5
    maxlen: int = 100_000


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    fields: dict[bytes, bytes]
    deliveries: int = 1

    def model(self, model: type[codec.M]) -> codec.M:
        return codec.from_fields(model, self.fields)


@dataclass(slots=True)
class Outcome:
    """What a handler did with a batch: ``done`` is acked, ``failed`` stays pending for a
    retry, ``poison`` (an entry no retry can fix) goes to the dead-letter stream now."""

    done: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    poison: dict[str, str] = field(default_factory=dict)


Handler = Callable[[list[Entry]], Awaitable[Outcome]]


# One command for a whole batch: far cheaper for the client than a pipeline of XADDs
# (each pipelined command is packed and parsed on its own), and atomic as a bonus.
_XADD_MANY = """
local out = {}
for i = 2, #ARGV, 2 do
  out[#out + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
                             'type', ARGV[i], 'data', ARGV[i + 1])
end
return out
"""


async def publish(
    redis: Redis, stream: str, models: Sequence[BaseModel], *, maxlen: int
) -> list[str]:
    """XADD every model in one round trip (one script call), trimming approximately."""
    if not models:
        return []
    script = redis.register_script(_XADD_MANY)
    ids: list[Any] = []
    for start in range(0, len(models), PUBLISH_CHUNK):
        args: list[bytes | str | int] = [maxlen]
        for m in models[start : start + PUBLISH_CHUNK]:
            args.append(type(m).__name__)
            args.append(codec.dumps(m))
        ids.extend(await script(keys=[stream], args=args))
    return [i.decode() if isinstance(i, bytes) else str(i) for i in ids]


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def _decode_entries(raw: Any) -> list[tuple[str, dict[bytes, bytes] | None]]:
    out: list[tuple[str, dict[bytes, bytes] | None]] = []
    for msg_id, fields in raw or []:
        mid = msg_id.decode() if isinstance(msg_id, bytes) else str(msg_id)
        out.append((mid, fields or None))
    return out


class StreamConsumer:
    """Consumes one stream in one consumer group with one handler."""

    def __init__(
        self,
        redis: Redis,
        stream: str,
        group: str,
        consumer: str,
        handler: Handler,
        settings: BusSettings | None = None,
    ):
        self.redis = redis
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.handler = handler
        self.settings = settings or BusSettings()
        self.errors_key = Names.failures(stream, group)
        self.dlq = Names.dead_letters(stream)
        self.last_loop_at = time.monotonic()
        self._last_claim = 0.0

    # -- the loop ---------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        backoff = ERROR_BACKOFF_S
        started = False
        while not stop.is_set():
            self.last_loop_at = time.monotonic()
            try:
                if not started:
                    await ensure_group(self.redis, self.stream, self.group)
                    await self.drain_own_pending()
                    started = True
                await self.step()
                backoff = ERROR_BACKOFF_S
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                log.warning(
                    "redis unavailable; retrying",
                    stream=self.stream,
                    error=str(exc),
                    retry_in_s=backoff,
                )
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, MAX_ERROR_BACKOFF_S)

    async def run_until_empty(self) -> int:
        """Burst mode (tests, replays): handle what is there, then return the count."""
        await ensure_group(self.redis, self.stream, self.group)
        total = await self.drain_own_pending()
        while True:
            n = await self.step(block=False)
            total += n
            if n == 0:
                return total

    async def step(self, *, block: bool = True) -> int:
        handled = 0
        if time.monotonic() - self._last_claim >= self.settings.claim_every_s:
            self._last_claim = time.monotonic()
            handled += await self.claim_idle()
        reply: Any = await self.redis.xreadgroup(
            self.group,
            self.consumer,
            {self.stream: ">"},
            count=self.settings.batch,
            block=self.settings.block_ms if block else None,
        )
        for _stream, raw in reply or []:
            entries = [Entry(i, f) for i, f in _decode_entries(raw) if f is not None]
            handled += await self._handle(entries)
        return handled

    async def drain_own_pending(self) -> int:
        """Re-read entries this consumer was given but never acked (read with id > last)."""
        handled, last = 0, "0"
        while True:
            reply: Any = await self.redis.xreadgroup(
                self.group, self.consumer, {self.stream: last}, count=self.settings.batch
            )
            raw = reply[0][1] if reply else []
            pairs = _decode_entries(raw)
            if not pairs:
                return handled
            last = pairs[-1][0]
            handled += await self._handle_redelivered(pairs)

    async def claim_idle(self) -> int:
        """XAUTOCLAIM entries idle past ``claim_idle_ms`` (dead consumers, earlier failures)."""
        handled, start = 0, "0-0"
        for _ in range(100):  # bounded scan per call
            reply = await self.redis.xautoclaim(
                self.stream,
                self.group,
                self.consumer,
                min_idle_time=self.settings.claim_idle_ms,
                start_id=start,
                count=self.settings.batch,
            )
            nxt, raw = reply[0], reply[1]
            deleted = reply[2] if len(reply) > 2 else []
            if deleted:
                await self.redis.hdel(self.errors_key, *deleted)
            pairs = _decode_entries(raw)
            if pairs:
                handled += await self._handle_redelivered(pairs)
            start = nxt.decode() if isinstance(nxt, bytes) else str(nxt)
            if start == "0-0":
                break
        return handled

    # -- handling -----------------------------------------------------------------------
    async def _handle_redelivered(self, pairs: list[tuple[str, dict[bytes, bytes] | None]]) -> int:
        gone = [i for i, f in pairs if f is None]
        if gone:  # trimmed away while pending: nothing left to do
            await self._ack(gone)
        live = [(i, f) for i, f in pairs if f is not None]
        if not live:
            return 0
        counts = await self._delivery_counts([i for i, _ in live])
        entries, poison = [], []
        for msg_id, fields in live:
            assert fields is not None
            entry = Entry(msg_id, fields, counts.get(msg_id, 1))
            if entry.deliveries > self.settings.max_deliveries:
                poison.append(entry)
            else:
                entries.append(entry)
        for entry in poison:
            await self.dead_letter(entry)
        return await self._handle(entries) + len(poison)

    async def _delivery_counts(self, ids: list[str]) -> dict[str, int]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for msg_id in ids:
                pipe.xpending_range(self.stream, self.group, min=msg_id, max=msg_id, count=1)
            replies = await pipe.execute()
        counts: dict[str, int] = {}
        for msg_id, rows in zip(ids, replies, strict=True):
            if rows:
                counts[msg_id] = int(rows[0]["times_delivered"])
        return counts

    async def _handle(self, entries: list[Entry]) -> int:
        if not entries:
            return 0
        try:
            outcome = await self.handler(entries)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the loop's boundary: log once, leave entries pending
            log.exception(
                "handler failed; entries stay pending", stream=self.stream, n=len(entries)
            )
            outcome = Outcome(failed={e.id: f"{type(exc).__name__}: {exc}" for e in entries})
        if outcome.poison:
            by_id = {e.id: e for e in entries}
            for msg_id, error in outcome.poison.items():
                await self.dead_letter(by_id[msg_id], error)
        if outcome.done:
            await self._ack(outcome.done)
            metrics.MESSAGES_PROCESSED.labels(self.stream, self.group, "done").inc(
                len(outcome.done)
            )
        if outcome.failed:
            await self.redis.hset(self.errors_key, mapping=outcome.failed)  # type: ignore[arg-type]
            metrics.MESSAGES_PROCESSED.labels(self.stream, self.group, "failed").inc(
                len(outcome.failed)
            )
        return len(entries)

    async def _ack(self, ids: list[str]) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.xack(self.stream, self.group, *ids)
            pipe.hdel(self.errors_key, *ids)
            await pipe.execute()

    async def dead_letter(self, entry: Entry, error: str | None = None) -> None:
        """Move an entry to ``<stream>:dlq`` with its last error, and ack it, atomically."""
        if error is None:
            raw: Any = await self.redis.hget(self.errors_key, entry.id)
            error = raw.decode() if raw else "unknown error"
        fields: dict[Any, Any] = {
            **entry.fields,
            "dlq_stream": self.stream,
            "dlq_group": self.group,
            "dlq_id": entry.id,
            "dlq_error": error,
            "dlq_deliveries": str(entry.deliveries),
            "dlq_at": datetime.now(UTC).isoformat(),
        }
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.dlq, fields, maxlen=self.settings.maxlen, approximate=True)
            pipe.xack(self.stream, self.group, entry.id)
            pipe.hdel(self.errors_key, entry.id)
            await pipe.execute()
        metrics.DEAD_LETTERS.labels(self.stream).inc()
        metrics.MESSAGES_PROCESSED.labels(self.stream, self.group, "dead_lettered").inc()
        log.error(
            "dead-lettered",
            stream=self.stream,
            msg_id=entry.id,
            deliveries=entry.deliveries,
            error=error,
        )


async def group_stats(redis: Redis, stream: str, group: str) -> tuple[int | None, int]:
    """(lag, pending) of a group; lag is None when Redis cannot tell."""
    try:
        groups: Any = await redis.xinfo_groups(stream)
    except ResponseError:
        return None, 0
    for g in groups:
        name = g.get("name") or g.get(b"name")
        if isinstance(name, bytes):
            name = name.decode()
        if name == group:
            lag = g.get("lag", g.get(b"lag"))
            pending = g.get("pending", g.get(b"pending")) or 0
            return (int(lag) if lag is not None else None), int(pending)
    return None, 0


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
