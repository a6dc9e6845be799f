"""Throughput of the bus: a three-hop relay (a -> b -> c -> done) through consumer groups,
batched as the services use it. Prints events/s.

    .venv/bin/python bench/bus_relay.py [--n 20000] [--batch 200] [--redis-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime

from shared import bus
from shared.models import OpsEvent
from shared.redisconn import make_redis


async def main(n: int, batch: int, url: str) -> None:
    redis = make_redis(url, block_ms=100)
    ns = f"bench-{uuid.uuid4().hex[:8]}"
    hops = [f"{ns}:a", f"{ns}:b", f"{ns}:c"]
    settings = bus.BusSettings(batch=batch, block_ms=100, maxlen=n * 2)
    done = 0
    finished = asyncio.Event()

    def relay(nxt: str | None) -> bus.Handler:
        async def handle(entries: list[bus.Entry]) -> bus.Outcome:
            nonlocal done
            if nxt is None:
                done += len(entries)
                if done >= n:
                    finished.set()
            else:
                models = [e.model(OpsEvent) for e in entries]
                await bus.publish(redis, nxt, models, maxlen=n * 2)
            return bus.Outcome(done=[e.id for e in entries])

        return handle

    stop = asyncio.Event()
    consumers = [
        bus.StreamConsumer(
            redis, hops[i], "g", "c", relay(hops[i + 1] if i < 2 else None), settings
        )
        for i in range(3)
    ]
    for c in consumers:
        await bus.ensure_group(redis, c.stream, "g")
    tasks = [asyncio.create_task(c.run(stop)) for c in consumers]
    now = datetime.now(UTC)
    events = [
        OpsEvent(kind="source.down", subject=f"s{i}", message="m", at=now, trace_id="t")
        for i in range(n)
    ]
    started = time.perf_counter()
    for i in range(0, n, 1000):
        await bus.publish(redis, hops[0], events[i : i + 1000], maxlen=n * 2)
    await finished.wait()
    elapsed = time.perf_counter() - started
    stop.set()
    await asyncio.gather(*tasks)
    keys = [k async for k in redis.scan_iter(match=f"{ns}:*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()
    print(
        f"{n} events through 3 hops (batch {batch}) in {elapsed:.2f}s: {n / elapsed:,.0f} events/s"
    )


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=20_000)
    p.add_argument("--batch", type=int, default=200)
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    a = p.parse_args()
    asyncio.run(main(a.n, a.batch, a.redis_url))
