"""The backtest's in-memory stories give exactly what the live store's rule gives: every
story updated within the window is a candidate, in the order of their last update."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.classify.model import Classifier
from services.classify.stories import Candidate, StoryItem, assign
from services.replay.prepare import prepare
from services.replay.stories_memory import MemoryStories
from shared.models import StoryRef
from tests.replay.support import cycled_items

WINDOW_S = 72 * 3600.0


class EveryStory:
    """The reference: what StoryStore does, without Redis and without an index."""

    def __init__(self, window_s: float):
        self.window_s = window_s
        self.stories: dict[str, Candidate] = {}
        self.items: dict[str, tuple[str, float]] = {}

    def assign(self, new: StoryItem, at: datetime) -> StoryRef:
        now = at.timestamp()
        known = self.items.get(new.id)
        if known is not None and now - known[1] <= self.window_s:
            cands = [self.stories[known[0]]] if known[0] in self.stories else []
        else:
            live = [
                c
                for c in self.stories.values()
                if now - c.state.last_seen.timestamp() <= self.window_s
            ]
            cands = sorted(live, key=lambda c: (c.state.last_seen, c.state.id))
        result = assign(new, cands, now=at, window_s=self.window_s)
        self.stories[result.state.id] = Candidate(result.state, result.members)
        self.items[new.id] = (result.state.id, now)
        return result.state.ref()


@pytest.mark.parametrize("shift_h", [6, 30, 73])
def test_in_memory_stories_match_the_every_story_rule(shift_h: int) -> None:
    """6 h apart: copies pile into long-lived stories (members evicted, 500-id cap);
    30 h: stories partly expire; 73 h: every cycle is on its own."""
    classifier = Classifier.from_default()
    fast, slow = MemoryStories(WINDOW_S), EveryStory(WINDOW_S)
    joined = 0
    items = cycled_items(800, timedelta(hours=shift_h))
    repeated = [(at + timedelta(minutes=5), item) for at, item in items[::40]]
    for at, item in sorted(items + repeated, key=lambda pair: pair[0]):  # some come twice
        story = prepare(classifier, at, item).story
        if story is None:
            continue
        got, want = fast.assign(story, at), slow.assign(story, at)
        assert got == want, item.id
        joined += len(got.item_ids) > 1
    assert joined > 50  # stories did form
    if shift_h == 73:
        assert len(fast.stories) < 40  # old cycles left memory
