"""A full run's logs, as operations reads them: three service processes with JSON logs, a
signed webhook, a Slack hook and a push token configured through ``${VAR}`` like a real
deployment, items pushed and alerts delivered. Then every line of every process's stdout
and stderr is searched for every configured secret (none may appear), every JSON line
names its service, every line about an item or alert carries its trace id, and one grep of
a trace id follows an item from ingest to delivery."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis

from shared import codec
from shared.models import ClassifiedEvent, Level
from shared.names import Names
from tests.helpers import FAST_BUS, new_secret
from tests.proc import ServiceProcess, free_port

pytestmark = pytest.mark.slow
SERVICES = ("ingest", "classify", "notify")

# Items written for this test (our own words): two that alert high, one low, one noise.
ITEMS = [
    {
        "id": "sec-ban",
        "title": "China bans exports of gallium and germanium to the United States",
        "summary": "The commerce ministry said the ban takes effect immediately.",
        "url": "https://news.example.org/sec-ban",
        "source": "news.example.org",
    },
    {
        "id": "sec-licence",
        "title": "Beijing suspends dysprosium and terbium export licences",
        "summary": "Magnet makers were told shipments stop from Monday.",
        "url": "https://wire.example.com/sec-licence",
        "source": "wire.example.com",
    },
    {
        "id": "sec-outlook",
        "title": "Battery metals conference opens in London",
        "summary": "Speakers discussed the long-term outlook for lithium demand.",
        "url": "https://events.example.net/sec-outlook",
        "source": "events.example.net",
    },
    {
        "id": "sec-noise",
        "title": "Rare disease charity launches a new research fund",
        "summary": "Families affected by rare genetic disorders welcomed the grants.",
        "url": "https://health.example.org/sec-noise",
        "source": "health.example.org",
    },
]


FEED_ITEM_URL = "https://policy.example.org/antimony-ban"
FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local policy feed</title><link>https://policy.example.org/</link>
<description>written for this test</description>
<item><title>China bans exports of antimony to the United States</title>
<link>{FEED_ITEM_URL}</link><guid>{FEED_ITEM_URL}</guid>
<description>The commerce ministry said the ban takes effect immediately.</description>
<pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>
</channel></rss>"""


