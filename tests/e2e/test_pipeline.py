"""End to end, as a user runs it: three service processes, items pushed to ingest, a
local receiver verifying signed webhooks, the console line, and SIGKILL of notify."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from redis.asyncio import Redis
from standardwebhooks import Webhook

from shared import bus
from shared.models import ClassifiedEvent, Level
from shared.names import Names
from tests.helpers import FAST_BUS, Receiver, new_secret, sample_event
from tests.proc import ServiceProcess, free_port

pytestmark = pytest.mark.slow
TOKEN = "e2e-push-token-123"

ITEMS = [
    {
        "id": "e2e-ban",
        "title": "China bans exports of gallium and germanium to the United States",
        "summary": "The commerce ministry said the ban takes effect immediately.",
        "url": "https://news.example.org/ga-ge-ban",
        "source": "news.example.org",
    },
    {
        "id": "e2e-tariff",
        "title": "US imposes 25% tariff on Chinese graphite anode imports",
        "summary": "The new duty on graphite takes effect next month.",
        "url": "https://wire.example.com/graphite-tariff",
        "source": "wire.example.com",
    },
    {
        "id": "e2e-conf",
        "title": "Battery metals conference opens in London",
        "summary": "Speakers discussed the long-term outlook for lithium demand.",
        "url": "https://events.example.net/conf",
        "source": "events.example.net",
    },
    {
        "id": "e2e-noise",
        "title": "Rare disease charity launches a new research fund",
        "summary": "Families affected by rare genetic disorders welcomed the grants.",
        "url": "https://health.example.org/fund",
        "source": "health.example.org",
    },
]


def write_config(path: Path, namespace: str, url: str, secret: str) -> None:
    config: dict[str, Any] = {
        "namespace": namespace,
        "consumer": "e2e",
        "sources": [],
        "bus": FAST_BUS,
        "ingest": {"push_token": TOKEN, "host": "127.0.0.1"},
        "classify": {"host": "127.0.0.1"},
        "notify": {"host": "127.0.0.1"},
        "destinations": [
            {"id": "risk", "kind": "webhook", "url": url, "secret": secret},
            {"id": "stdout", "kind": "console"},
        ],
        "routes": [
            {"match": {"min_level": "high"}, "to": ["risk"], "continue": True},
            {"match": {"min_level": "low"}, "to": ["stdout"]},
        ],
    }
    path.write_text(yaml.safe_dump(config))


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rx = Receiver()
    await rx.start()
    yield rx
    await rx.close()


async def events_of(redis: Redis, names: Names) -> list[ClassifiedEvent]:
    rows = await redis.xrange(names.events)
    return [bus.Entry(i.decode(), f).model(ClassifiedEvent) for i, f in rows]


async def test_pushed_items_come_out_as_signed_webhooks_and_console_lines(
    tmp_path: Path, namespace: str, names: Names, redis: Redis, receiver: Receiver
) -> None:
    assert receiver.server is not None
    secret = new_secret()
    config = tmp_path / "rarewatch.yaml"
    write_config(config, namespace, str(receiver.server.make_url("/hook")), secret)
    procs = {
        s: ServiceProcess(s, config, free_port(), tmp_path).start()
        for s in ("ingest", "classify", "notify")
    }
    try:
        for p in procs.values():
            await p.ready()
        health = await asyncio.to_thread(
            subprocess.run,
            [
                sys.executable,
                "-m",
                "services.cli",
                "health",
                "--config",
                str(config),
                *(f"--url={n}=http://127.0.0.1:{p.port}" for n, p in procs.items()),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert health.returncode == 0, health.stdout + health.stderr
        assert [line.split()[:2] for line in health.stdout.splitlines()[1:]] == [
            ["ingest", "pass"],
            ["classify", "pass"],
            ["notify", "pass"],
        ]
        async with (
            aiohttp.ClientSession() as s,
            s.post(
                f"http://127.0.0.1:{procs['ingest'].port}/v1/items",
                json=ITEMS,
                headers={"Authorization": f"Bearer {TOKEN}"},
            ) as r,
        ):
            assert r.status == 202
            assert sorted((await r.json())["accepted"]) == sorted(i["id"] for i in ITEMS)
        for _ in range(200):
            if len(await events_of(redis, names)) == len(ITEMS):
                break
            await asyncio.sleep(0.05)
        events = {e.item.id: e for e in await events_of(redis, names)}
        assert set(events) == {i["id"] for i in ITEMS}
        high = {i for i, e in events.items() if e.story.level.rank >= Level.HIGH.rank}
        assert "e2e-ban" in high and "e2e-noise" not in high
        await receiver.wait_for(len(high))
        await asyncio.sleep(1.0)  # nothing more arrives
        bodies = [Webhook(secret).verify(r.body, r.headers) for r in receiver.requests]
        assert sorted(b["data"]["item"]["id"] for b in bodies) == sorted(high)
        console = procs["notify"].stdout()
        low = [i for i, e in events.items() if Level.LOW.rank <= e.story.level.rank < 3]
        for item_id in low:
            assert events[item_id].item.title in console
        assert events["e2e-noise"].item.title not in console
        # one trace id follows an item through all three services' logs
        trace = events["e2e-ban"].item.trace_id
        for name in ("ingest", "classify", "notify"):
            lines = [json.loads(x) for x in procs[name].stderr().splitlines() if trace in x]
            assert lines and all(line["trace_id"] == trace for line in lines), name
    finally:
        for p in procs.values():
            p.stop()
    for p in procs.values():
        assert secret not in p.stderr() + p.stdout()
        assert TOKEN not in p.stderr() + p.stdout()


async def test_sigkill_of_notify_mid_delivery_loses_none_and_repeats_none(
    tmp_path: Path, namespace: str, names: Names, redis: Redis
) -> None:
    async def steady(_n: int) -> Any:
        from aiohttp import web

        await asyncio.sleep(0.02)
        return web.Response(status=200)

    rx = Receiver(steady)
    url = await rx.start()
    secret = new_secret()
    config = tmp_path / "rarewatch.yaml"
    write_config(config, namespace, url, secret)
    n = 120
    await bus.publish(
        redis,
        names.events,
        [sample_event(f"k{i}", story_id=f"story-{i}") for i in range(n)],
        maxlen=10_000,
    )
    notify = ServiceProcess("notify", config, free_port(), tmp_path).start()
    try:
        await rx.wait_for(10, timeout_s=30)
        notify.kill()  # mid-delivery: some alerts sent, some in flight, some waiting
        await asyncio.sleep(0.2)  # let the receiver take what the dead process had sent
        sent_before = len(rx.requests)
        assert sent_before < n
        notify = ServiceProcess("notify", config, free_port(), tmp_path).start()
        await rx.wait_for(n, timeout_s=60)
        await asyncio.sleep(1.0)
    finally:
        notify.stop()
        await rx.close()
    ids = [r.headers["webhook-id"] for r in rx.requests]
    assert len(set(ids)) == n  # none lost
    # Effectively once: a request the receiver was still answering when notify died has an
    # unknown outcome and is sent again, with the same webhook-id, for the receiver to drop.
    # At most the destination's concurrency (4) can be in that window; nothing else repeats.
    repeats = len(ids) - n
    assert repeats <= 4, f"{repeats} sent twice"
    first_seen: dict[str, int] = {}
    for pos, i in enumerate(ids):
        first_seen.setdefault(i, pos)
    assert all(first_seen[i] < sent_before for i in ids[sent_before:] if ids.count(i) > 1)
