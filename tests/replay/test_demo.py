"""``rarewatch up --demo`` feeds the bundled sample capture through the replay code."""

from __future__ import annotations

from redis.asyncio import Redis

from services.cli.demo import feed_demo
from services.replay.capture import CaptureReader
from shared import codec
from shared.models import RawItem
from shared.names import Names
from tests.helpers import make_config
from tests.replay.support import SAMPLE_CAPTURE


async def test_demo_replays_the_sample_capture_in_order_marked_as_replay(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    config = make_config(namespace, redis_url)
    with CaptureReader(SAMPLE_CAPTURE) as cap:
        expected = [e.model.id for e in cap.entries()]  # type: ignore[attr-defined]
        assert cap.errors == []
    assert 30 <= len(expected) <= 60
    n = await feed_demo(config, lambda: False, speed=1e6)
    rows = await redis.xrange(names.items)
    items = [codec.from_fields(RawItem, f) for _, f in rows]
    assert n == len(expected) and [i.id for i in items] == expected
    assert all(i.replay for i in items)


async def test_demo_stops_when_asked(redis: Redis, names: Names, namespace: str, redis_url: str):  # type: ignore[no-untyped-def]
    config = make_config(namespace, redis_url)
    n = await feed_demo(config, lambda: True, speed=1.0)  # 1x would take hours
    assert n <= 1 and await redis.xlen(names.items) == n
