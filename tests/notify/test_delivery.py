"""Notify against real local receivers and the real Redis: signed webhooks, retries that
keep the webhook-id, Retry-After, 410, dead letters, grouping, and a slow receiver that
delays nobody else."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from aiohttp import web
from redis.asyncio import Redis
from standardwebhooks import Webhook

from services.app import open_resources
from services.notify.service import build_notify
from shared import bus
from shared.models import DeliveryRecord, Level, OpsEvent
from shared.names import Names
from tests.helpers import Receiver, make_config, new_secret, running, sample_event


async def start_notify(
    namespace: str,
    redis_url: str,
    destinations: list[dict[str, Any]],
    routes: list[dict[str, Any]] | None = None,
) -> Any:
    config = make_config(
        namespace,
        redis_url,
        destinations=destinations,
        routes=routes or [{"match": {"min_level": "high"}, "to": [d["id"] for d in destinations]}],
    )
    res = await open_resources(config, "notify")
    return running(build_notify(res))


async def deliveries(redis: Redis, names: Names) -> list[DeliveryRecord]:
    rows = await redis.xrange(names.deliveries)
    return [bus.Entry(i.decode(), f).model(DeliveryRecord) for i, f in rows]


async def wait_until(pred: Any, timeout_s: float = 10.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if await pred():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_signed_webhook_once_per_alert_and_lower_levels_skip(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    receiver = Receiver()
    url = await receiver.start()
    secret = new_secret()
    dests = [{"id": "risk", "kind": "webhook", "url": url, "secret": secret}]
    async with await start_notify(namespace, redis_url, dests):
        await bus.publish(
            redis,
            names.events,
            [
                sample_event("a", level=Level.HIGH),
                sample_event("b", level=Level.MEDIUM),
                sample_event("c", level=Level.CRITICAL),
            ],
            maxlen=1000,
        )
        await receiver.wait_for(2)
        await asyncio.sleep(0.3)
    await receiver.close()
    assert len(receiver.requests) == 2
    bodies = [Webhook(secret).verify(r.body, r.headers) for r in receiver.requests]
    assert sorted(b["data"]["item"]["id"] for b in bodies) == ["a", "c"]
    for req, body in zip(receiver.requests, bodies, strict=True):
        assert body["type"] == "alert.created"
        assert req.headers["webhook-id"] == body["data"]["id"]
        assert body["data"]["story"]["item_ids"] == [body["data"]["item"]["id"]]
        assert set(body["data"]) >= {
            "level",
            "score",
            "direction",
            "minerals",
            "countries",
            "instruments",
            "title",
            "url",
            "source",
            "evidence",
        }


async def test_500_then_200_retries_with_the_same_webhook_id(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    async def flaky(n: int) -> web.StreamResponse:
        return web.Response(status=500 if n == 1 else 200)

    receiver = Receiver(flaky)
    url = await receiver.start()
    secret = new_secret()
    async with await start_notify(
        namespace, redis_url, [{"id": "risk", "kind": "webhook", "url": url, "secret": secret}]
    ):
        await bus.publish(redis, names.events, [sample_event("a")], maxlen=1000)
        await receiver.wait_for(2)
        await wait_until(lambda: _has_outcome(redis, names, "delivered"))
    await receiver.close()
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert len(ids) == 1
    outcomes = [d.outcome for d in await deliveries(redis, names)]
    assert outcomes == ["retrying", "delivered"]


async def _has_outcome(redis: Redis, names: Names, outcome: str) -> bool:
    return any(d.outcome == outcome for d in await deliveries(redis, names))


async def test_429_waits_for_retry_after(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    async def limited(n: int) -> web.StreamResponse:
        if n == 1:
            return web.Response(status=429, headers={"Retry-After": "2"})
        return web.Response(status=200)

    receiver = Receiver(limited)
    url = await receiver.start()
    async with await start_notify(
        namespace,
        redis_url,
        [{"id": "risk", "kind": "webhook", "url": url, "secret": new_secret()}],
    ):
        await bus.publish(redis, names.events, [sample_event("a")], maxlen=1000)
        await receiver.wait_for(2, timeout_s=15)
    await receiver.close()
    first, second = receiver.requests
    assert second.at - first.at >= 2.0


async def test_410_disables_destination_and_dead_letters_with_reason(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    async def gone(_n: int) -> web.StreamResponse:
        return web.Response(status=410)

    receiver = Receiver(gone)
    url = await receiver.start()
    async with await start_notify(
        namespace,
        redis_url,
        [{"id": "risk", "kind": "webhook", "url": url, "secret": new_secret()}],
    ):
        await bus.publish(redis, names.events, [sample_event("a")], maxlen=1000)
        dlq = Names.dead_letters(names.outbox("risk"))
        await wait_until(lambda: _xlen(redis, dlq))
    await receiver.close()
    assert len(receiver.requests) == 1
    ((_, fields),) = await redis.xrange(dlq)
    assert b"410" in fields[b"dlq_error"]
    assert url.encode() not in fields[b"dlq_error"]  # the URL is a secret
    assert await redis.hget(names.destination_state("risk"), "disabled")
    ops = [bus.Entry(i.decode(), f).model(OpsEvent) for i, f in await redis.xrange(names.ops)]
    assert [o.kind for o in ops] == ["destination.disabled"]


async def _xlen(redis: Redis, key: str) -> bool:
    return bool(await redis.xlen(key))


async def test_hanging_receiver_times_out_and_dead_letters_at_the_deadline(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    async def hang(_n: int) -> web.StreamResponse:
        await asyncio.sleep(30)
        return web.Response(status=200)

    receiver = Receiver(hang)
    url = await receiver.start()
    dest = {
        "id": "risk",
        "kind": "webhook",
        "url": url,
        "secret": new_secret(),
        "timeout_s": 0.3,
        "deadline": 2,
    }
    async with await start_notify(namespace, redis_url, [dest]):
        await bus.publish(redis, names.events, [sample_event("a")], maxlen=1000)
        dlq = Names.dead_letters(names.outbox("risk"))
        await wait_until(lambda: _xlen(redis, dlq), timeout_s=15)
    await receiver.close()
    ((_, fields),) = await redis.xrange(dlq)
    assert b"did not answer" in fields[b"dlq_error"]
    assert len(receiver.requests) >= 2


async def test_one_alert_per_story_then_escalation(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    receiver = Receiver()
    url = await receiver.start()
    secret = new_secret()
    async with await start_notify(
        namespace, redis_url, [{"id": "risk", "kind": "webhook", "url": url, "secret": secret}]
    ):
        await bus.publish(
            redis,
            names.events,
            [
                sample_event("a", story_id="s1", level=Level.HIGH),
                sample_event("b", story_id="s1", level=Level.HIGH),
            ],
            maxlen=1000,
        )
        await receiver.wait_for(1)
        await asyncio.sleep(0.5)
        assert len(receiver.requests) == 1
        await bus.publish(
            redis,
            names.events,
            [sample_event("c", story_id="s1", level=Level.CRITICAL)],
            maxlen=1000,
        )
        await receiver.wait_for(2)
        await asyncio.sleep(0.3)
    await receiver.close()
    types = [orjson.loads(r.body)["type"] for r in receiver.requests]
    assert types == ["alert.created", "alert.escalated"]


async def test_slow_receiver_does_not_delay_another(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    async def slow(_n: int) -> web.StreamResponse:
        await asyncio.sleep(5)
        return web.Response(status=200)

    slow_rx, fast_rx = Receiver(slow), Receiver()
    slow_url, fast_url = await slow_rx.start(), await fast_rx.start()
    dests = [
        {"id": "slow", "kind": "webhook", "url": slow_url, "secret": new_secret(), "timeout_s": 10},
        {"id": "fast", "kind": "webhook", "url": fast_url, "secret": new_secret()},
    ]
    async with await start_notify(namespace, redis_url, dests):
        await bus.publish(
            redis,
            names.events,
            [sample_event(f"i{n}", story_id=f"s{n}") for n in range(3)],
            maxlen=1000,
        )
        await fast_rx.wait_for(3)
        await slow_rx.wait_for(1)
        # all three reached the fast receiver before the slow one answered its first
        assert max(r.at for r in fast_rx.requests) < slow_rx.requests[0].at + 5
    await slow_rx.close()
    await fast_rx.close()


async def test_replayed_events_reach_only_replay_destinations(
    redis: Redis, names: Names, namespace: str, redis_url: str, tmp_path: Any
) -> None:
    receiver = Receiver()
    url = await receiver.start()
    out = tmp_path / "alerts.jsonl"
    dests = [
        {"id": "risk", "kind": "webhook", "url": url, "secret": new_secret()},
        {"id": "audit", "kind": "file", "path": str(out)},
    ]
    async with await start_notify(namespace, redis_url, dests):
        await bus.publish(redis, names.events, [sample_event("r", replay=True)], maxlen=1000)
        for _ in range(200):
            if out.exists() and out.read_text():
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
    await receiver.close()
    lines = out.read_text().splitlines()
    assert len(lines) == 1 and orjson.loads(lines[0])["data"]["replay"] is True
    assert receiver.requests == []
