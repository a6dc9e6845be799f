"""Dispatch classified events to destination outboxes: route → replay filter → group.

For a batch of events this reads what each destination was last told about each story
(one pipelined round trip), decides which alerts to send, and writes every alert to its
destination's outbox together with the new grouping state in one transaction. Only then
are the events acked: a crash in between re-dispatches the same alerts with the same
ids, which the delivery ledger dedupes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError
from redis.asyncio import Redis

from services.notify.destinations.base import Destination
from services.notify.grouping import Alerted, alert_id, decide
from services.notify.routing import Route, route
from shared import bus, codec
from shared.logging import get_logger
from shared.models import Alert, ClassifiedEvent, ItemRef, Level
from shared.names import Names

log = get_logger("notify.dispatch")


def build_alert(event: ClassifiedEvent, destination: str, kind: str, now: datetime) -> Alert:
    c, item, story = event.classification, event.item, event.story
    return Alert(
        id=alert_id(story.id, destination, story.level, story.official),
        type=kind,  # type: ignore[arg-type]
        destination=destination,
        level=story.level,
        score=c.score,
        direction=c.direction,
        minerals=c.minerals,
        countries=c.countries,
        instruments=c.instruments,
        title=item.title,
        url=item.url,
        source=item.publisher or item.source,
        published_at=item.published_at,
        evidence=c.evidence,
        item=ItemRef(id=item.id, title=item.title, url=item.url, source=item.source),
        story=story,
        classifier_version=c.classifier_version,
        seen_at=item.seen_at,
        created_at=now,
        trace_id=item.trace_id,
        replay=item.replay,
    )


@dataclass
class Dispatcher:
    redis: Redis
    names: Names
    routes: Sequence[Route]
    destinations: dict[str, Destination]
    state_ttl: timedelta
    maxlen: int

    async def handle(self, entries: list[bus.Entry]) -> bus.Outcome:
        outcome = bus.Outcome()
        events: list[tuple[str, ClassifiedEvent]] = []
        for e in entries:
            try:
                events.append((e.id, e.model(ClassifiedEvent)))
            except (ValidationError, ValueError) as exc:
                outcome.poison[e.id] = f"undecodable event: {exc}"
        wanted = self._wanted(events)
        pairs = {(ev.story.id, d) for _, ev in events for d in wanted.get(ev.item.id, [])}
        previous = await self._previous(sorted(pairs))
        now = datetime.now(UTC)
        alerts: list[Alert] = []
        for _msg_id, event in events:
            for dest in wanted.get(event.item.id, []):
                key = (event.story.id, dest)
                kind = decide(event.story, previous.get(key))
                if kind is None:
                    continue
                previous[key] = Alerted(event.story.level, event.story.official)
                alerts.append(build_alert(event, dest, kind, now))
        await self._enqueue(alerts)
        for a in alerts:
            log.info(
                "alert queued",
                alert_id=a.id,
                destination=a.destination,
                type=a.type,
                level=a.level.value,
                trace_id=a.trace_id,
                story_id=a.story.id,
            )
        outcome.done.extend(msg_id for msg_id, _ in events)
        return outcome

    def _wanted(self, events: list[tuple[str, ClassifiedEvent]]) -> dict[str, list[str]]:
        """Item id -> destinations it should reach (routing, then the replay filter)."""
        out: dict[str, list[str]] = {}
        for _msg_id, event in events:
            if event.story.level == Level.NONE:
                continue
            dests = []
            for decision in route(event, self.routes):
                dest = self.destinations.get(decision.destination)
                if dest is None:
                    continue
                if event.item.replay and not dest.allows_replay:
                    continue
                dests.append(dest.id)
            if dests:
                out[event.item.id] = dests
        return out

    async def _previous(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], Alerted]:
        """What each destination was last told about each story, in one round trip."""
        if not pairs:
            return {}
        async with self.redis.pipeline(transaction=False) as pipe:
            for story_id, dest in pairs:
                pipe.hmget(self.names.story_alerted(story_id, dest), "level", "official")
            replies = await pipe.execute()
        out: dict[tuple[str, str], Alerted] = {}
        for pair, (level, official) in zip(pairs, replies, strict=True):
            if level is not None:
                out[pair] = Alerted(Level(level.decode()), official in (b"1", "1"))
        return out

    async def _enqueue(self, alerts: list[Alert]) -> None:
        if not alerts:
            return
        ttl_s = max(60, int(self.state_ttl.total_seconds()))
        async with self.redis.pipeline(transaction=True) as pipe:
            for a in alerts:
                pipe.xadd(
                    self.names.outbox(a.destination),
                    codec.to_fields(a),  # type: ignore[arg-type]
                    maxlen=self.maxlen,
                    approximate=True,
                )
                key = self.names.story_alerted(a.story.id, a.destination)
                pipe.hset(key, mapping={"level": a.level.value, "official": int(a.story.official)})
                pipe.expire(key, ttl_s)
            await pipe.execute()
