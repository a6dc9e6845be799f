"""Test helpers: configs in a test namespace, services run in-process, and a recording
HTTP receiver standing in for webhook endpoints."""

from __future__ import annotations

import asyncio
import base64
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from services.config import Config
from shared.models import (
    Classification,
    ClassifiedEvent,
    Direction,
    Evidence,
    Level,
    RawItem,
    StoryRef,
)
from shared.runner import ServiceRunner, ServiceSpec

FAST_BUS = {"block_ms": 100, "claim_idle_ms": 500, "claim_every_s": 0.1, "max_deliveries": 3}


def new_secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(32)).decode()


def make_config(namespace: str, redis_url: str, **data: Any) -> Config:
    base: dict[str, Any] = {
        "namespace": namespace,
        "redis_url": redis_url,
        "consumer": "test-consumer",
        "sources": [],
        "bus": dict(FAST_BUS),
        "ingest": {"port": 0, "host": "127.0.0.1"},
        "classify": {"port": 0, "host": "127.0.0.1"},
        "notify": {"port": 0, "host": "127.0.0.1", "drain_timeout_s": 2},
    }
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return Config.model_validate(base)


@asynccontextmanager
async def running(spec: ServiceSpec) -> AsyncIterator[ServiceRunner]:
    runner = ServiceRunner(spec)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


@dataclass
class Received:
    at: float
    headers: dict[str, str]
    body: bytes


Behaviour = Callable[[int], Awaitable[web.StreamResponse]]


async def ok(_n: int) -> web.StreamResponse:
    return web.Response(status=200, text="ok")


@dataclass
class Receiver:
    """A real local HTTP endpoint that records every request; ``behaviour(n)`` answers the
    n-th request (1-based)."""

    behaviour: Behaviour = ok
    requests: list[Received] = field(default_factory=list)
    server: TestServer | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.requests.append(Received(time.monotonic(), dict(request.headers), body))
        return await self.behaviour(len(self.requests))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url("/hook"))

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def wait_for(self, n: int, timeout_s: float = 10.0) -> None:
        deadline = time.monotonic() + timeout_s
        while len(self.requests) < n:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {n} request(s), got {len(self.requests)}")
            await asyncio.sleep(0.02)


def sample_event(
    item_id: str = "it-1",
    *,
    level: Level = Level.HIGH,
    story_id: str | None = None,
    minerals: tuple[str, ...] = ("dysprosium",),
    official: bool = False,
    replay: bool = False,
    title: str = "China suspends dysprosium exports pending new licences",
) -> ClassifiedEvent:
    now = datetime.now(UTC)
    item = RawItem(
        id=item_id,
        title=title,
        summary="Exports stop from today.",
        url=f"https://example.org/{item_id}",
        source="test",
        publisher="example.org",
        published_at=now,
        seen_at=now,
        trace_id=f"trace-{item_id}",
        replay=replay,
    )
    c = Classification(
        level=level,
        score=80,
        direction=Direction.TIGHTENING,
        minerals=minerals,
        countries=("china",),
        instruments=("export_control",),
        evidence=(Evidence(text="suspends exports", reason="tightening cue"),),
        classifier_version="test",
    )
    story = StoryRef(
        id=story_id or f"st-{item_id}",
        item_ids=(item_id,),
        sources_count=1,
        official=official,
        level=level,
    )
    return ClassifiedEvent(item=item, classification=c, story=story, classified_at=now)
