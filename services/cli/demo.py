"""The ``--demo`` feed of ``rarewatch up``: sample items written by us, pushed through the
same normalisation as ``POST /v1/items``, into a clean ``<namespace>-demo`` namespace."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources

import orjson

from services.app import new_trace_id
from services.config import Config
from services.ingest.api import raw_item_from_push
from services.ingest.publisher import ItemPublisher
from shared.models import ItemIn
from shared.names import Names
from shared.redisconn import make_redis

DEMO_INTERVAL_S = 0.5


def demo_items() -> list[ItemIn]:
    text = resources.files("services.demo").joinpath("sample.jsonl").read_text("utf-8")
    return [ItemIn.model_validate(orjson.loads(line)) for line in text.splitlines() if line.strip()]


async def clear_namespace(config: Config) -> None:
    redis = make_redis(config.redis_url or "")
    try:
        keys = [k async for k in redis.scan_iter(match=f"{config.namespace}:*", count=1000)]
        for i in range(0, len(keys), 500):
            await redis.delete(*keys[i : i + 500])
    finally:
        await redis.aclose()


async def feed_demo(config: Config, stopped: Callable[[], bool]) -> None:
    redis = make_redis(config.redis_url or "")
    publisher = ItemPublisher(
        redis, Names(config.namespace), ttl=config.ingest.dedup_ttl, maxlen=config.bus.maxlen
    )
    try:
        for item in demo_items():
            if stopped():
                return
            raw = raw_item_from_push(item, now=datetime.now(UTC), trace_id=new_trace_id())
            await publisher.publish([raw], label="demo")
            await asyncio.sleep(DEMO_INTERVAL_S)
    finally:
        await redis.aclose()
