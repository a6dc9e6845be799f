"""The live classify service: items in, events out with the same model as `rarewatch
score`, and one story for one event told by three outlets."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from services.classify.model import Classifier
from services.cli.run import build_spec
from shared import bus
from shared.models import ClassifiedEvent, Level, RawItem
from shared.names import Names
from tests.helpers import make_config, running

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
STORY = [
    (
        "wire.example",
        "China suspends exports of gallium and germanium to the United States",
        "The commerce ministry said the ban on shipments takes effect immediately.",
    ),
    (
        "metals.example",
        "Beijing halts gallium, germanium shipments to US with immediate effect",
        "Chinese exporters were told to stop all gallium and germanium sales to American buyers.",
    ),
    (
        "desk.example",
        "Gallium and germanium exports to America banned by China, effective now",
        "The ban announced by Beijing on Tuesday covers gallium and germanium products.",
    ),
]
OTHER = (
    "wire.example",
    "Gallium prices slip in Rotterdam as inventories build",
    "European gallium prices eased for a second week as buyers held back.",
)


def item(n: int, publisher: str, title: str, summary: str) -> RawItem:
    return RawItem(
        id=f"i{n}",
        title=title,
        summary=summary,
        url=f"https://{publisher}/{n}",
        source="test",
        publisher=publisher,
        published_at=T0,
        seen_at=T0 + timedelta(minutes=10 * n),
        trace_id=f"t{n}",
    )


async def test_events_carry_the_model_output_and_one_story_per_event(
    namespace: str, redis_url: str, redis: Redis, names: Names
) -> None:
    items = [item(n, *row) for n, row in enumerate([*STORY, OTHER])]
    config = make_config(namespace, redis_url)
    async with running(await build_spec("classify", config)):
        await bus.publish(redis, names.items, items, maxlen=1000)
        for _ in range(200):
            if await redis.xlen(names.events) == len(items):
                break
            await asyncio.sleep(0.05)
    rows = await redis.xrange(names.events)
    events = {
        e.item.id: e for e in (bus.Entry(i.decode(), f).model(ClassifiedEvent) for i, f in rows)
    }
    model = Classifier.from_default()
    for it in items:
        assert events[it.id].classification == model.classify(
            it.title, it.summary, source=it.publisher, url=it.url
        )
    story_ids = {events[f"i{n}"].story.id for n in range(3)}
    assert len(story_ids) == 1
    assert events["i3"].story.id not in story_ids
    last = events["i2"].story
    assert last.sources_count == 3 and set(last.item_ids) == {"i0", "i1", "i2"}
    # the story's level: the highest of its items, one step up when three independent
    # publishers confirm a high (or critical, which stays critical) event
    highest = max((events[f"i{n}"].classification.level for n in range(3)), key=lambda v: v.rank)
    assert highest.rank >= Level.HIGH.rank
    assert last.level == highest.raised()
