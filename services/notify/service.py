"""Notify's composition root: the dispatcher on the events stream, the ops dispatcher on the
ops stream, one sender per destination outbox and one digest loop per destination with a
digest, each its own loop so a slow receiver delays nobody else."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from services.app import Resources, stream_checks
from services.notify import destination_state
from services.notify.destinations.base import Destination
from services.notify.destinations.registry import build_destination
from services.notify.digest import DigestFlusher
from services.notify.dispatch import Dispatcher
from services.notify.ledger import Ledger
from services.notify.ops import OpsDispatcher
from services.notify.sender import Sender
from services.notify.silences_store import SilenceStore
from services.notify.web.routes import console_setup
from shared.bus import BusSettings, StreamConsumer
from shared.health import Check
from shared.runner import Loop, ServiceSpec


def _send_loop(res: Resources, dest: Destination, ledger: Ledger, settings: BusSettings) -> Loop:
    async def run(stop: asyncio.Event) -> None:
        sender = Sender(
            res.redis, res.names, dest, ledger, res.consumer, stop, maxlen=res.config.bus.maxlen
        )
        consumer = StreamConsumer(
            res.redis, sender.stream, res.names.GROUP_SENDER, res.consumer, sender.handle, settings
        )
        await consumer.run(stop)

    return run


def _sender_settings(bus_settings: BusSettings, dest: Destination) -> BusSettings:
    # an entry being retried is re-claimed by its owner; others wait past the send timeout
    idle_ms = max(bus_settings.claim_idle_ms, int(dest.config.timeout_s * 1000) + 15_000)
    return replace(
        bus_settings,
        claim_idle_ms=idle_ms,
        batch=min(bus_settings.batch, dest.config.concurrency * 4),
    )


def build_notify(res: Resources) -> ServiceSpec:
    cfg = res.config
    destinations = {d.id: build_destination(d, res.session) for d in cfg.destinations}
    ledger = Ledger(res.redis, res.names, ttl=cfg.notify.ledger_ttl)
    dispatcher = Dispatcher(
        res.redis,
        res.names,
        cfg.routes,
        destinations,
        state_ttl=cfg.classify.story_window * 2,
        maxlen=cfg.bus.maxlen,
        silences=SilenceStore(res.redis, res.names),
    )
    ops = OpsDispatcher(res.redis, res.names, destinations, maxlen=cfg.bus.maxlen)
    bus_settings = cfg.bus.settings()

    def consumer(stream: str, handler: Dispatcher | OpsDispatcher) -> StreamConsumer:
        return StreamConsumer(
            res.redis, stream, res.names.GROUP_NOTIFY, res.consumer, handler.handle, bus_settings
        )

    loops: dict[str, Loop] = {
        "dispatch": consumer(res.names.events, dispatcher).run,
        "ops": consumer(res.names.ops, ops).run,
    }
    for dest in destinations.values():
        loops[f"send:{dest.id}"] = _send_loop(
            res, dest, ledger, _sender_settings(bus_settings, dest)
        )
        if dest.config.digest is not None:
            flusher = DigestFlusher(
                res.redis, res.names, dest.id, dest.config.digest, maxlen=cfg.bus.maxlen
            )
            loops[f"digest:{dest.id}"] = flusher.run

    async def readiness() -> list[Check]:
        groups = [
            (res.names.events, res.names.GROUP_NOTIFY),
            (res.names.ops, res.names.GROUP_NOTIFY),
        ]
        groups += [(res.names.outbox(d), res.names.GROUP_SENDER) for d in destinations]
        checks = await stream_checks(res, *groups)
        if checks[0].status == "fail":
            return checks
        for dest in destinations.values():
            reason = await destination_state.disabled_reason(res.redis, res.names, dest.id)
            checks.append(
                Check(
                    "destination:enabled",
                    "warn" if reason else "pass",
                    not reason,
                    component_id=dest.id,
                    output=f"disabled: {reason}" if reason else None,
                )
            )
        return checks

    async def close_destinations() -> None:
        for dest in destinations.values():
            await dest.close()

    return ServiceSpec(
        name="notify",
        host=cfg.notify.host,
        port=cfg.notify.port,
        loops=loops,
        readiness=readiness,
        on_stop=[close_destinations, res.close],
        drain_timeout_s=cfg.notify.drain_timeout_s,
        app_setup=console_setup(res, list(destinations)),
    )
