"""Operations notices: notify consumes ``{ns}:ops`` (group ``notify``) and sends each
:class:`~shared.models.OpsEvent` (a source down or recovered, a destination disabled) to
every destination that takes ops notices (``ops: true``; console by default), through its
outbox like an alert. A destination is never told about its own disabling, and events
older than ``max_age`` (a first start on an old stream) are skipped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis

from services.notify.destinations.base import Destination
from services.notify.notices import OpsNotice, ops_notice
from shared import bus, codec
from shared.logging import get_logger
from shared.models import OpsEvent
from shared.names import Names

log = get_logger("notify.ops")

MAX_AGE = timedelta(days=1)


def ops_targets(event: OpsEvent, destinations: Mapping[str, Destination]) -> list[str]:
    """Destinations that take this ops event. Pure."""
    return [
        d.id
        for d in destinations.values()
        if d.receives_ops and not (event.kind == "destination.disabled" and event.subject == d.id)
    ]


@dataclass
class OpsDispatcher:
    redis: Redis
    names: Names
    destinations: dict[str, Destination]
    maxlen: int
    max_age: timedelta = MAX_AGE

    async def handle(self, entries: list[bus.Entry]) -> bus.Outcome:
        outcome = bus.Outcome()
        now = datetime.now(UTC)
        notices: list[OpsNotice] = []
        for e in entries:
            try:
                event = e.model(OpsEvent)
            except (ValidationError, ValueError) as exc:
                outcome.poison[e.id] = f"undecodable ops event: {exc}"
                continue
            outcome.done.append(e.id)
            if now - event.at > self.max_age:
                log.info("old ops event skipped", kind=event.kind, subject=event.subject)
                continue
            notices += [ops_notice(event, d, now) for d in ops_targets(event, self.destinations)]
        if notices:
            async with self.redis.pipeline(transaction=True) as pipe:
                for n in notices:
                    fields: Any = codec.to_fields(n)
                    pipe.xadd(
                        self.names.outbox(n.destination),
                        fields,
                        maxlen=self.maxlen,
                        approximate=True,
                    )
                await pipe.execute()
        for n in notices:
            log.info(
                "ops notice queued",
                type=n.type,
                destination=n.destination,
                alert_id=n.id,
                trace_id=n.trace_id,
            )
        return outcome
