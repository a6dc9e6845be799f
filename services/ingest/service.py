"""Ingest's composition root: the push API, the scheduled sources, and the publisher."""

from __future__ import annotations

from aiohttp import web

from services.app import Resources, new_trace_id
from services.ingest.api import make_push_handler
from services.ingest.publisher import ItemPublisher
from shared.health import Check, redis_check
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

    async def readiness() -> list[Check]:
        return [await redis_check(res.redis, cfg.health)]

    return ServiceSpec(
        name="ingest",
        host=cfg.ingest.host,
        port=cfg.ingest.port,
        routes=[web.post("/v1/items", push)],
        readiness=readiness,
        on_stop=[res.close],
    )
