"""The bus against the real Redis: batching, reclaim after a dead consumer, dead letters,
and nothing acked before the handler hands it on."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from redis.asyncio import Redis

from shared import bus
from shared.models import OpsEvent
from shared.names import Names

FAST = bus.BusSettings(
    batch=50, block_ms=100, claim_idle_ms=50, claim_every_s=0.05, max_deliveries=3, maxlen=10_000
)


def event(n: int) -> OpsEvent:
    return OpsEvent(
        kind="source.down", subject=f"s{n}", message=str(n), at=datetime.now(UTC), trace_id=f"t{n}"
    )


async def pending_count(redis: Redis, stream: str, group: str) -> int:
    info = await redis.xpending(stream, group)
    return int(info["pending"])


async def test_publish_is_one_batch_and_round_trips(redis: Redis, names: Names) -> None:
    ids = await bus.publish(redis, names.ops, [event(i) for i in range(10)], maxlen=1000)
    assert len(ids) == 10 and len(set(ids)) == 10
    rows = await redis.xrange(names.ops)
    decoded = [bus.Entry(i.decode(), f).model(OpsEvent) for i, f in rows]
    assert [e.subject for e in decoded] == [f"s{i}" for i in range(10)]


async def test_dead_consumer_entries_are_reclaimed_and_processed_once(
    redis: Redis, names: Names
) -> None:
    await bus.publish(redis, names.ops, [event(i) for i in range(20)], maxlen=1000)
    started = asyncio.Event()

    async def hang(entries: list[bus.Entry]) -> bus.Outcome:
        started.set()
        await asyncio.sleep(3600)  # dies (is cancelled) before acking
        raise AssertionError("unreachable")

    dying = bus.StreamConsumer(redis, names.ops, "g", "dying", hang, FAST)
    stop = asyncio.Event()
    task = asyncio.create_task(dying.run(stop))
    await asyncio.wait_for(started.wait(), 5)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert await pending_count(redis, names.ops, "g") == 20  # nothing acked

    seen: list[str] = []

    async def ok(entries: list[bus.Entry]) -> bus.Outcome:
        seen.extend(e.model(OpsEvent).subject for e in entries)
        return bus.Outcome(done=[e.id for e in entries])

    await asyncio.sleep(0.1)  # let them go idle past claim_idle_ms
    other = bus.StreamConsumer(redis, names.ops, "g", "survivor", ok, FAST)
    await other.run_until_empty()
    assert sorted(seen) == sorted(f"s{i}" for i in range(20))
    assert len(seen) == 20
    assert await pending_count(redis, names.ops, "g") == 0


async def test_restart_rereads_own_pending_first(redis: Redis, names: Names) -> None:
    await bus.publish(redis, names.ops, [event(i) for i in range(5)], maxlen=1000)
    await bus.ensure_group(redis, names.ops, "g")
    await redis.xreadgroup("g", "me", {names.ops: ">"}, count=5)  # read, then "crash"
    seen: list[str] = []

    async def ok(entries: list[bus.Entry]) -> bus.Outcome:
        seen.extend(e.id for e in entries)
        assert all(e.deliveries == 2 for e in entries)
        return bus.Outcome(done=[e.id for e in entries])

    slow_claim = bus.BusSettings(claim_idle_ms=600_000, block_ms=100)
    assert (
        await bus.StreamConsumer(redis, names.ops, "g", "me", ok, slow_claim).run_until_empty() == 5
    )
    assert len(seen) == 5 and await pending_count(redis, names.ops, "g") == 0


async def test_always_failing_entry_is_dead_lettered_with_its_error(
    redis: Redis, names: Names
) -> None:
    await bus.publish(redis, names.ops, [event(1), event(2)], maxlen=1000)
    calls: dict[str, int] = {}

    async def poison_one(entries: list[bus.Entry]) -> bus.Outcome:
        out = bus.Outcome()
        for e in entries:
            subject = e.model(OpsEvent).subject
            calls[subject] = calls.get(subject, 0) + 1
            if subject == "s1":
                out.failed[e.id] = "ValueError: s1 is poison"
            else:
                out.done.append(e.id)
        return out

    consumer = bus.StreamConsumer(redis, names.ops, "g", "c", poison_one, FAST)
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    dlq = Names.dead_letters(names.ops)
    for _ in range(100):
        if await redis.xlen(dlq):
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, 5)
    rows = await redis.xrange(dlq)
    assert len(rows) == 1
    fields = rows[0][1]
    assert fields[b"dlq_error"] == b"ValueError: s1 is poison"
    assert int(fields[b"dlq_deliveries"]) == FAST.max_deliveries + 1
    assert bus.Entry("x", fields).model(OpsEvent).subject == "s1"  # payload kept for redrive
    assert calls == {"s1": FAST.max_deliveries, "s2": 1}
    assert await pending_count(redis, names.ops, "g") == 0


async def test_handler_exception_leaves_entries_pending(redis: Redis, names: Names) -> None:
    await bus.publish(redis, names.ops, [event(1)], maxlen=1000)

    async def boom(entries: list[bus.Entry]) -> bus.Outcome:
        raise RuntimeError("downstream unavailable")

    consumer = bus.StreamConsumer(
        redis, names.ops, "g", "c", boom, bus.BusSettings(claim_idle_ms=600_000, block_ms=50)
    )
    await consumer.run_until_empty()
    assert await pending_count(redis, names.ops, "g") == 1
    err = await redis.hgetall(names.failures(names.ops, "g"))
    assert list(err.values()) == [b"RuntimeError: downstream unavailable"]
