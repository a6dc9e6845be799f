"""Two notify replicas in one consumer group, items of one story split between them: every
alert reaches each destination exactly once (webhook ids and raw requests counted)."""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import AsyncExitStack

from aiohttp import web
from redis.asyncio import Redis

from shared import bus
from shared.names import Names
from tests.helpers import Receiver, new_secret, sample_event
from tests.notify.support import deliveries, notify, notify_config

STORIES = 60
ITEMS_PER_STORY = 2


async def test_two_replicas_deliver_every_alert_once_per_destination(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    async def steady(_n: int) -> web.StreamResponse:
        await asyncio.sleep(0.01)
        return web.Response(status=200)

    receivers = {"risk": Receiver(steady), "desk": Receiver(steady)}
    dests = [
        {"id": dest, "kind": "webhook", "url": await rx.start(), "secret": new_secret()}
        for dest, rx in receivers.items()
    ]
    # items of each story back to back, in small batches: the two replicas race on stories
    events = [
        sample_event(f"s{s}-i{i}", story_id=f"story-{s}")
        for s in range(STORIES)
        for i in range(ITEMS_PER_STORY)
    ]
    async with AsyncExitStack() as stack:
        for consumer in ("replica-a", "replica-b"):
            config = notify_config(namespace, redis_url, dests, consumer=consumer, bus={"batch": 3})
            await stack.enter_async_context(notify(config))
        await bus.publish(redis, names.events, events, maxlen=10_000)
        for rx in receivers.values():
            await rx.wait_for(STORIES, timeout_s=30)
        await asyncio.sleep(1.0)  # anything sent twice would arrive by now
    for rx in receivers.values():
        await rx.close()

    for dest, rx in receivers.items():
        ids = Counter(r.headers["webhook-id"] for r in rx.requests)
        assert len(ids) == STORIES, dest  # none lost
        assert len(rx.requests) == STORIES, f"{dest}: {ids.most_common(3)}"  # none twice
    delivered = [d for d in await deliveries(redis, names) if d.outcome == "delivered"]
    assert len(delivered) == 2 * STORIES
    senders = {
        (await redis.hget(names.ledger(d.alert_id), "by") or b"").decode() for d in delivered
    }
    assert senders == {"replica-a", "replica-b"}  # both replicas did real work
