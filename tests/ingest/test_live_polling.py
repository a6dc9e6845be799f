"""The live ingest service polling a local server: each entry published once across
repeated polls and restarts, conditional GET, and a source that fails then recovers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import feedparser
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis

from services.app import open_resources
from services.ingest.publisher import ItemPublisher
from services.ingest.scheduler import SourceRunner
from services.ingest.service import build_ingest
from services.ingest.sources.base import PollContext
from services.ingest.sources.rss import RssSource, RssSourceConfig
from services.ingest.state import RedisStateStore
from shared import bus
from shared.models import OpsEvent, RawItem
from shared.names import Names
from tests.conftest import SHARED_DATA
from tests.helpers import make_config, running

FEEDS = SHARED_DATA / "corpora" / "realworld" / "rss"
ROTATION = ["npr_world.xml", "bbc_news_world.xml", "aljazeera_all.xml"]


@dataclass
class FeedServer:
    """Serves one feed file at /feed, with ETag support; ``current`` can be switched."""

    current: Path
    status: int = 200
    requests: list[dict[str, str]] = field(default_factory=list)
    server: TestServer | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(dict(request.headers))
        if self.status != 200:
            return web.Response(status=self.status)
        etag = f'"{self.current.name}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=self.current.read_bytes(),
            content_type="application/rss+xml",
            headers={"ETag": etag},
        )

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/feed", self.handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url("/feed"))


@pytest.fixture
async def feed() -> AsyncIterator[FeedServer]:
    fs = FeedServer(FEEDS / ROTATION[0])
    await fs.start()
    yield fs
    assert fs.server is not None
    await fs.server.close()


async def published(redis: Redis, names: Names) -> list[RawItem]:
    rows = await redis.xrange(names.items)
    return [bus.Entry(i.decode(), f).model(RawItem) for i, f in rows]


async def poll_with_service(namespace: str, redis_url: str, url: str) -> None:
    """Start ingest (first poll happens at start-up), wait for the poll, stop it."""
    config = make_config(
        namespace, redis_url, sources=[{"id": "wire", "kind": "rss", "url": url, "every": "1h"}]
    )
    res = await open_resources(config, "ingest")
    async with running(build_ingest(res)) as runner, aiohttp.ClientSession() as s:
        for _ in range(200):
            async with s.get(f"http://127.0.0.1:{runner.port}/readyz") as r:
                body = await r.json(content_type=None)
            checks = body["checks"].get("source:lastSuccess", [])
            if checks and checks[0].get("observedValue"):
                return
            await asyncio.sleep(0.05)
    raise AssertionError("source was not polled")


def entries(path: Path) -> int:
    return len(feedparser.parse(path.read_bytes()).entries)


async def test_rotating_feeds_publish_each_entry_once_across_polls_and_restarts(
    feed: FeedServer, namespace: str, names: Names, redis: Redis, redis_url: str
) -> None:
    assert feed.server is not None
    url = str(feed.server.make_url("/feed"))
    expected = 0
    for name in ROTATION:
        feed.current = FEEDS / name
        expected += entries(feed.current)
        for _restart in range(2):  # the same feed twice: the second poll adds nothing
            await poll_with_service(namespace, redis_url, url)
            items = await published(redis, names)
            assert len(items) == expected, name
    assert len({i.id for i in items}) == expected
    # the second poll of each feed sent the stored validator and got a 304
    assert sum("If-None-Match" in r for r in feed.requests) >= len(ROTATION)


@dataclass
class Clock:
    now: datetime = datetime(2026, 9, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_source_down_after_n_failures_then_recovered(
    feed: FeedServer, namespace: str, names: Names, redis: Redis
) -> None:
    assert feed.server is not None
    clock = Clock()
    ops: list[OpsEvent] = []

    async def sink(event: OpsEvent) -> None:
        ops.append(event)

    async with aiohttp.ClientSession() as session:
        ctx = PollContext(
            session=session,
            state=RedisStateStore(redis, names),
            user_agent="test",
            now=clock,
            trace_id=lambda: "t",
        )
        source = RssSource(
            RssSourceConfig(id="wire", kind="rss", url=str(feed.server.make_url("/feed")))
        )
        runner = SourceRunner(
            source,
            ctx,
            ItemPublisher(redis, names, ttl=timedelta(days=1), maxlen=10_000),
            sink,
            down_after=3,
        )
        feed.status = 500
        for _ in range(4):
            await runner.poll_once()
            clock.now += timedelta(hours=2)  # past any backoff
        assert runner.health.consecutive_failures == 4
        assert "HTTP 500" in (runner.health.last_error or "")
        assert [e.kind for e in ops] == ["source.down"]
        skipped_at = len(feed.requests)
        await runner.poll_once()  # inside the backoff window? no: clock moved past it
        assert len(feed.requests) == skipped_at + 1
        runner.health.next_poll_not_before = clock.now + timedelta(minutes=5)
        await runner.poll_once()  # still backing off: no request
        assert len(feed.requests) == skipped_at + 1
        feed.status = 200
        clock.now += timedelta(hours=2)
        await runner.poll_once()
    assert [e.kind for e in ops] == ["source.down", "source.recovered"]
    assert runner.health.consecutive_failures == 0
    assert len(await published(redis, names)) == entries(feed.current)
    assert json.loads(ops[0].model_dump_json())["subject"] == "wire"
