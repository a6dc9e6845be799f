"""The console's 7-day timeline as a pure function: per mineral and UTC day, how many
stories reached each level that day.

A story counts once per mineral and day, at the highest level it had that day; a story
that runs over two days counts on both. No Redis here; time is passed in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from shared.models import LEVEL_ORDER, Level

DAYS = 7
MAX_MINERALS = 12
SHOWN_LEVELS: tuple[Level, ...] = tuple(lv for lv in LEVEL_ORDER if lv != Level.NONE)


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """What the timeline needs of one classified event."""

    at: datetime
    story_id: str
    level: Level
    minerals: tuple[str, ...]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class DayCounts(_Frozen):
    day: date
    counts: dict[str, int]  # level -> stories
    total: int


class MineralTimeline(_Frozen):
    mineral: str
    total: int
    days: tuple[DayCounts, ...]


class Timeline(_Frozen):
    days: tuple[date, ...]
    levels: tuple[Level, ...]
    minerals: tuple[MineralTimeline, ...]
    max_day_total: int
    more_minerals: int
    truncated: bool


def day_range(now: datetime, days: int = DAYS) -> tuple[date, ...]:
    """The last ``days`` UTC days, oldest first, ending today."""
    today = now.date()
    return tuple(today - timedelta(days=n) for n in range(days - 1, -1, -1))


def timeline(
    points: Iterable[TimelinePoint],
    *,
    now: datetime,
    days: int = DAYS,
    min_level: Level = Level.LOW,
    max_minerals: int = MAX_MINERALS,
    truncated: bool = False,
) -> Timeline:
    span = day_range(now, days)
    first = span[0]
    # (mineral, day) -> story -> highest level that day
    best: dict[tuple[str, date], dict[str, Level]] = defaultdict(dict)
    for p in points:
        day = p.at.date()
        if day < first or day > span[-1] or p.level.rank < min_level.rank:
            continue
        for mineral in dict.fromkeys(p.minerals):
            stories = best[(mineral, day)]
            old = stories.get(p.story_id)
            if old is None or p.level.rank > old.rank:
                stories[p.story_id] = p.level
    levels = tuple(lv for lv in SHOWN_LEVELS if lv.rank >= min_level.rank)
    per_mineral: dict[str, list[DayCounts]] = {}
    for mineral in sorted({m for m, _ in best}):
        row = []
        for day in span:
            counts = {lv.value: 0 for lv in levels}
            for level in best.get((mineral, day), {}).values():
                counts[level.value] += 1
            row.append(DayCounts(day=day, counts=counts, total=sum(counts.values())))
        per_mineral[mineral] = row
    ranked = sorted(per_mineral.items(), key=lambda kv: (-sum(d.total for d in kv[1]), kv[0]))
    minerals = tuple(
        MineralTimeline(mineral=m, total=sum(d.total for d in row), days=tuple(row))
        for m, row in ranked[:max_minerals]
    )
    return Timeline(
        days=span,
        levels=levels,
        minerals=minerals,
        max_day_total=max((d.total for m in minerals for d in m.days), default=0),
        more_minerals=max(0, len(ranked) - max_minerals),
        truncated=truncated,
    )
