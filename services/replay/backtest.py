"""Backtest, pure: captured items → classify → stories → routing → grouping → the alerts
each destination would have received. No Redis, no clock: every time is a capture time.

The same decisions as the live services, in the same order: the classifier call classify
makes, the story level after corroboration, :func:`~services.notify.routing.route` and
:func:`~services.notify.grouping.decide` as notify's dispatcher uses them (alerts keep
notify's stable ids). What a backtest leaves out: silences and digests (live operator
state), the replay filter (it asks what the live destinations would have got), and the
expiry of grouping state.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.classify.model import Classifier
from services.classify.stories import StoryItem
from services.notify.grouping import Alerted, alert_id, decide
from services.notify.routing import RoutingFacts, route
from services.replay.capture import CapturedEntry
from services.replay.prepare import Prepared, prepare_all, prepare_parallel
from services.replay.rules import RuleSet
from services.replay.stories_memory import MemoryStories
from shared.models import (
    AlertType,
    Classification,
    ClassifiedEvent,
    Direction,
    Level,
    RawItem,
    StoryRef,
)


class StoryAssigner(Protocol):
    """Puts a relevant item into a story, as of capture time ``at``."""

    def assign(self, item: StoryItem, at: datetime) -> StoryRef: ...


@dataclass(frozen=True, slots=True)
class FiredAlert:
    """One alert one destination would have received."""

    time: datetime
    destination: str
    type: AlertType
    level: Level
    direction: Direction
    score: int
    minerals: tuple[str, ...]
    countries: tuple[str, ...]
    title: str
    url: str | None
    item_id: str
    story_id: str
    story_items: int
    alert_id: str
    route: str

    @property
    def key(self) -> tuple[str, str]:
        """What two runs compare on: the destination and the item that set it off."""
        return (self.destination, self.item_id)


def captured_items(entries: Iterable[CapturedEntry]) -> Iterator[tuple[datetime, RawItem]]:
    """(capture time, item) from a capture of items, or of events (the item inside)."""
    for entry in entries:
        model = entry.model
        if isinstance(model, RawItem):
            yield entry.time, model
        elif isinstance(model, ClassifiedEvent):
            yield entry.time, model.item


def routing_facts(item: RawItem, p: Prepared, story: StoryRef, at: datetime) -> RoutingFacts:
    """What routing looks at, built the way notify builds it from a classified event."""
    verdict = Classification.model_construct(
        level=p.level,
        score=p.score,
        direction=p.direction,
        minerals=p.minerals,
        countries=p.countries,
        instruments=p.instruments,
        evidence=(),
        classifier_version="",
    )
    event = ClassifiedEvent.model_construct(
        item=item, classification=verdict, story=story, classified_at=at
    )
    return RoutingFacts.from_event(event)


class Backtest:
    """One run of one rule set. Feed items in capture order to :meth:`step`."""

    def __init__(self, rules: RuleSet, stories: StoryAssigner):
        self.rules = rules
        self.stories = stories
        self.told: dict[tuple[str, str], Alerted] = {}  # (story, destination) -> last told

    def step(self, at: datetime, item: RawItem, p: Prepared) -> list[FiredAlert]:
        """The alerts one item sets off, given everything before it."""
        if p.story is None:  # not relevant: classify gives it no story, notify drops it
            return []
        story = self.stories.assign(p.story, at)
        if story.level == Level.NONE:
            return []
        fired = []
        for decision in route(routing_facts(item, p, story, at), self.rules.routes):
            key = (story.id, decision.destination)
            kind = decide(story, self.told.get(key))
            if kind is None:
                continue
            self.told[key] = Alerted(story.level, story.official)
            fired.append(
                FiredAlert(
                    time=at,
                    destination=decision.destination,
                    type=kind,
                    level=story.level,
                    direction=p.direction,
                    score=p.score,
                    minerals=p.minerals,
                    countries=p.countries,
                    title=item.title,
                    url=item.url,
                    item_id=item.id,
                    story_id=story.id,
                    story_items=len(story.item_ids),
                    alert_id=alert_id(story.id, decision.destination, story.level, story.official),
                    route=f"routes[{decision.route_index}]"
                    + (f" ({decision.route_name})" if decision.route_name else ""),
                )
            )
        return fired


def memory_backtest(rules: RuleSet) -> Backtest:
    """A run with in-memory stories over the rule set's story window."""
    return Backtest(rules, MemoryStories(rules.story_window.total_seconds()))


def run_all(
    items: Iterable[tuple[datetime, RawItem]], runs: Sequence[Backtest], *, jobs: int = 1
) -> list[list[FiredAlert]]:
    """Several rule sets over the same items in one pass. Runs that share a classifier
    share its work on each item; ``jobs`` > 1 does that work in worker processes."""
    classifiers: list[Classifier] = []
    for bt in runs:
        if all(c is not bt.rules.classifier for c in classifiers):
            classifiers.append(bt.rules.classifier)
    which = [next(i for i, c in enumerate(classifiers) if c is bt.rules.classifier) for bt in runs]
    rows = (
        prepare_parallel(classifiers, items, jobs) if jobs > 1 else prepare_all(classifiers, items)
    )
    out: list[list[FiredAlert]] = [[] for _ in runs]
    for at, item, prepared in rows:
        for fired, bt, i in zip(out, runs, which, strict=True):
            fired.extend(bt.step(at, item, prepared[i]))
    return out


def run(items: Iterable[tuple[datetime, RawItem]], rules: RuleSet) -> list[FiredAlert]:
    """One rule set over the items."""
    return run_all(items, [memory_backtest(rules)])[0]
