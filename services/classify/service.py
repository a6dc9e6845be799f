"""Classify's composition root: items in, classified events (with their story) out."""

from __future__ import annotations

import asyncio
import signal
import time
from datetime import UTC, datetime

import structlog
from pydantic import ValidationError

from services.app import Resources, stream_checks
from services.classify.model import Classifier
from services.classify.stories_store import StoryStore
from services.classify.vocabulary import VocabularyWatcher
from shared import bus, metrics
from shared.health import Check
from shared.logging import get_logger
from shared.models import ClassifiedEvent, Level, RawItem, StoryRef
from shared.runner import ServiceSpec

log = get_logger("classify")


def lone_story(item: RawItem) -> StoryRef:
    """Irrelevant items get no story state: a story of one, at level none."""
    return StoryRef(
        id=f"item-{item.id}",
        item_ids=(item.id,),
        sources_count=1,
        official=item.official,
        level=Level.NONE,
    )


class ClassifyHandler:
    def __init__(self, res: Resources, classifiers: VocabularyWatcher, stories: StoryStore):
        self.res = res
        self.classifiers = classifiers
        self.stories = stories

    async def handle(self, entries: list[bus.Entry]) -> bus.Outcome:
        outcome = bus.Outcome()
        classifier: Classifier = self.classifiers.current()
        events: list[ClassifiedEvent] = []
        for entry in entries:
            try:
                item = entry.model(RawItem)
            except (ValidationError, ValueError) as exc:
                outcome.poison[entry.id] = f"undecodable item: {exc}"
                continue
            with structlog.contextvars.bound_contextvars(trace_id=item.trace_id, item_id=item.id):
                started = time.perf_counter()
                c = classifier.classify(
                    item.title,
                    item.summary,
                    source=item.publisher or item.source,
                    url=item.url,
                    official=item.official,
                )
                metrics.CLASSIFY_DURATION.observe(time.perf_counter() - started)
                metrics.EVENTS_CLASSIFIED.labels(c.level.value).inc()
                story = (
                    lone_story(item)
                    if c.level == Level.NONE
                    else await self.stories.assign(item, c, now=item.seen_at)
                )
                log.info(
                    "item classified",
                    item_level=c.level.value,
                    score=c.score,
                    direction=c.direction.value,
                    story_id=story.id,
                    story_level=story.level.value,
                )
            events.append(
                ClassifiedEvent(
                    item=item, classification=c, story=story, classified_at=datetime.now(UTC)
                )
            )
            outcome.done.append(entry.id)
        await bus.publish(
            self.res.redis, self.res.names.events, events, maxlen=self.res.config.bus.maxlen
        )
        return outcome


def build_classify(res: Resources) -> ServiceSpec:
    cfg = res.config
    watcher = VocabularyWatcher(cfg.classify.vocabulary)
    stories = StoryStore(
        res.redis,
        res.names,
        window_s=int(cfg.classify.story_window.total_seconds()),
        is_official=lambda i: watcher.current().is_official_source(i.source, i.url),
    )
    handler = ClassifyHandler(res, watcher, stories)
    consumer = bus.StreamConsumer(
        res.redis,
        res.names.items,
        res.names.GROUP_CLASSIFY,
        res.consumer,
        handler.handle,
        cfg.bus.settings(),
    )

    async def readiness() -> list[Check]:
        checks = await stream_checks(res, (res.names.items, res.names.GROUP_CLASSIFY))
        error = watcher.last_error()
        checks.append(
            Check(
                "vocabulary:loaded",
                "warn" if error else "pass",
                component_id=str(watcher.path or "built-in"),
                output=f"reload failed, old vocabulary kept: {error}" if error else None,
            )
        )
        return checks

    async def reload_on_sighup(stop: asyncio.Event) -> None:
        """``kill -HUP`` reloads the vocabulary now (it is also reloaded when it changes)."""

        def reload() -> None:
            changed = watcher.reload()
            log.info(
                "vocabulary reloaded" if changed else "vocabulary reload failed",
                error=watcher.last_error(),
            )

        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, reload)
        try:
            await stop.wait()
        finally:
            loop.remove_signal_handler(signal.SIGHUP)

    return ServiceSpec(
        name="classify",
        host=cfg.classify.host,
        port=cfg.classify.port,
        loops={"classify": consumer.run, "sighup": reload_on_sighup},
        readiness=readiness,
        on_stop=[res.close],
    )
