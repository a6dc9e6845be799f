"""Stories in Redis: the I/O around :mod:`services.classify.stories`.

Keys (all from :class:`shared.names.Names`, all expiring ``window_s`` after their story was
last touched):

* ``story(id)``: a hash with ``state`` (the story, JSON) and ``members`` (recent items'
  publishers and MinHash signatures, JSON);
* ``story_index()``: a sorted set of story ids scored by last update (epoch seconds);
  entries older than the window are trimmed on each write;
* ``story_of_item(item_id)``: the story an item joined, so a re-delivered item is not
  counted twice.

Assignment runs under a short Redis lock (``story_lock()``) so two classify replicas cannot
both start a story for the same event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import cast

import orjson
from pydantic import TypeAdapter
from redis.asyncio import Redis

from services.classify.document import url_host
from services.classify.stories import (
    Assignment,
    Candidate,
    Member,
    StoryItem,
    StoryState,
    assign,
    signature,
)
from shared.models import Classification, RawItem, StoryRef
from shared.names import Names

LOCK_TIMEOUT_S = 10.0  # the lock expires by itself if its holder dies
LOCK_WAIT_S = 10.0
_MEMBERS = TypeAdapter(tuple[Member, ...])


def publisher_of(item: RawItem) -> str:
    """The outlet: the item's publisher, else its URL host without www., else its source."""
    return (item.publisher or url_host(item.url) or item.source).lower().removeprefix("www.")


def story_item(item: RawItem, c: Classification, *, official: bool, now: datetime) -> StoryItem:
    return StoryItem(
        id=item.id,
        publisher=publisher_of(item),
        official=official,
        sig=signature(item.title, item.summary),
        level=c.level,
        direction=c.direction,
        instrument=c.instruments[0] if c.instruments else None,
        minerals=c.minerals,
        countries=c.countries,
        seen_at=now,
    )


def _default_official() -> Callable[[RawItem], bool]:
    from services.classify.model import Classifier

    classifier = Classifier.from_default()
    return lambda item: classifier.is_official_source(item.source, item.url)


class StoryStore:
    def __init__(
        self,
        redis: Redis,
        names: Names,
        window_s: int = 72 * 3600,
        *,
        is_official: Callable[[RawItem], bool] | None = None,
    ):
        self.redis = redis
        self.names = names
        self.window_s = window_s
        self._known_official = is_official or _default_official()

    def official(self, item: RawItem) -> bool:
        """Official: flagged by ingest, or from a host the vocabulary lists as official."""
        return item.official or self._known_official(item)

    async def assign(
        self, item: RawItem, classification: Classification, *, now: datetime | None = None
    ) -> StoryRef:
        now = now or datetime.now(UTC)
        new = story_item(item, classification, official=self.official(item), now=now)
        async with self.redis.lock(
            self.names.story_lock(), timeout=LOCK_TIMEOUT_S, blocking_timeout=LOCK_WAIT_S
        ):
            candidates = await self._candidates(new, now)
            result = assign(new, candidates, now=now, window_s=self.window_s)
            await self._save(result, item.id, now)
        return result.state.ref()

    async def get(self, story_id: str) -> StoryState | None:
        raw = await self.redis.hget(self.names.story(story_id), "state")
        return StoryState.model_validate_json(raw) if raw else None

    async def _candidates(self, new: StoryItem, now: datetime) -> list[Candidate]:
        """Stories in the window that share a mineral with the item (only those can match:
        a copy of an item is classified like it), with their members' signatures."""
        known = await self.redis.get(self.names.story_of_item(new.id))
        if known:
            ids = [_text(known)]
        else:
            since = now.timestamp() - self.window_s
            found = await self.redis.zrangebyscore(self.names.story_index(), since, "+inf")
            ids = [_text(cast(bytes, i)) for i in found]
        if not ids:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for story_id in ids:
            pipe.hget(self.names.story(story_id), "state")
        states = [StoryState.model_validate_json(raw) for raw in await pipe.execute() if raw]
        minerals = set(new.minerals)
        states = [s for s in states if known or minerals & set(s.minerals)]
        if not states:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for state in states:
            pipe.hget(self.names.story(state.id), "members")
        members = await pipe.execute()
        return [
            Candidate(s, _MEMBERS.validate_json(m or b"[]"))
            for s, m in zip(states, members, strict=True)
        ]

    async def _save(self, result: Assignment, item_id: str, now: datetime) -> None:
        state = result.state
        key = self.names.story(state.id)
        members = orjson.dumps([m.model_dump() for m in result.members])
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(key, mapping={"state": state.model_dump_json(), "members": members})
        pipe.expire(key, self.window_s)
        pipe.zadd(self.names.story_index(), {state.id: state.last_seen.timestamp()})
        pipe.zremrangebyscore(self.names.story_index(), "-inf", now.timestamp() - self.window_s)
        pipe.expire(self.names.story_index(), self.window_s)
        pipe.set(self.names.story_of_item(item_id), state.id, ex=self.window_s)
        await pipe.execute()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
