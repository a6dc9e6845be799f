"""Digests: low alerts held and sent as one message per period (real Redis, real receiver),
once per period even with two notify replicas."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from standardwebhooks import Webhook

from services.notify.destinations.base import DigestConfig
from services.notify.digest import DigestFlusher, period_of
from services.notify.notices import Digest, decode_outgoing
from services.notify.pipeline import build_alert
from shared import bus, codec
from shared.models import Level
from shared.names import Names
from tests.helpers import Receiver, new_secret, sample_event
from tests.notify.support import notify, notify_config

EVERY = timedelta(seconds=60)


def test_periods_are_multiples_of_every_since_the_epoch() -> None:
    t = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    hour = timedelta(hours=1)
    assert period_of(t, hour) == period_of(t + timedelta(minutes=59, seconds=59), hour)
    assert period_of(t + hour, hour) == period_of(t, hour) + 1


async def test_flush_sends_held_alerts_once_when_a_period_ends(redis: Redis, names: Names) -> None:
    config = DigestConfig(levels=(Level.LOW,), every=EVERY)
    flushers = [DigestFlusher(redis, names, "risk", config, maxlen=1000) for _ in range(2)]
    start = datetime.fromtimestamp(period_of(datetime.now(UTC), EVERY) * 60, UTC)
    assert await flushers[0].flush_due(start) == 0  # first look: only remembers the period
    alerts = [
        build_alert(sample_event(f"i{k}", level=Level.LOW), "risk", "alert.created", start)
        for k in range(3)
    ]
    await redis.rpush(names.digest("risk"), *(codec.dumps(a) for a in alerts))
    assert await flushers[0].flush_due(start + EVERY / 2) == 0  # same period: held
    due = start + EVERY
    sent = await asyncio.gather(*(f.flush_due(due) for f in flushers))
    assert sorted(sent) == [0, 1]  # two replicas, one digest
    assert await flushers[1].flush_due(due + EVERY / 2) == 0
    ((_, fields),) = await redis.xrange(names.outbox("risk"))
    digest = decode_outgoing(fields)
    assert isinstance(digest, Digest) and list(digest.alerts) == alerts
    assert await redis.llen(names.digest("risk")) == 0
    assert await flushers[0].flush_due(due + EVERY) == 0  # nothing held: nothing sent


async def test_low_alerts_arrive_as_one_digest_and_high_ones_at_once(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    receiver = Receiver()
    url = await receiver.start()
    secret = new_secret()
    dest = {
        "id": "risk",
        "kind": "webhook",
        "url": url,
        "secret": secret,
        "digest": {"levels": ["low"], "every": "1s"},
    }
    async with AsyncExitStack() as stack:
        for consumer in ("replica-a", "replica-b"):
            config = notify_config(namespace, redis_url, [dest], consumer=consumer)
            await stack.enter_async_context(notify(config))
        low = [sample_event(f"low{k}", level=Level.LOW) for k in range(3)]
        await bus.publish(
            redis, names.events, [*low, sample_event("hi", level=Level.HIGH)], maxlen=1000
        )
        await receiver.wait_for(2, timeout_s=10)
        await asyncio.sleep(2.5)  # more periods pass: nothing held, nothing sent
    await receiver.close()
    bodies = [Webhook(secret).verify(r.body, r.headers) for r in receiver.requests]
    assert [b["type"] for b in bodies] == ["alert.created", "alert.digest"]
    assert bodies[0]["data"]["item"]["id"] == "hi"
    digest = bodies[1]["data"]
    assert digest["count"] == 3
    assert sorted(a["item"]["id"] for a in digest["alerts"]) == ["low0", "low1", "low2"]
    assert {a["level"] for a in digest["alerts"]} == {"low"}
