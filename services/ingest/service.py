"""Ingest's composition root: the push API, the scheduled sources, and the publisher."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.app import Resources, new_trace_id, user_agent
from services.ingest.api import make_push_handler
from services.ingest.publisher import ItemPublisher
from services.ingest.scheduler import SourceRunner, schedule
from services.ingest.sources.base import PollContext
from services.ingest.sources.registry import build_source
from services.ingest.state import RedisStateStore
from shared import bus
from shared.health import Check, by_threshold, redis_check
from shared.models import OpsEvent
from shared.runner import ServiceSpec


def build_ingest(res: Resources) -> ServiceSpec:
    cfg = res.config
    publisher = ItemPublisher(res.redis, res.names, ttl=cfg.ingest.dedup_ttl, maxlen=cfg.bus.maxlen)
    token = cfg.ingest.push_token.get_secret_value() if cfg.ingest.push_token else None
    push = make_push_handler(
        publisher,
        token,
        max_body_bytes=cfg.ingest.max_body_bytes,
        max_items=cfg.ingest.max_items_per_push,
        new_trace_id=new_trace_id,
    )
    ctx = PollContext(
        session=res.session,
        state=RedisStateStore(res.redis, res.names),
        user_agent=user_agent(cfg),
        now=lambda: datetime.now(UTC),
        trace_id=new_trace_id,
    )

    async def publish_ops(event: OpsEvent) -> None:
        await bus.publish(res.redis, res.names.ops, [event], maxlen=10_000)

    runners = [
        SourceRunner(
            build_source(s), ctx, publisher, publish_ops, down_after=cfg.ingest.down_after_failures
        )
        for s in cfg.sources
        if s.enabled
    ]

    async def run_scheduler(stop: asyncio.Event) -> None:
        scheduler = AsyncIOScheduler(timezone=UTC)
        schedule(scheduler, runners)
        scheduler.start()
        try:
            await stop.wait()
        finally:
            scheduler.shutdown(wait=False)

    async def readiness() -> list[Check]:
        checks = [await redis_check(res.redis, cfg.health)]
        th = cfg.health
        for r in runners:
            h = r.health
            status = by_threshold(
                h.consecutive_failures, th.source_failures_warn, th.source_failures_fail
            )
            checks.append(
                Check(
                    "source:consecutiveFailures",
                    status,
                    h.consecutive_failures,
                    component_id=r.source.id,
                    output=f"last error: {h.last_error}" if status != "pass" else None,
                )
            )
            checks.append(
                Check(
                    "source:lastSuccess",
                    "pass",
                    h.last_success.isoformat() if h.last_success else None,
                    component_id=r.source.id,
                )
            )
        return checks

    return ServiceSpec(
        name="ingest",
        host=cfg.ingest.host,
        port=cfg.ingest.port,
        routes=[web.post("/v1/items", push)],
        readiness=readiness,
        loops={"scheduler": run_scheduler} if runners else {},
        on_stop=[res.close],
    )
