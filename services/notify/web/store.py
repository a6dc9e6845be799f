"""The console's reads from Redis (read-only): the events stream backwards over a window,
new events after an id, ops notices, dead-letter lengths, destination state.

Every scan is capped, so a huge stream costs a bounded amount of work per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from pydantic import ValidationError
from redis.asyncio import Redis

from services.notify.web.strip import DeadLetters, DisabledDestination, GroupState
from services.notify.web.timeline import TimelinePoint
from services.notify.web.views import entry_time
from shared import codec
from shared.bus import group_stats
from shared.models import ClassifiedEvent, Level, OpsEvent
from shared.names import Names

SCAN_CHUNK = 1000
OPS_SCAN_CAP = 5000

RawEntry = tuple[str, dict[bytes, bytes]]


def _entries(raw: Any) -> list[RawEntry]:
    out: list[RawEntry] = []
    for msg_id, fields in raw or []:
        if fields:
            out.append((msg_id.decode() if isinstance(msg_id, bytes) else str(msg_id), fields))
    return out


async def top_id(redis: Redis, stream: str) -> str:
    """The newest entry's id, or ``0-0`` for an empty or missing stream."""
    rows = _entries(await redis.xrevrange(stream, count=1))
    return rows[0][0] if rows else "0-0"


async def scan_back(
    redis: Redis, stream: str, *, newest: str, oldest: str, cap: int
) -> tuple[list[RawEntry], bool]:
    """Entries from ``newest`` back to ``oldest`` (both inclusive), newest first, at most
    ``cap``; and whether the cap cut the scan short."""
    out: list[RawEntry] = []
    upper = newest
    while (want := min(SCAN_CHUNK, cap - len(out))) > 0:
        chunk = _entries(await redis.xrevrange(stream, max=upper, min=oldest, count=want))
        out.extend(chunk)
        if len(chunk) < want:
            return out, False
        upper = f"({chunk[-1][0]}"
    return out, True


async def read_after(
    redis: Redis, stream: str, after: str, *, block_ms: int, count: int
) -> list[RawEntry]:
    """New entries after ``after``, waiting up to ``block_ms`` (below the client's socket
    timeout: see ``shared/redisconn.py``)."""
    reply: Any = await redis.xread({stream: after}, count=count, block=block_ms)
    out: list[RawEntry] = []
    for _stream, raw in reply or []:
        out.extend(_entries(raw))
    return out


def _data(fields: dict[bytes, bytes]) -> dict[str, Any] | None:
    raw = fields.get(codec.DATA_FIELD.encode())
    if raw is None:
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _story_level(data: dict[str, Any]) -> Level | None:
    try:
        return Level(data["story"]["level"])
    except (KeyError, TypeError, ValueError):
        return None


def alert_event(fields: dict[bytes, bytes]) -> ClassifiedEvent | None:
    """The event if it belongs to a story at some level above ``none``; else None (also for
    an entry that does not decode: the console shows what it can)."""
    data = _data(fields)
    if data is None or _story_level(data) in (None, Level.NONE):
        return None
    try:
        return ClassifiedEvent.model_validate(data)
    except ValidationError:
        return None


def timeline_point(entry_id: str, fields: dict[bytes, bytes]) -> TimelinePoint | None:
    """The few fields the timeline needs, without validating the whole event (cheap)."""
    data = _data(fields)
    level = None if data is None else _story_level(data)
    if data is None or level in (None, Level.NONE):
        return None
    try:
        minerals = tuple(str(m) for m in data["classification"]["minerals"])
        story_id = str(data["story"]["id"])
    except (KeyError, TypeError):
        return None
    assert level is not None
    return TimelinePoint(entry_time(entry_id), story_id, level, minerals)


async def latest_ops(redis: Redis, names: Names, cap: int = OPS_SCAN_CAP) -> list[OpsEvent]:
    """Ops notices, newest first (at most ``cap``)."""
    rows, _ = await scan_back(redis, names.ops, newest="+", oldest="-", cap=cap)
    out: list[OpsEvent] = []
    for _id, fields in rows:
        try:
            out.append(codec.from_fields(OpsEvent, fields))
        except (ValidationError, ValueError):
            continue
    return out


async def dead_letter_counts(redis: Redis, streams: Sequence[str]) -> list[DeadLetters]:
    async with redis.pipeline(transaction=False) as pipe:
        for stream in streams:
            pipe.xlen(Names.dead_letters(stream))
        counts = await pipe.execute()
    return [
        DeadLetters(stream=Names.dead_letters(s), count=int(n))
        for s, n in zip(streams, counts, strict=True)
    ]


async def disabled_destinations(
    redis: Redis, names: Names, destinations: Sequence[str]
) -> list[DisabledDestination]:
    async with redis.pipeline(transaction=False) as pipe:
        for dest in destinations:
            pipe.hget(names.destination_state(dest), "disabled")
        reasons = await pipe.execute()
    return [
        DisabledDestination(destination=d, reason=r.decode() if isinstance(r, bytes) else str(r))
        for d, r in zip(destinations, reasons, strict=True)
        if r
    ]


async def group_states(redis: Redis, pairs: Sequence[tuple[str, str]]) -> list[GroupState]:
    out = []
    for stream, group in pairs:
        lag, pending = await group_stats(redis, stream, group)
        out.append(GroupState(stream, group, lag, pending))
    return out
