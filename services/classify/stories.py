"""Story clustering, pure: which story a classified item joins, and what that story now says.

An item joins a recent story (inside the window) when

* its text is a near-duplicate of an item already in the story (MinHash estimate of the
  Jaccard similarity of word pairs at least ``NEAR_DUPLICATE``): mirrors, reposts, wire copy; or
* it reports the same event: the same deciding instrument, at least one mineral in common,
  a country in common (or none named on one side) and the same direction.

Otherwise it starts a new story. Independent sources are distinct publishers; a copy counts
once: an item from a publisher already in the story, or from a new host but with text nearly
identical (``SYNDICATED``) to an item already there, adds no source. A story's level is the
highest level of its items, raised one step (high to critical) when an official source or
``CORROBORATING_SOURCES`` independent publishers confirm a high event.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

import numpy as np
from datasketch import MinHash
from pydantic import BaseModel, ConfigDict

from shared.models import Direction, Level, StoryRef

NUM_PERM = 64
NEAR_DUPLICATE = 0.5
SYNDICATED = 0.8
CORROBORATING_SOURCES = 3
MAX_MEMBERS = 20  # signatures kept per story (the latest)
MAX_ITEM_IDS = 500

_WORDS = re.compile(r"[^\W_]+")
SEED = 20260101
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)


def shingles(text: str) -> list[bytes]:
    words = _WORDS.findall(text.lower())
    if len(words) < 2:
        return [w.encode() for w in words]
    return [f"{a} {b}".encode() for a, b in pairwise(words)]


def signature(title: str, summary: str = "") -> str:
    """MinHash of the item's word pairs, base64 (stored in Redis with the story)."""
    m = MinHash(
        num_perm=NUM_PERM, seed=SEED, permutations=_TEMPLATE.permutations, scheme=_TEMPLATE.scheme
    )
    parts = shingles(f"{title} {summary}")
    if parts:
        m.update_batch(parts)
    return base64.b64encode(m.hashvalues.astype("<u4").tobytes()).decode()


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of two signatures."""
    x = np.frombuffer(base64.b64decode(a), dtype="<u4")
    y = np.frombuffer(base64.b64decode(b), dtype="<u4")
    if x.shape != y.shape or not len(x):
        return 0.0
    return float(np.count_nonzero(x == y)) / len(x)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Member(_Frozen):
    id: str
    publisher: str
    sig: str


class StoryState(_Frozen):
    id: str
    instrument: str | None
    direction: Direction
    minerals: tuple[str, ...]
    countries: tuple[str, ...]
    item_ids: tuple[str, ...]
    publishers: tuple[str, ...]  # independent publishers
    copies: int = 0  # items that were mirrors or syndicated copies
    official: bool
    base_level: Level  # highest item level
    first_seen: datetime
    last_seen: datetime

    @property
    def level(self) -> Level:
        return story_level(self.base_level, len(self.publishers), self.official)

    def ref(self) -> StoryRef:
        return StoryRef(
            id=self.id,
            item_ids=self.item_ids,
            sources_count=len(self.publishers),
            official=self.official,
            level=self.level,
        )


@dataclass(frozen=True, slots=True)
class StoryItem:
    id: str
    publisher: str
    official: bool
    sig: str
    level: Level
    direction: Direction
    instrument: str | None
    minerals: tuple[str, ...]
    countries: tuple[str, ...]
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    state: StoryState
    members: tuple[Member, ...]


@dataclass(frozen=True, slots=True)
class Assignment:
    state: StoryState
    members: tuple[Member, ...]
    joined: bool
    reason: str


def story_level(base: Level, sources: int, official: bool) -> Level:
    if base.rank >= Level.HIGH.rank and (official or sources >= CORROBORATING_SOURCES):
        return base.raised()
    return base


def new_story_id(item_id: str) -> str:
    return "st_" + hashlib.blake2b(item_id.encode(), digest_size=10).hexdigest()


def same_event(item: StoryItem, state: StoryState) -> bool:
    if item.instrument is None or item.instrument != state.instrument:
        return False
    if item.direction != state.direction or not set(item.minerals) & set(state.minerals):
        return False
    return not (item.countries and state.countries) or bool(
        set(item.countries) & set(state.countries)
    )


def match(item: StoryItem, cand: Candidate) -> tuple[float, str] | None:
    """(strength, reason) when the item belongs to the candidate story, else None."""
    text = max((similarity(item.sig, m.sig) for m in cand.members), default=0.0)
    if text >= NEAR_DUPLICATE:
        return 1.0 + text, f"near-duplicate text ({text:.2f})"
    if same_event(item, cand.state):
        return text, "same instrument, minerals and country"
    return None


def assign(
    item: StoryItem, candidates: Sequence[Candidate], *, now: datetime, window_s: float
) -> Assignment:
    for cand in candidates:
        if item.id in cand.state.item_ids:
            return Assignment(cand.state, cand.members, True, "item already in the story")
    best: tuple[float, datetime, Candidate, str] | None = None
    for cand in candidates:
        if (now - cand.state.last_seen).total_seconds() > window_s:
            continue
        found = match(item, cand)
        if found and (best is None or (found[0], cand.state.last_seen) > best[:2]):
            best = (found[0], cand.state.last_seen, cand, found[1])
    member = Member(id=item.id, publisher=item.publisher, sig=item.sig)
    if best is None:
        return Assignment(_new_story(item, now), (member,), False, "new story")
    cand, reason = best[2], best[3]
    return Assignment(_join(cand, item, now), (*cand.members, member)[-MAX_MEMBERS:], True, reason)


def _new_story(item: StoryItem, now: datetime) -> StoryState:
    return StoryState(
        id=new_story_id(item.id),
        instrument=item.instrument,
        direction=item.direction,
        minerals=item.minerals,
        countries=item.countries,
        item_ids=(item.id,),
        publishers=(item.publisher,),
        official=item.official,
        base_level=item.level,
        first_seen=now,
        last_seen=now,
    )


def independent(item: StoryItem, cand: Candidate) -> bool:
    """A new publisher whose text is not a syndicated copy of one already in the story."""
    if item.publisher in cand.state.publishers:
        return False
    return all(similarity(item.sig, m.sig) < SYNDICATED for m in cand.members)


def _join(cand: Candidate, item: StoryItem, now: datetime) -> StoryState:
    s = cand.state
    fresh = independent(item, cand)
    return s.model_copy(
        update={
            "item_ids": (*s.item_ids, item.id)[-MAX_ITEM_IDS:],
            "publishers": (*s.publishers, item.publisher) if fresh else s.publishers,
            "copies": s.copies + (0 if fresh else 1),
            "official": s.official or item.official,
            "base_level": max(s.base_level, item.level, key=lambda lv: lv.rank),
            "minerals": tuple(dict.fromkeys((*s.minerals, *item.minerals))),
            "countries": tuple(dict.fromkeys((*s.countries, *item.countries))),
            "last_seen": now,
        }
    )
