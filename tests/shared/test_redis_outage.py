"""Redis going away and coming back: a consumer keeps its loop, resumes where it was, and
loses nothing that Redis itself kept (append-only file on)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis as sync_redis

from shared import bus
from shared.models import OpsEvent
from shared.redisconn import make_redis
from tests.proc import free_port

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs the redis-server binary"
)
FAST = bus.BusSettings(batch=50, block_ms=100, claim_idle_ms=200, claim_every_s=0.1)


class OwnRedis:
    """A redis-server of the test's own, with AOF, that can be stopped and started."""

    def __init__(self, data: Path):
        self.data, self.port = data, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.data),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = sync_redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                if client.ping():
                    break
            except sync_redis.ConnectionError:
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.proc is not None and server.proc.poll() is None:
        server.stop()


def event(n: int) -> OpsEvent:
    return OpsEvent(
        kind="source.down", subject=f"s{n}", message="m", at=datetime.now(UTC), trace_id=f"t{n}"
    )


async def test_consumer_survives_an_outage_and_resumes(own_redis: OwnRedis) -> None:
    redis = make_redis(own_redis.url, block_ms=FAST.block_ms)
    seen: list[str] = []

    async def handle(entries: list[bus.Entry]) -> bus.Outcome:
        seen.extend(e.model(OpsEvent).subject for e in entries)
        return bus.Outcome(done=[e.id for e in entries])

    consumer = bus.StreamConsumer(redis, "s", "g", "c", handle, FAST)
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await bus.publish(redis, "s", [event(i) for i in range(5)], maxlen=1000)
        for _ in range(100):
            if len(seen) == 5:
                break
            await asyncio.sleep(0.05)
        own_redis.stop()  # Redis goes away
        await asyncio.sleep(1.5)
        assert not task.done()  # the loop backs off and keeps trying
        own_redis.start()  # ... and comes back with its append-only file
        for _ in range(100):
            try:
                await bus.publish(redis, "s", [event(i) for i in range(5, 10)], maxlen=1000)
                break
            except Exception:
                await asyncio.sleep(0.1)
        for _ in range(200):
            if len(seen) >= 10:
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await redis.aclose()
    assert sorted(seen, key=lambda s: int(s[1:])) == [f"s{i}" for i in range(10)]
