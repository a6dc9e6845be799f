"""Story grouping, pure: one alert per story per destination, again only when the story's
level rises or an official source newly confirms it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from shared.models import AlertType, Level, StoryRef


@dataclass(frozen=True, slots=True)
class Alerted:
    """What a destination was last told about a story."""

    level: Level
    official: bool


def decide(story: StoryRef, previous: Alerted | None) -> AlertType | None:
    """``alert.created`` for a new story, ``alert.escalated`` when it grew, else None."""
    if previous is None:
        return "alert.created"
    if story.level.rank > previous.level.rank:
        return "alert.escalated"
    if story.official and not previous.official:
        return "alert.escalated"
    return None


def alert_id(story_id: str, destination: str, level: Level, official: bool) -> str:
    """Stable per story, destination and level (and official confirmation): the same
    decision made twice, by a retry or a second replica, gets the same id."""
    key = f"{story_id}\x1f{destination}\x1f{level.value}\x1f{int(official)}"
    return "alrt_" + hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
