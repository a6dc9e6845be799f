"""Stories in the real Redis (127.0.0.1:6379), each test in its own namespace."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from services.classify.model import Classifier
from services.classify.stories_store import StoryStore, publisher_of
from shared.models import Level, RawItem
from shared.names import Names

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLASSIFIER = Classifier.from_default()


def raw(item_id: str, url: str, title: str, summary: str, *, official: bool = False) -> RawItem:
    return RawItem(
        id=item_id,
        title=title,
        summary=summary,
        url=url,
        source="test-feed",
        seen_at=T0,
        trace_id=f"trace-{item_id}",
        official=official,
    )


THREE_OUTLETS = [
    raw(
        "a",
        "https://www.wire.example/1",
        "US sets 60% tariff on Chinese graphite anodes",
        "The Commerce Department imposed duties on graphite anode imports from China.",
    ),
    raw(
        "b",
        "https://metals.example/2",
        "Washington slaps duty on graphite from China",
        "A 60% levy now applies to Chinese graphite anode material.",
    ),
    raw(
        "c",
        "https://daily.example/3",
        "Graphite anode imports from China face US tariff",
        "Importers of Chinese graphite must pay the new 60% tariff.",
    ),
]
MIRROR = raw("m", "https://mirror.example/copy", THREE_OUTLETS[0].title, THREE_OUTLETS[0].summary)
OTHER = raw(
    "o",
    "https://prices.example/4",
    "Graphite prices climb to a two-year high",
    "Flake graphite prices rose again this week.",
)


async def assign(store: StoryStore, item: RawItem, at: datetime) -> tuple:  # type: ignore[type-arg]
    c = CLASSIFIER.classify(item.title, item.summary)
    return c, await store.assign(item, c, now=at)


async def test_three_outlets_join_one_story_a_copy_counts_once_and_another_story_stays_apart(
    redis: Redis, names: Names
) -> None:
    store = StoryStore(redis, names, window_s=72 * 3600)
    refs = []
    for n, item in enumerate([THREE_OUTLETS[0], MIRROR, THREE_OUTLETS[1], THREE_OUTLETS[2]]):
        c, ref = await assign(store, item, T0 + timedelta(minutes=n))
        assert c.level is Level.HIGH
        refs.append(ref)
    assert len({r.id for r in refs}) == 1
    assert [r.sources_count for r in refs] == [1, 1, 2, 3]
    assert refs[-1].item_ids == ("a", "m", "b", "c")
    assert [r.level for r in refs] == [Level.HIGH] * 3 + [
        Level.CRITICAL
    ]  # three publishers confirm
    assert refs[-1].official is False

    _, other = await assign(store, OTHER, T0 + timedelta(minutes=10))
    assert other.id != refs[0].id and other.item_ids == ("o",)

    state = await store.get(refs[0].id)
    assert state is not None and state.copies == 1
    assert set(state.publishers) == {"wire.example", "metals.example", "daily.example"}


async def test_keys_expire_with_the_window_and_redelivery_is_idempotent(
    redis: Redis, names: Names
) -> None:
    store = StoryStore(redis, names, window_s=3600)
    _, ref = await assign(store, THREE_OUTLETS[0], T0)
    _, again = await assign(store, THREE_OUTLETS[0], T0 + timedelta(minutes=1))
    assert again == ref
    for key in (names.story(ref.id), names.story_index(), names.story_of_item("a")):
        ttl = await redis.ttl(key)
        assert 0 < ttl <= 3600, key
    assert await redis.zscore(names.story_index(), ref.id) == T0.timestamp()


async def test_an_official_source_confirms_a_high_story(redis: Redis, names: Names) -> None:
    store = StoryStore(redis, names)
    _, first = await assign(store, THREE_OUTLETS[0], T0)
    fedreg = raw(
        "fr",
        "https://www.federalregister.gov/documents/2026/03/02/x",
        THREE_OUTLETS[1].title,
        THREE_OUTLETS[1].summary,
    )
    _, ref = await assign(store, fedreg, T0 + timedelta(hours=1))
    assert ref.id == first.id and ref.official is True and ref.level is Level.CRITICAL
    assert publisher_of(fedreg) == "federalregister.gov"


async def test_concurrent_replicas_do_not_split_a_story(redis: Redis, names: Names) -> None:
    stores = [StoryStore(redis, names) for _ in range(3)]
    results = await asyncio.gather(
        *(assign(s, item, T0) for s, item in zip(stores, THREE_OUTLETS, strict=True))
    )
    assert len({ref.id for _, ref in results}) == 1
    final = await stores[0].get(results[0][1].id)
    assert final is not None and sorted(final.item_ids) == ["a", "b", "c"]