@dataclass
class AnyPathReceiver:
    """One local receiver for the webhooks and the Slack hook, so that failures (whose error
    messages are where URLs tend to leak) happen too: the first request to a webhook gets a
    500 and the first to Slack a 429, each then succeeds; ``/gone/`` always answers 410."""

    answered: list[tuple[str, int]] = field(default_factory=list)
    server: TestServer | None = None

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        path = request.path
        first = not any(p == path for p, _ in self.answered)
        if path.startswith("/gone/"):
            status, text = 410, "gone"
        elif first and path.startswith("/hooks/"):
            status, text = 500, "try again"
        elif first and path.startswith("/services/"):
            status, text = 429, "rate_limited"
        else:
            status, text = 200, "ok"
        self.answered.append((path, status))
        return web.Response(status=status, text=text, headers={"Retry-After": "0"})

    async def feed(self, _request: web.Request) -> web.Response:
        return web.Response(text=FEED, content_type="application/rss+xml")

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/feed.xml", self.feed)
        app.router.add_post("/{tail:.*}", self.handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url("")).rstrip("/")

    async def wait_for(self, prefix: str, n: int, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while (got := sum(p.startswith(prefix) and st == 200 for p, st in self.answered)) < n:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {n} request(s) to {prefix}, got {got}")
            await asyncio.sleep(0.05)


async def all_events(redis: Redis, names: Names, n: int) -> list[ClassifiedEvent]:
    """The classified events, once classify has handled all ``n`` items."""
    for _ in range(300):
        rows: Any = await redis.xrange(names.events)
        if len(rows) >= n:
            break
        await asyncio.sleep(0.05)
    events = [codec.from_fields(ClassifiedEvent, f) for _, f in rows]
    assert len(events) == n
    return events


@pytest.fixture
async def receiver() -> AsyncIterator[AnyPathReceiver]:
    rx = AnyPathReceiver()
    await rx.start()
    yield rx
    assert rx.server is not None
    await rx.server.close()


def secret_env(base: str) -> dict[str, str]:
    token = os.urandom(8).hex()
    return {
        "RAREWATCH_PUSH_TOKEN": f"push-{os.urandom(12).hex()}",
        "RISK_WEBHOOK_URL": f"{base}/hooks/rarewatch/tok{token}",
        "RISK_WEBHOOK_SECRET": new_secret(),
        "SLACK_WEBHOOK_URL": f"{base}/services/T000/B000/SECRET{os.urandom(8).hex()}",
        "GONE_WEBHOOK_URL": f"{base}/gone/tok{os.urandom(8).hex()}",
        "GONE_WEBHOOK_SECRET": new_secret(),
    }


def secret_values(env: dict[str, str]) -> dict[str, str]:
    """Every configured secret, and the parts of one that are secret by themselves."""
    whsec = env["RISK_WEBHOOK_SECRET"]
    values = dict(env)
    values["webhook signing key"] = whsec.removeprefix("whsec_")
    values["webhook signing key bytes (hex)"] = base64.b64decode(whsec.removeprefix("whsec_")).hex()
    values["webhook url token"] = env["RISK_WEBHOOK_URL"].rsplit("/", 1)[1]
    values["slack url token"] = env["SLACK_WEBHOOK_URL"].rsplit("/", 1)[1]
    values["gone url token"] = env["GONE_WEBHOOK_URL"].rsplit("/", 1)[1]
    values["gone signing key"] = env["GONE_WEBHOOK_SECRET"].removeprefix("whsec_")
    return values


def write_config(path: Path, namespace: str, base: str) -> None:
    config: dict[str, Any] = {
        "namespace": namespace,
        "consumer": "secrets",
        "sources": [{"id": "local-feed", "kind": "rss", "url": f"{base}/feed.xml", "every": "1h"}],
        "bus": FAST_BUS,
        "ingest": {"push_token": "${RAREWATCH_PUSH_TOKEN}", "host": "127.0.0.1"},
        "classify": {"host": "127.0.0.1"},
        "notify": {"host": "127.0.0.1"},
        "destinations": [
            {
                "id": "risk",
                "kind": "webhook",
                "url": "${RISK_WEBHOOK_URL}",
                "secret": "${RISK_WEBHOOK_SECRET}",
            },
            {"id": "desk", "kind": "slack", "url": "${SLACK_WEBHOOK_URL}"},
            {
                "id": "gone",
                "kind": "webhook",
                "url": "${GONE_WEBHOOK_URL}",
                "secret": "${GONE_WEBHOOK_SECRET}",
            },
            {"id": "stdout", "kind": "console"},
        ],
        "routes": [
            {"match": {"min_level": "high"}, "to": ["risk", "desk", "gone"], "continue": True},
            {"match": {"min_level": "low"}, "to": ["stdout"]},
        ],
    }
    path.write_text(yaml.safe_dump(config))


async def test_no_secret_in_any_log_line_and_every_line_is_attributable(
    tmp_path: Path, namespace: str, redis: Redis, receiver: AnyPathReceiver
) -> None:
    assert receiver.server is not None
    base = str(receiver.server.make_url("")).rstrip("/")
    env = secret_env(base)
    config = tmp_path / "rarewatch.yaml"
    write_config(config, namespace, base)
    procs = {s: ServiceProcess(s, config, free_port(), tmp_path, env=env) for s in SERVICES}
    try:
        for p in procs.values():
            p.start()
        for p in procs.values():
            await p.ready()
        url = f"http://127.0.0.1:{procs['ingest'].port}/v1/items"
        async with aiohttp.ClientSession() as s:
            auth = {"Authorization": f"Bearer {env['RAREWATCH_PUSH_TOKEN']}"}
            async with s.post(url, json=ITEMS, headers=auth) as r:
                assert r.status == 202
            async with s.post(url, json=ITEMS[:1], headers={"Authorization": "Bearer nope"}) as r:
                assert r.status == 401
        events = await all_events(redis, Names(namespace), len(ITEMS) + 1)  # + the feed's
        high = {e.story.id for e in events if e.story.level.rank >= Level.HIGH.rank}
        assert high, "no item alerted high: the test would deliver nothing"
        await receiver.wait_for("/hooks/rarewatch/", len(high))  # signed, after a 500
        await receiver.wait_for("/services/", len(high))  # Slack, paced, after a 429
        for _ in range(200):  # the 410 disables "gone" and tells operations
            if await redis.hget(Names(namespace).destination_state("gone"), "disabled"):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)  # the ops notice reaches the console
    finally:
        for p in procs.values():
            if p.proc is not None:
                p.stop()

    outputs = {name: (p.stdout(), p.stderr()) for name, p in procs.items()}
    for what, value in secret_values(env).items():
        for name, (out, err) in outputs.items():
            assert value not in out, f"{what} in {name} stdout"
            assert value not in err, f"{what} in {name} stderr"

    traces: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, (_out, err) in outputs.items():
        lines = [json.loads(x) for x in err.splitlines() if x.strip()]  # every line is JSON
        assert lines, f"{name} logged nothing"
        for line in lines:
            assert line.get("service") == name, f"{name}: no service on {line}"
            if "item_id" in line or "alert_id" in line:
                assert line.get("trace_id"), f"{name}: no trace_id on {line}"
            if line.get("trace_id"):
                traces.setdefault(line["trace_id"], {}).setdefault(name, []).append(line)

    # one grep of a trace id follows an item from the fetch (or push) to the delivery
    by_url = {e.item.url: e for e in events}
    for url in (FEED_ITEM_URL, ITEMS[0]["url"]):
        event = by_url[url]
        assert event.story.level.rank >= Level.HIGH.rank, (url, event.story.level)
        trace = event.item.trace_id
        assert set(traces.get(trace, {})) == set(SERVICES), (url, traces.get(trace))
        notify_events = {line["event"] for line in traces[trace]["notify"]}
        assert {"alert queued", "delivered"} <= notify_events, (url, notify_events)
