"""Stories in memory, for backtests: the pure clustering of
:mod:`services.classify.stories` with the bookkeeping :class:`StoryStore` does in Redis,
and an index so that an item is compared only with the stories it could join.

The result is the same as handing ``assign`` every story in the window (as the Redis
store does): a story is a candidate when it could be a near-duplicate (some MinHash value
in common at 32 or more of the 64 positions, the least a similarity of 0.5 needs) or the
same event (same instrument and direction, a mineral in common); candidates are passed in
the store's order (last update, then id), so ties break the same way. Times are capture
times; a story leaves memory once the window has passed since its last update.
"""

from __future__ import annotations

import base64
import heapq
from collections import defaultdict
from datetime import datetime

import numpy as np

from services.classify.stories import (
    NEAR_DUPLICATE,
    NUM_PERM,
    Assignment,
    Candidate,
    StoryItem,
    assign,
)
from shared.models import StoryRef

MIN_SHARED = int(np.ceil(NEAR_DUPLICATE * NUM_PERM))
EventKey = tuple[str, str, str]  # (instrument, direction, mineral)


_POSITIONS = np.arange(NUM_PERM, dtype=np.uint64) << np.uint64(32)


def _pairs(sig: str) -> list[int]:
    """The signature as (position, value) pairs, each packed into one int."""
    values = np.frombuffer(base64.b64decode(sig), dtype="<u4").astype(np.uint64)
    packed: list[int] = (_POSITIONS[: len(values)] | values).tolist()
    return packed


class MemoryStories:
    def __init__(self, window_s: float):
        self.window_s = window_s
        self.stories: dict[str, Candidate] = {}
        self.item_story: dict[str, tuple[str, float]] = {}  # item id -> (story id, set at)
        self._by_pair: dict[int, dict[str, int]] = {}  # pair -> {story id: members with it}
        self._member_pairs: dict[tuple[str, str], list[int]] = {}  # (story, member) -> pairs
        self._by_event: dict[EventKey, set[str]] = defaultdict(set)
        self._expiry: list[tuple[float, str]] = []  # (last update, story id), lazily cleaned
        self._item_expiry: list[tuple[float, str]] = []  # (set at, item id), lazily cleaned

    def assign(self, new: StoryItem, at: datetime) -> StoryRef:
        """The story ``new`` joins (or starts) at capture time ``at``."""
        now = at.timestamp()
        self._expire(now)
        pairs = _pairs(new.sig)
        result = assign(new, self._candidates(new, pairs, now), now=at, window_s=self.window_s)
        self._save(result, new.id, pairs, now)
        return result.state.ref()

    # -- candidates ---------------------------------------------------------------------
    def _candidates(self, item: StoryItem, pairs: list[int], now: float) -> list[Candidate]:
        known = self.item_story.get(item.id)
        if known is not None and now - known[1] <= self.window_s:  # a repeated item
            story = self.stories.get(known[0])
            return [story] if story is not None else []
        shared: dict[str, int] = {}
        by_pair = self._by_pair
        for pair in pairs:
            holders = by_pair.get(pair)
            if holders:
                for sid in holders:
                    shared[sid] = shared.get(sid, 0) + 1
        ids = {sid for sid, n in shared.items() if n >= MIN_SHARED}
        if item.instrument is not None:
            for mineral in item.minerals:
                ids |= self._by_event.get((item.instrument, item.direction.value, mineral), set())
        found = [self.stories[sid] for sid in ids]
        found.sort(key=lambda cand: (cand.state.last_seen, cand.state.id))
        return found

    # -- bookkeeping --------------------------------------------------------------------
    def _save(self, result: Assignment, item_id: str, pairs: list[int], now: float) -> None:
        state = result.state
        old = self.stories.get(state.id)
        old_members = old.members if old is not None else ()
        kept = {m.id for m in result.members}
        for m in old_members:
            if m.id not in kept:
                self._unindex_member(state.id, m.id)
        had = {m.id for m in old_members}
        for m in result.members:
            if m.id not in had:
                self._index_member(state.id, m.id, pairs if m.id == item_id else _pairs(m.sig))
        if state.instrument is not None:
            for mineral in state.minerals:
                self._by_event[(state.instrument, state.direction.value, mineral)].add(state.id)
        self.stories[state.id] = Candidate(state, result.members)
        self.item_story[item_id] = (state.id, now)
        heapq.heappush(self._expiry, (state.last_seen.timestamp(), state.id))
        heapq.heappush(self._item_expiry, (now, item_id))

    def _index_member(self, story_id: str, member_id: str, pairs: list[int]) -> None:
        self._member_pairs[(story_id, member_id)] = pairs
        by_pair = self._by_pair
        for pair in pairs:
            holders = by_pair.get(pair)
            if holders is None:
                by_pair[pair] = {story_id: 1}
            else:
                holders[story_id] = holders.get(story_id, 0) + 1

    def _unindex_member(self, story_id: str, member_id: str) -> None:
        by_pair = self._by_pair
        for pair in self._member_pairs.pop((story_id, member_id)):
            holders = by_pair[pair]
            left = holders[story_id] - 1
            if left:
                holders[story_id] = left
            elif len(holders) == 1:
                del by_pair[pair]
            else:
                del holders[story_id]

    def _expire(self, now: float) -> None:
        while self._expiry and now - self._expiry[0][0] > self.window_s:
            stamp, story_id = heapq.heappop(self._expiry)
            cand = self.stories.get(story_id)
            if cand is None or cand.state.last_seen.timestamp() != stamp:
                continue  # updated since: a later entry stands for it
            self._drop(cand)
        while self._item_expiry and now - self._item_expiry[0][0] > self.window_s:
            stamp, item_id = heapq.heappop(self._item_expiry)
            known = self.item_story.get(item_id)
            if known is not None and known[1] == stamp:
                del self.item_story[item_id]

    def _drop(self, cand: Candidate) -> None:
        story_id = cand.state.id
        for m in cand.members:
            self._unindex_member(story_id, m.id)
        if cand.state.instrument is not None:
            for mineral in cand.state.minerals:
                key = (cand.state.instrument, cand.state.direction.value, mineral)
                self._by_event[key].discard(story_id)
                if not self._by_event[key]:
                    del self._by_event[key]
        del self.stories[story_id]
