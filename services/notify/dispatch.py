"""Dispatch classified events: route → replay filter → group → silence → digest or outbox.

For a batch of events this reads what each destination was last told about each story
(one pipelined round trip) and the silences in force (cached), lets the pure
:func:`services.notify.pipeline.plan` decide, then writes in one transaction: every alert
to its destination's outbox (or digest list), the new grouping state, and a ``silenced``
delivery record for each held-back alert. Only then are the events acked: a crash in
between re-dispatches the same alerts with the same ids, which the delivery ledger dedupes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis

from services.notify.audit import delivery_record
from services.notify.destinations.base import Destination
from services.notify.grouping import Alerted
from services.notify.pipeline import Plan, StoryDest, build_alert, plan, routed, story_dest_pairs
from services.notify.routing import Route
from services.notify.silences_store import SilenceStore
from shared import bus, codec
from shared.logging import get_logger
from shared.models import ClassifiedEvent, Level
from shared.names import Names

log = get_logger("notify.dispatch")

__all__ = ["Dispatcher", "build_alert"]


@dataclass
class Dispatcher:
    redis: Redis
    names: Names
    routes: Sequence[Route]
    destinations: dict[str, Destination]
    state_ttl: timedelta
    maxlen: int
    silences: SilenceStore | None = None

    async def handle(self, entries: list[bus.Entry]) -> bus.Outcome:
        outcome = bus.Outcome()
        events: list[ClassifiedEvent] = []
        for e in entries:
            try:
                events.append(e.model(ClassifiedEvent))
                outcome.done.append(e.id)
            except (ValidationError, ValueError) as exc:
                outcome.poison[e.id] = f"undecodable event: {exc}"
        batch = routed(events, self.routes, self.destinations)
        if not batch:
            return outcome
        previous = await self._previous(story_dest_pairs(batch))
        now = datetime.now(UTC)
        silences = await self.silences.active(now) if self.silences is not None else []
        decided = plan(batch, self.destinations, previous, silences, now)
        await self._write(decided)
        self._log(decided)
        return outcome

    async def _previous(self, pairs: list[StoryDest]) -> dict[StoryDest, Alerted]:
        """What each destination was last told about each story, in one round trip."""
        if not pairs:
            return {}
        async with self.redis.pipeline(transaction=False) as pipe:
            for story_id, dest in pairs:
                pipe.hmget(self.names.story_alerted(story_id, dest), "level", "official")
            replies = await pipe.execute()
        out: dict[StoryDest, Alerted] = {}
        for pair, (level, official) in zip(pairs, replies, strict=True):
            if level is not None:
                out[pair] = Alerted(Level(level.decode()), official in (b"1", "1"))
        return out

    async def _write(self, decided: Plan) -> None:
        if not (decided.alerted or decided.silenced):
            return
        ttl_s = max(60, int(self.state_ttl.total_seconds()))
        async with self.redis.pipeline(transaction=True) as pipe:
            for a in decided.outbox:
                fields: Any = codec.to_fields(a)
                pipe.xadd(
                    self.names.outbox(a.destination), fields, maxlen=self.maxlen, approximate=True
                )
            for a in decided.digest:
                pipe.rpush(self.names.digest(a.destination), codec.dumps(a))
            for a in decided.alerted:
                key = self.names.story_alerted(a.story.id, a.destination)
                pipe.hset(key, mapping={"level": a.level.value, "official": int(a.story.official)})
                pipe.expire(key, ttl_s)
            for s in decided.silenced:
                rec = delivery_record(
                    s.alert.id,
                    s.alert.destination,
                    "silenced",
                    s.alert.trace_id,
                    error=f"silenced by {s.silence.id}: {s.silence.comment}",
                    silence_id=s.silence.id,
                )
                rec_fields: Any = codec.to_fields(rec)
                pipe.xadd(self.names.deliveries, rec_fields, maxlen=self.maxlen, approximate=True)
            await pipe.execute()

    def _log(self, decided: Plan) -> None:
        held = {a.id for a in decided.digest}
        for a in decided.alerted:
            log.info(
                "alert queued",
                alert_id=a.id,
                destination=a.destination,
                type=a.type,
                alert_level=a.level.value,
                trace_id=a.trace_id,
                story_id=a.story.id,
                digest=a.id in held,
            )
        for s in decided.silenced:
            log.info(
                "alert silenced",
                alert_id=s.alert.id,
                destination=s.alert.destination,
                silence_id=s.silence.id,
                trace_id=s.alert.trace_id,
                story_id=s.alert.story.id,
            )
