"""The console's data: the alert snapshot, the timeline and the health strip, each built
from Redis by the pure functions beside this module and cached for a few seconds so that
many open pages cost Redis no more than one."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from redis.asyncio import Redis

from services.notify.web import store
from services.notify.web.strip import HealthStrip, health_strip, sources_down
from services.notify.web.timeline import DAYS, Timeline, timeline
from services.notify.web.views import StoryRow, fold_all, min_id
from shared.health import HealthThresholds
from shared.models import Level
from shared.names import Names

T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ConsoleSettings:
    min_level: Level = Level.LOW
    window: timedelta = timedelta(hours=24)
    scan_cap: int = 20_000  # events read for the 24-hour list
    timeline_cap: int = 100_000  # events read for the 7-day timeline
    snapshot_ttl_s: float = 2.0
    timeline_ttl_s: float = 30.0
    strip_ttl_s: float = 2.0
    max_streams: int = 16  # open live streams; each holds one Redis connection while it waits
    keepalive_s: float = 15.0


@dataclass(frozen=True, slots=True)
class Snapshot:
    rows: dict[str, StoryRow]
    top: str  # the newest events-stream id the rows include; live updates start after it
    at: datetime
    truncated: bool


class Cached(Generic[T]):
    """One value, reloaded at most every ``ttl_s``; concurrent callers share one load."""

    def __init__(self, ttl_s: float, load: Callable[[], Awaitable[T]]):
        self.ttl_s = ttl_s
        self._load = load
        self._lock = asyncio.Lock()
        self._value: T | None = None
        self._at = 0.0

    async def get(self) -> T:
        async with self._lock:
            if self._value is None or time.monotonic() - self._at >= self.ttl_s:
                self._value = await self._load()
                self._at = time.monotonic()
            return self._value


@dataclass
class Console:
    redis: Redis
    names: Names
    destinations: Sequence[str]
    thresholds: HealthThresholds
    block_ms: int
    settings: ConsoleSettings = ConsoleSettings()
    clock: Callable[[], datetime] = utcnow

    def __post_init__(self) -> None:
        self.snapshot = Cached(self.settings.snapshot_ttl_s, self._load_snapshot).get
        self.timeline = Cached(self.settings.timeline_ttl_s, self._load_timeline).get
        self.strip = Cached(self.settings.strip_ttl_s, self._load_strip).get
        self.closing = asyncio.Event()
        self.streams = 0

    def since(self) -> datetime:
        return self.clock() - self.settings.window

    def groups(self) -> list[tuple[str, str]]:
        n = self.names
        return [
            (n.items, n.GROUP_CLASSIFY),
            (n.events, n.GROUP_NOTIFY),
            (n.ops, n.GROUP_NOTIFY),
            *((n.outbox(d), n.GROUP_SENDER) for d in self.destinations),
        ]

    async def _load_snapshot(self) -> Snapshot:
        now = self.clock()
        top = await store.top_id(self.redis, self.names.events)
        entries, truncated = await store.scan_back(
            self.redis,
            self.names.events,
            newest=top,
            oldest=min_id(now - self.settings.window),
            cap=self.settings.scan_cap,
        )
        rows: dict[str, StoryRow] = {}
        events = ((i, store.alert_event(f)) for i, f in reversed(entries))
        fold_all(rows, ((i, e) for i, e in events if e is not None))
        return Snapshot(rows, top, now, truncated)

    async def _load_timeline(self) -> Timeline:
        now = self.clock()
        start = datetime.combine(now.date() - timedelta(days=DAYS - 1), datetime.min.time(), UTC)
        entries, truncated = await store.scan_back(
            self.redis,
            self.names.events,
            newest="+",
            oldest=min_id(start),
            cap=self.settings.timeline_cap,
        )
        points = (store.timeline_point(i, f) for i, f in entries)
        return timeline(
            (p for p in points if p is not None),
            now=now,
            min_level=self.settings.min_level,
            truncated=truncated,
        )

    async def _load_strip(self) -> HealthStrip:
        groups = self.groups()
        return health_strip(
            await store.group_states(self.redis, groups),
            await store.dead_letter_counts(self.redis, [s for s, _ in groups]),
            sources_down(await store.latest_ops(self.redis, self.names)),
            await store.disabled_destinations(self.redis, self.names, self.destinations),
            self.thresholds,
            self.clock(),
        )
