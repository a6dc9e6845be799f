"""Operations notices end to end: ops events reach the destinations marked ``ops: true``
(signed like alerts), never the destination an event is about, and stale ones are skipped."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from aiohttp import web
from redis.asyncio import Redis
from standardwebhooks import Webhook

from services.notify.destinations.base import Destination
from services.notify.ops import ops_targets
from shared import bus
from shared.models import OpsEvent
from shared.names import Names
from tests.helpers import Receiver, new_secret, sample_event
from tests.notify.support import notify, notify_config


def ops_event(kind: str, subject: str, at: datetime | None = None) -> OpsEvent:
    return OpsEvent(
        kind=kind,  # type: ignore[arg-type]
        subject=subject,
        message=f"{subject}: {kind}",
        at=at or datetime.now(UTC),
        trace_id="t-ops",
    )


async def test_ops_events_reach_ops_destinations_only(
    redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    async def gone(_n: int) -> web.StreamResponse:
        return web.Response(status=410)

    ops_rx, plain_rx, gone_rx = Receiver(), Receiver(), Receiver(gone)
    secret = new_secret()
    dests = [
        {"id": "ops-hook", "kind": "webhook", "url": await ops_rx.start(), "secret": secret,
         "ops": True},
        {"id": "plain", "kind": "webhook", "url": await plain_rx.start(), "secret": new_secret()},
        {"id": "broken", "kind": "webhook", "url": await gone_rx.start(), "secret": new_secret()},
    ]  # fmt: skip
    routes = [{"match": {"min_level": "high"}, "to": ["broken"]}]
    config = notify_config(namespace, redis_url, dests, routes)
    async with notify(config):
        await bus.publish(
            redis,
            names.ops,
            [
                ops_event("source.down", "fedreg"),
                ops_event("destination.disabled", "ops-hook"),  # about itself: not sent to it
                ops_event("source.down", "gdelt", datetime.now(UTC) - timedelta(days=2)),  # stale
            ],
            maxlen=1000,
        )
        # a 410 disables "broken", whose ops event then reaches ops-hook
        await bus.publish(redis, names.events, [sample_event("a")], maxlen=1000)
        await ops_rx.wait_for(2)
        await asyncio.sleep(0.5)
    for rx in (ops_rx, plain_rx, gone_rx):
        await rx.close()
    bodies = [Webhook(secret).verify(r.body, r.headers) for r in ops_rx.requests]
    assert sorted((b["type"], b["data"]["subject"]) for b in bodies) == [
        ("ops.destination.disabled", "broken"),
        ("ops.source.down", "fedreg"),
    ]
    assert all(r.headers["webhook-id"].startswith("ops_") for r in ops_rx.requests)
    assert plain_rx.requests == []
    assert len(gone_rx.requests) == 1


def test_console_takes_ops_by_default_and_others_when_asked() -> None:
    from pydantic import TypeAdapter

    from services.notify.destinations.registry import DestinationConfigUnion, build_destination

    adapter: TypeAdapter[object] = TypeAdapter(DestinationConfigUnion)

    def dest(**c: object) -> Destination:
        return build_destination(adapter.validate_python(c), None)  # type: ignore[arg-type]

    dests = {
        d.id: d
        for d in (
            dest(id="console", kind="console"),
            dest(id="quiet", kind="console", ops=False),
            dest(id="audit", kind="file", path="/tmp/x", ops=True),
            dest(id="file", kind="file", path="/tmp/y"),
        )
    }
    assert ops_targets(ops_event("source.recovered", "fedreg"), dests) == ["console", "audit"]
    assert ops_targets(ops_event("destination.disabled", "audit"), dests) == ["console"]
