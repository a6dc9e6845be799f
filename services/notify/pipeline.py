"""The dispatcher's decisions for a batch of events, pure: route → replay filter → group →
silence → digest or outbox. No Redis, no clock: what each destination was last told about
each story, the silences in force and ``now`` are passed in.

Silences are checked on the alert grouping would send, so the audit records one
``silenced`` decision per held-back alert, not one per duplicate item; a silenced alert
does not mark its story as alerted, so the story alerts as new once the silence ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from services.notify.destinations.base import Destination
from services.notify.grouping import Alerted, alert_id, decide
from services.notify.routing import Route, RoutingFacts, route
from services.notify.silences import Silence, first_for, holds
from shared.models import Alert, AlertType, ClassifiedEvent, ItemRef, Level

StoryDest = tuple[str, str]


def build_alert(event: ClassifiedEvent, destination: str, kind: AlertType, now: datetime) -> Alert:
    c, item, story = event.classification, event.item, event.story
    return Alert(
        id=alert_id(story.id, destination, story.level, story.official),
        type=kind,
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


def targets(
    event: ClassifiedEvent, routes: Sequence[Route], destinations: Mapping[str, Destination]
) -> list[str]:
    """Destinations an event should reach: routing, then the replay filter."""
    if event.story.level == Level.NONE:
        return []
    out = []
    for decision in route(event, routes):
        dest = destinations.get(decision.destination)
        if dest is None or (event.item.replay and not dest.allows_replay):
            continue
        out.append(dest.id)
    return out


@dataclass(frozen=True, slots=True)
class Silenced:
    alert: Alert
    silence: Silence


@dataclass
class Plan:
    outbox: list[Alert] = field(default_factory=list)
    digest: list[Alert] = field(default_factory=list)
    silenced: list[Silenced] = field(default_factory=list)

    @property
    def alerted(self) -> list[Alert]:
        """Alerts that count as told (grouping state is written for these)."""
        return self.outbox + self.digest


Routed = tuple[ClassifiedEvent, list[str]]


def routed(
    events: Iterable[ClassifiedEvent],
    routes: Sequence[Route],
    destinations: Mapping[str, Destination],
) -> list[Routed]:
    """Each event with the destinations it should reach (events that reach none dropped)."""
    out = []
    for event in events:
        dests = targets(event, routes, destinations)
        if dests:
            out.append((event, dests))
    return out


def story_dest_pairs(batch: Iterable[Routed]) -> list[StoryDest]:
    """The (story, destination) pairs whose grouping state :func:`plan` needs."""
    return sorted({(event.story.id, d) for event, dests in batch for d in dests})


def plan(
    batch: Iterable[Routed],
    destinations: Mapping[str, Destination],
    previous: Mapping[StoryDest, Alerted],
    silences: Sequence[Silence],
    now: datetime,
) -> Plan:
    """Group, silence, then hold for a digest or queue: in event order, so the second item
    of a story in one batch sees the first one's alert."""
    out = Plan()
    told = dict(previous)
    silenced_ids: set[str] = set()
    for event, dests in batch:
        facts = RoutingFacts.from_event(event) if silences else None
        holding = [s for s in silences if holds(s, facts, now)] if facts else []
        for dest_id in dests:
            key = (event.story.id, dest_id)
            kind = decide(event.story, told.get(key))
            if kind is None:
                continue
            alert = build_alert(event, dest_id, kind, now)
            silence = first_for(holding, dest_id)
            if silence is not None:
                if alert.id not in silenced_ids:
                    silenced_ids.add(alert.id)
                    out.silenced.append(Silenced(alert, silence))
                continue
            told[key] = Alerted(event.story.level, event.story.official)
            digest = destinations[dest_id].config.digest
            for_digest = digest is not None and alert.level in digest.levels
            (out.digest if for_digest else out.outbox).append(alert)
    return out
