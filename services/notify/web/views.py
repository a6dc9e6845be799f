"""The console's alert list as pure functions: classified events folded into story rows.

A *story row* is one line of the list: every classified event of one story (within the
window) folded together. The headline (title, link, source, direction, score) is the
latest item's; the level is the highest the story reached; minerals, countries and
evidence are the union over its items; sources count and the official flag are the
largest seen. Stream ids are millisecond timestamps, so an entry's id tells when it was
classified. No Redis here; time is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from shared.models import ClassifiedEvent, Direction, Evidence, Level

EVIDENCE_MAX = 12


class StoryRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    story_id: str
    level: Level
    score: int
    direction: Direction
    minerals: tuple[str, ...]
    countries: tuple[str, ...]
    title: str
    url: str | None
    source: str
    item_id: str
    trace_id: str
    items: int
    sources_count: int
    official: bool
    evidence: tuple[Evidence, ...]
    first_at: datetime
    at: datetime
    published_at: datetime | None
    entry_id: str
    replay: bool


def id_key(entry_id: str) -> tuple[int, int]:
    """A stream id as a sortable pair (milliseconds, sequence)."""
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def entry_time(entry_id: str) -> datetime:
    return datetime.fromtimestamp(id_key(entry_id)[0] / 1000, UTC)


def min_id(since: datetime) -> str:
    """The smallest stream id at or after ``since``."""
    return f"{int(since.timestamp() * 1000)}-0"


def _union(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def _merge_evidence(newer: Iterable[Evidence], older: Iterable[Evidence]) -> tuple[Evidence, ...]:
    seen: dict[tuple[str, str], Evidence] = {}
    for ev in (*newer, *older):
        seen.setdefault((ev.text, ev.reason), ev)
    return tuple(seen.values())[:EVIDENCE_MAX]


def fold(row: StoryRow | None, entry_id: str, event: ClassifiedEvent) -> StoryRow:
    """The row after one more event of its story (events may come in any order)."""
    at = entry_time(entry_id)
    c, item, story = event.classification, event.item, event.story
    fresh = StoryRow(
        story_id=story.id,
        level=story.level,
        score=c.score,
        direction=c.direction,
        minerals=c.minerals,
        countries=c.countries,
        title=item.title,
        url=item.url,
        source=item.publisher or item.source,
        item_id=item.id,
        trace_id=item.trace_id,
        items=len(story.item_ids),
        sources_count=story.sources_count,
        official=story.official or item.official,
        evidence=c.evidence[:EVIDENCE_MAX],
        first_at=at,
        at=at,
        published_at=item.published_at,
        entry_id=entry_id,
        replay=item.replay,
    )
    if row is None:
        return fresh
    newer, older = (fresh, row) if id_key(entry_id) >= id_key(row.entry_id) else (row, fresh)
    return newer.model_copy(
        update={
            "level": max(row.level, fresh.level, key=lambda lv: lv.rank),
            "score": max(row.score, fresh.score),
            "minerals": _union(newer.minerals, older.minerals),
            "countries": _union(newer.countries, older.countries),
            "items": max(row.items, fresh.items),
            "sources_count": max(row.sources_count, fresh.sources_count),
            "official": row.official or fresh.official,
            "evidence": _merge_evidence(newer.evidence, older.evidence),
            "first_at": min(row.first_at, fresh.first_at),
            "at": max(row.at, fresh.at),
        }
    )


def fold_all(
    rows: dict[str, StoryRow], entries: Iterable[tuple[str, ClassifiedEvent]]
) -> list[str]:
    """Fold entries into ``rows`` in place; the story ids that changed, in first-change order.

    Events of stories at level ``none`` (irrelevant items) are not alerts and are skipped.
    """
    changed: dict[str, None] = {}
    for entry_id, event in entries:
        if event.story.level == Level.NONE:
            continue
        sid = event.story.id
        rows[sid] = fold(rows.get(sid), entry_id, event)
        changed[sid] = None
    return list(changed)


def shown(row: StoryRow, *, min_level: Level, since: datetime) -> bool:
    return row.level.rank >= min_level.rank and row.at >= since


def visible(rows: Mapping[str, StoryRow], *, min_level: Level, since: datetime) -> list[StoryRow]:
    """The rows to show, newest first."""
    out = [r for r in rows.values() if shown(r, min_level=min_level, since=since)]
    out.sort(key=lambda r: id_key(r.entry_id), reverse=True)
    return out


def prune(rows: dict[str, StoryRow], *, since: datetime) -> int:
    """Drop rows whose latest event is older than ``since``; how many were dropped."""
    old = [sid for sid, r in rows.items() if r.at < since]
    for sid in old:
        del rows[sid]
    return len(old)
