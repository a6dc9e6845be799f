"""The alert console over a real Redis, served by notify in-process the way it is wired in
production: the page, the JSON endpoints and the live stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis

from services.app import open_resources
from services.notify.service import build_notify
from services.notify.web.console import ConsoleSettings
from services.notify.web.routes import console_setup
from shared import bus, codec
from shared.models import Level, OpsEvent
from shared.names import Names
from shared.runner import ServiceRunner, ServiceSpec
from tests.helpers import make_config, running, sample_event

FRESH = ConsoleSettings(snapshot_ttl_s=0, timeline_ttl_s=0, strip_ttl_s=0, keepalive_s=0.3)


async def start_notify(
    namespace: str, redis_url: str, settings: ConsoleSettings = FRESH
) -> ServiceSpec:
    config = make_config(
        namespace,
        redis_url,
        # ops: false keeps the ops events these tests publish out of the outbox, so the
        # dead-letter count is only what a test puts there
        destinations=[{"id": "stdout", "kind": "console", "ops": False}],
        routes=[{"match": {"min_level": "high"}, "to": ["stdout"]}],
    )
    res = await open_resources(config, "notify")
    spec = build_notify(res)
    spec.app_setup = console_setup(res, ["stdout"], settings)
    return spec


@pytest.fixture
async def base(namespace: str, redis_url: str, redis: Redis) -> AsyncIterator[str]:
    async with running(await start_notify(namespace, redis_url)) as runner:
        yield f"http://127.0.0.1:{runner.port}"


async def get_json(url: str, status: int = 200) -> Any:
    async with aiohttp.ClientSession() as s, s.get(url) as r:
        assert r.status == status, await r.text()
        return await r.json(content_type=None)


async def add_at(redis: Redis, stream: str, model: Any, at: datetime, seq: int = 0) -> str:
    """XADD with an id at a given time (stream ids are millisecond timestamps)."""
    entry = f"{int(at.timestamp() * 1000)}-{seq}"
    await redis.xadd(stream, codec.to_fields(model), id=entry)  # type: ignore[arg-type]
    return entry


async def test_the_page_and_its_assets_are_served_with_no_outside_sources(base: str) -> None:
    async with aiohttp.ClientSession() as s:
        async with s.get(f"{base}/") as r:
            assert r.status == 200 and r.content_type == "text/html"
            html = await r.text()
            csp = r.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert 'src="/static/app.js"' in html and 'href="/static/style.css"' in html
        assert "http://" not in html and "https://" not in html
        for name, kind in (("app.js", "javascript"), ("style.css", "text/css")):
            async with s.get(f"{base}/static/{name}") as r:
                assert r.status == 200 and kind in r.content_type
                assert "https://" not in await r.text()


async def test_alerts_are_one_row_per_story_newest_first_within_24_hours(
    base: str, redis: Redis, names: Names
) -> None:
    now = datetime.now(UTC)
    await add_at(
        redis, names.events, sample_event("old", story_id="s-old"), now - timedelta(hours=25)
    )
    await add_at(
        redis,
        names.events,
        sample_event("a1", level=Level.LOW, story_id="s-a", minerals=("gallium",)),
        now - timedelta(hours=3),
    )
    await add_at(
        redis,
        names.events,
        sample_event("b1", level=Level.MEDIUM, story_id="s-b"),
        now - timedelta(hours=2),
    )
    await add_at(
        redis,
        names.events,
        sample_event(
            "a2",
            level=Level.HIGH,
            story_id="s-a",
            minerals=("germanium",),
            official=True,
            title="Second outlet confirms the ban",
        ),
        now - timedelta(hours=1),
    )
    await add_at(
        redis,
        names.events,
        sample_event("n1", level=Level.NONE, story_id="item-n1"),
        now - timedelta(minutes=5),
    )
    body = await get_json(f"{base}/api/alerts")
    rows = body["alerts"]
    assert [r["story_id"] for r in rows] == ["s-a", "s-b"]
    a = rows[0]
    assert a["level"] == "high" and a["title"] == "Second outlet confirms the ban"
    assert a["minerals"] == ["germanium", "gallium"] and a["official"] is True
    assert a["url"] == "https://example.org/a2" and a["evidence"][0]["text"] == "suspends exports"
    high = await get_json(f"{base}/api/alerts?min_level=high")
    assert [r["story_id"] for r in high["alerts"]] == ["s-a"]
    async with aiohttp.ClientSession() as s, s.get(f"{base}/api/alerts?min_level=urgent") as r:
        assert r.status == 400 and "critical" in await r.text()


async def test_timeline_counts_stories_per_mineral_and_day(
    base: str, redis: Redis, names: Names
) -> None:
    now = datetime.now(UTC)
    await add_at(
        redis,
        names.events,
        sample_event("t1", level=Level.CRITICAL, story_id="s1", minerals=("antimony",)),
        now - timedelta(days=3),
    )
    await add_at(
        redis,
        names.events,
        sample_event("t2", level=Level.MEDIUM, story_id="s2", minerals=("antimony", "tungsten")),
        now - timedelta(seconds=30),
    )
    await add_at(
        redis,
        names.events,
        sample_event("t3", level=Level.HIGH, story_id="s2", minerals=("antimony",)),
        now - timedelta(seconds=20),
    )
    tl = await get_json(f"{base}/api/timeline")
    assert tl["days"][-1] == now.date().isoformat() and len(tl["days"]) == 7
    by = {m["mineral"]: m for m in tl["minerals"]}
    assert list(by) == ["antimony", "tungsten"]
    assert by["antimony"]["days"][-1]["counts"]["high"] == 1  # s2 at its highest today
    assert by["antimony"]["days"][-1]["counts"]["medium"] == 0
    assert by["antimony"]["days"][-4]["counts"]["critical"] == 1
    assert by["tungsten"]["days"][-1]["counts"]["medium"] == 1


async def test_health_strip_shows_dead_letters_sources_down_and_disabled_destinations(
    base: str, redis: Redis, names: Names
) -> None:
    ok = await get_json(f"{base}/api/health-strip")
    assert ok["status"] == "pass" and ok["dead_letters"] == 0 and not ok["sources_down"]
    assert {(g["stream"], g["group"]) for g in ok["groups"]} >= {
        (names.events, "notify"),
        (names.outbox("stdout"), "sender"),
        (names.items, "classify"),
    }
    now = datetime.now(UTC)
    notices: list[tuple[Any, str]] = [
        ("source.down", "fedreg"),
        ("source.down", "gdelt"),
        ("source.recovered", "fedreg"),
    ]
    for kind, subject in notices:
        event = OpsEvent(
            kind=kind,
            subject=subject,
            message="3 polls failed",
            at=now,
            trace_id="ops",
        )
        await bus.publish(redis, names.ops, [event], maxlen=1000)
    await redis.xadd(Names.dead_letters(names.items), {"data": "x", "dlq_error": "undecodable"})
    await redis.hset(names.destination_state("stdout"), mapping={"disabled": "410 Gone"})
    body = await get_json(f"{base}/api/health-strip")
    assert body["status"] == "warn"
    assert body["dead_letters"] == 1
    assert body["dead_letter_streams"] == [{"stream": f"{names.items}:dlq", "count": 1}]
    assert [s["source"] for s in body["sources_down"]] == ["gdelt"]
    assert body["disabled"] == [{"destination": "stdout", "reason": "410 Gone"}]


async def test_endpoints_answer_503_naming_redis_when_it_is_gone(namespace: str) -> None:
    spec = await start_notify(namespace, "redis://127.0.0.1:1/0")
    app = ServiceRunner(spec).build_app()
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        for path in ("/api/alerts", "/api/timeline", "/api/health-strip"):
            body = await get_json(str(server.make_url(path)), status=503)
            assert body["title"] == "redis unavailable"
        async with aiohttp.ClientSession() as s, s.get(server.make_url("/")) as r:
            assert r.status == 200  # the page itself still loads and says what is wrong
    finally:
        await server.close()
        for hook in spec.on_stop:
            await hook()


# -- live stream -----------------------------------------------------------------------
async def next_event(resp: aiohttp.ClientResponse, timeout_s: float = 5.0) -> tuple[str, Any]:
    """The next `event:` of a server-sent event stream (comments and retry lines skipped)."""
    event, data = "message", None
    async with asyncio.timeout(timeout_s):
        while True:
            line = (await resp.content.readline()).decode()
            if line == "":
                return "eof", None
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = orjson.loads(line.removeprefix("data: "))
            elif line == "" and data is not None:
                return event, data


async def test_live_stream_sends_a_snapshot_then_each_new_or_updated_story(
    base: str, redis: Redis, names: Names
) -> None:
    await bus.publish(
        redis, names.events, [sample_event("l1", level=Level.MEDIUM, story_id="s-l")], maxlen=1000
    )
    async with aiohttp.ClientSession() as s, s.get(f"{base}/api/alerts/stream") as r:
        assert r.status == 200 and r.content_type == "text/event-stream"
        kind, snap = await next_event(r)
        assert kind == "snapshot" and [a["story_id"] for a in snap["alerts"]] == ["s-l"]
        await bus.publish(
            redis,
            names.events,
            [
                sample_event("n0", level=Level.NONE, story_id="item-n0"),  # not an alert
                sample_event("l2", level=Level.CRITICAL, story_id="s-l", title="Escalated"),
            ],
            maxlen=1000,
        )
        kind, row = await next_event(r)
        assert kind == "story" and row["story_id"] == "s-l"
        assert row["level"] == "critical" and row["title"] == "Escalated" and row["items"] == 1
        await bus.publish(redis, names.events, [sample_event("m1", story_id="s-m")], maxlen=1000)
        kind, row = await next_event(r)
        assert (kind, row["story_id"]) == ("story", "s-m")
        # nothing happens: keep-alive comments keep the connection open
        raw = await asyncio.wait_for(r.content.readline(), timeout=5)
        assert raw.startswith(b": keep-alive")


async def test_streams_are_capped_and_a_closed_page_frees_its_place(
    namespace: str, redis_url: str, redis: Redis
) -> None:
    spec = await start_notify(namespace, redis_url, ConsoleSettings(max_streams=1))
    async with running(spec) as runner, aiohttp.ClientSession() as s:
        url = f"http://127.0.0.1:{runner.port}/api/alerts/stream"
        first = await s.get(url)
        assert (await next_event(first))[0] == "snapshot"
        async with s.get(url) as second:
            assert second.status == 503 and second.headers["Retry-After"] == "10"
        first.close()  # the page goes away
        for _ in range(100):
            async with s.get(url) as again:
                if again.status == 200:
                    break
            await asyncio.sleep(0.05)
        assert again.status == 200


async def test_shutdown_ends_open_streams_instead_of_waiting_for_them(
    namespace: str, redis_url: str, redis: Redis
) -> None:
    runner = ServiceRunner(await start_notify(namespace, redis_url))
    await runner.start()
    async with aiohttp.ClientSession() as s:
        r = await s.get(f"http://127.0.0.1:{runner.port}/api/alerts/stream")
        assert (await next_event(r))[0] == "snapshot"
        # aiohttp would cancel a stuck handler only after its 5 s shutdown timeout
        await asyncio.wait_for(runner.stop(), timeout=4)
        assert (await next_event(r, timeout_s=2))[0] == "eof"
        r.close()
