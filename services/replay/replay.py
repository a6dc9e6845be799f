"""``rarewatch replay``: republish a capture into a namespace, at the capture's pace.

:func:`target_offsets` is the pure part: from the entries' capture times and the speed,
when (in seconds after the replay started) each entry is due. :func:`replay` is the I/O
loop: it waits for each entry's offset and publishes what is due in one batch. Replayed
items, and the items inside replayed events, carry ``replay=True``, so notify delivers
their alerts only to destinations that allow replays.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from pydantic import BaseModel
from redis.asyncio import Redis

from services.replay.capture import CapturedEntry
from shared import bus
from shared.models import ClassifiedEvent, RawItem

BATCH = 500  # entries per publish call when many are due at once


class Pacer:
    """When each entry is due, in seconds after the replay started: its gap from the first
    entry's capture time divided by ``speed``; ``None`` (as fast as possible) gives 0.

    Offsets never decrease: an entry timed before the one ahead of it is due right after
    it, so file order is always kept."""

    def __init__(self, speed: float | None):
        if speed is not None and speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._first: datetime | None = None
        self._last = 0.0

    def offset(self, t: datetime) -> float:
        if self.speed is None:
            return 0.0
        if self._first is None:
            self._first = t
        self._last = max(self._last, (t - self._first).total_seconds() / self.speed)
        return self._last


def target_offsets(times: Iterable[datetime], speed: float | None) -> list[float]:
    """Every entry's offset (see :class:`Pacer`)."""
    pacer = Pacer(speed)
    return [pacer.offset(t) for t in times]


def default_target(live_namespace: str, now: datetime) -> str:
    """A fresh namespace for a replay: ``<ns>-replay-<UTC time>``."""
    return f"{live_namespace}-replay-{now.astimezone(UTC):%Y%m%dT%H%M%S}"


def mark_replay(model: BaseModel) -> BaseModel:
    """The entry as replayed: items and the items inside events get ``replay=True``."""
    if isinstance(model, RawItem):
        return model.model_copy(update={"replay": True})
    if isinstance(model, ClassifiedEvent):
        return model.model_copy(update={"item": model.item.model_copy(update={"replay": True})})
    return model


async def replay(
    redis: Redis,
    entries: Iterable[CapturedEntry],
    stream_key: str,
    *,
    speed: float | None,
    maxlen: int,
    stop: asyncio.Event | None = None,
) -> int:
    """Publish ``entries`` to ``stream_key`` in order, each when it is due; return how
    many were published (fewer when ``stop`` is set part-way)."""
    pacer = Pacer(speed)
    pending: list[BaseModel] = []
    published = 0

    async def flush() -> None:
        nonlocal published
        if pending:
            published += len(await bus.publish(redis, stream_key, pending, maxlen=maxlen))
            pending.clear()

    stop = stop or asyncio.Event()
    started = time.monotonic()
    for entry in entries:
        wait = pacer.offset(entry.time) - (time.monotonic() - started)
        if wait > 0:
            await flush()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
        if stop.is_set():
            break
        pending.append(mark_replay(entry.model))
        if len(pending) >= BATCH:
            await flush()
    await flush()
    return published
