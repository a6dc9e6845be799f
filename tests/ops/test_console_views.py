"""The console's pure view-model: story rows, the 7-day timeline, the health strip and the
server-sent event format. No Redis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from services.notify.web.stream import sse
from services.notify.web.strip import (
    DeadLetters,
    DisabledDestination,
    GroupState,
    health_strip,
    sources_down,
)
from services.notify.web.timeline import TimelinePoint, timeline
from services.notify.web.views import (
    StoryRow,
    entry_time,
    fold,
    fold_all,
    min_id,
    prune,
    visible,
)
from shared.health import HealthThresholds
from shared.models import ClassifiedEvent, Direction, Evidence, Level, OpsEvent
from tests.helpers import sample_event

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def eid(at: datetime, seq: int = 0) -> str:
    return f"{int(at.timestamp() * 1000)}-{seq}"


def story_event(
    item_id: str,
    story: str,
    level: Level,
    *,
    minerals: tuple[str, ...] = ("gallium",),
    sources: int = 1,
    official: bool = False,
    direction: Direction = Direction.TIGHTENING,
    evidence: tuple[Evidence, ...] = (),
    title: str | None = None,
) -> ClassifiedEvent:
    ev = sample_event(
        item_id,
        level=level,
        story_id=story,
        minerals=minerals,
        official=official,
        title=title or f"headline of {item_id}",
    )
    c = ev.classification.model_copy(
        update={"direction": direction, "evidence": evidence or ev.classification.evidence}
    )
    s = ev.story.model_copy(
        update={"sources_count": sources, "item_ids": (*ev.story.item_ids, item_id)}
    )
    return ev.model_copy(update={"classification": c, "story": s})


# -- story rows ------------------------------------------------------------------------
def test_a_story_of_three_items_is_one_row_with_the_latest_headline_and_the_highest_level() -> None:
    t0 = NOW - timedelta(hours=3)
    a = story_event(
        "a",
        "st",
        Level.LOW,
        minerals=("gallium",),
        evidence=(Evidence(text="export quota", reason="quota cue"),),
    )
    b = story_event(
        "b",
        "st",
        Level.HIGH,
        minerals=("germanium", "gallium"),
        sources=3,
        official=True,
        evidence=(Evidence(text="export ban", reason="ban cue"),),
    )
    c = story_event(
        "c",
        "st",
        Level.MEDIUM,
        sources=2,
        direction=Direction.NEUTRAL,
        evidence=(Evidence(text="export quota", reason="quota cue"),),
    )
    rows: dict[str, StoryRow] = {}
    changed = fold_all(
        rows, [(eid(t0), a), (eid(t0 + timedelta(hours=1)), b), (eid(t0 + timedelta(hours=2)), c)]
    )
    assert changed == ["st"]
    row = rows["st"]
    assert row.level == Level.HIGH  # the highest the story reached
    assert row.title == "headline of c" and row.item_id == "c"  # the latest item
    assert row.direction == Direction.NEUTRAL
    assert row.minerals == ("gallium", "germanium")
    assert row.sources_count == 3 and row.official is True
    assert [e.text for e in row.evidence] == ["export quota", "export ban"]  # no repeats
    assert row.first_at == entry_time(eid(t0))
    assert row.at == entry_time(eid(t0 + timedelta(hours=2)))


def test_an_older_event_folded_late_does_not_replace_the_headline() -> None:
    new = story_event("new", "st", Level.MEDIUM)
    old = story_event("old", "st", Level.CRITICAL, minerals=("antimony",))
    row = fold(None, eid(NOW), new)
    row = fold(row, eid(NOW - timedelta(minutes=5)), old)
    assert row.item_id == "new"
    assert row.level == Level.CRITICAL
    assert row.minerals == ("gallium", "antimony")
    assert row.first_at == entry_time(eid(NOW - timedelta(minutes=5)))
    assert row.at == entry_time(eid(NOW))


def test_irrelevant_items_make_no_row() -> None:
    rows: dict[str, StoryRow] = {}
    assert fold_all(rows, [(eid(NOW), story_event("x", "item-x", Level.NONE))]) == []
    assert rows == {}


def test_visible_rows_are_newest_first_above_the_minimum_level_inside_the_window() -> None:
    rows: dict[str, StoryRow] = {}
    fold_all(
        rows,
        [
            (eid(NOW - timedelta(hours=30)), story_event("old", "s-old", Level.CRITICAL)),
            (eid(NOW - timedelta(hours=2)), story_event("low", "s-low", Level.LOW)),
            (eid(NOW - timedelta(hours=1)), story_event("high", "s-high", Level.HIGH)),
            (eid(NOW - timedelta(hours=1), 1), story_event("med", "s-med", Level.MEDIUM)),
        ],
    )
    since = NOW - timedelta(hours=24)
    assert [r.story_id for r in visible(rows, min_level=Level.LOW, since=since)] == [
        "s-med",
        "s-high",
        "s-low",
    ]
    assert [r.story_id for r in visible(rows, min_level=Level.MEDIUM, since=since)] == [
        "s-med",
        "s-high",
    ]
    assert prune(rows, since=since) == 1 and "s-old" not in rows


def test_min_id_is_the_millisecond_stream_id_of_a_time() -> None:
    assert entry_time(min_id(NOW)) == NOW
    assert min_id(NOW).endswith("-0")


# -- timeline --------------------------------------------------------------------------
def point(days_ago: float, story: str, level: Level, *minerals: str) -> TimelinePoint:
    return TimelinePoint(NOW - timedelta(days=days_ago), story, level, minerals)


def test_timeline_counts_each_story_once_per_mineral_and_day_at_its_highest_level() -> None:
    tl = timeline(
        [
            point(0, "s1", Level.MEDIUM, "gallium"),
            point(0.1, "s1", Level.HIGH, "gallium", "germanium"),  # same day, higher
            point(0.2, "s2", Level.LOW, "gallium"),
            point(2, "s1", Level.MEDIUM, "gallium"),  # the same story two days earlier
            point(9, "s3", Level.CRITICAL, "gallium"),  # outside the 7 days
            point(1, "s4", Level.NONE, "tin"),  # not an alert
        ],
        now=NOW,
    )
    assert len(tl.days) == 7 and tl.days[-1] == NOW.date()
    by = {m.mineral: m for m in tl.minerals}
    assert list(by) == ["gallium", "germanium"]  # most alerts first
    today = by["gallium"].days[-1]
    assert today.counts == {"low": 1, "medium": 0, "high": 1, "critical": 0}
    assert by["gallium"].days[-3].counts["medium"] == 1
    assert by["gallium"].total == 3 and by["germanium"].total == 1
    assert tl.max_day_total == 2


def test_timeline_caps_the_minerals_and_says_how_many_are_left_out() -> None:
    points = [point(0, f"s{i}", Level.LOW, f"m{i:02d}") for i in range(15)]
    points += [point(0, "big", Level.HIGH, "m14"), point(1, "big2", Level.HIGH, "m14")]
    tl = timeline(points, now=NOW, max_minerals=5, min_level=Level.HIGH)
    assert [m.mineral for m in tl.minerals] == ["m14"]
    assert tl.levels == (Level.HIGH, Level.CRITICAL)
    tl = timeline(points, now=NOW, max_minerals=5)
    assert len(tl.minerals) == 5 and tl.minerals[0].mineral == "m14"
    assert tl.more_minerals == 10


# -- health strip ----------------------------------------------------------------------
def ops(kind: Any, subject: str, minutes_ago: int) -> OpsEvent:
    return OpsEvent(
        kind=kind,
        subject=subject,
        message=f"{kind} {subject}",
        at=NOW - timedelta(minutes=minutes_ago),
        trace_id="ops",
    )


def test_a_source_is_down_when_its_latest_notice_says_so() -> None:
    newest_first = [
        ops("source.recovered", "fedreg", 1),
        ops("destination.disabled", "risk", 2),
        ops("source.down", "gdelt", 3),
        ops("source.down", "fedreg", 10),
        ops("source.recovered", "gdelt", 20),
        ops("source.down", "rss", 30),
    ]
    assert [(d.source, d.since) for d in sources_down(newest_first)] == [
        ("rss", NOW - timedelta(minutes=30)),
        ("gdelt", NOW - timedelta(minutes=3)),
    ]


def strip(
    lag: int | None = 0, pending: int = 0, dead: int = 0, down: bool = False, disabled: bool = False
) -> str:
    th = HealthThresholds(lag_warn=100, lag_fail=1000, pending_warn=50, dead_letters_warn=1)
    s = health_strip(
        [GroupState("ns:events", "notify", lag, pending), GroupState("ns:items", "classify", 3, 1)],
        [DeadLetters(stream="ns:events:dlq", count=dead)],
        sources_down([ops("source.down", "gdelt", 1)]) if down else [],
        [DisabledDestination(destination="risk", reason="410 Gone")] if disabled else [],
        th,
        NOW,
    )
    return s.status


def test_the_strip_turns_amber_and_red_on_the_readiness_thresholds() -> None:
    assert strip() == "pass"
    assert strip(lag=None) == "pass"  # Redis cannot tell: not a problem by itself
    assert strip(lag=100) == "warn"
    assert strip(lag=1000) == "fail"
    assert strip(pending=50) == "warn"
    assert strip(dead=1) == "warn"
    assert strip(down=True) == "warn"
    assert strip(disabled=True) == "warn"


def test_the_strip_adds_up_lag_pending_and_dead_letters() -> None:
    s = health_strip(
        [GroupState("a", "g", 5, 2), GroupState("b", "g", None, 4)],
        [DeadLetters(stream="a:dlq", count=2), DeadLetters(stream="b:dlq", count=0)],
        [],
        [],
        HealthThresholds(),
        NOW,
    )
    assert (s.lag, s.pending, s.dead_letters) == (5, 6, 2)
    assert [d.stream for d in s.dead_letter_streams] == ["a:dlq"]


# -- server-sent events ----------------------------------------------------------------
def test_an_event_is_one_data_line_even_when_the_headline_has_newlines() -> None:
    raw = sse("story", {"title": "two\nlines"}, "1-0")
    assert raw.endswith(b"\n\n")
    lines = raw.decode().split("\n")
    assert lines[:2] == ["id: 1-0", "event: story"]
    assert lines[2].startswith("data: ") and lines[3:] == ["", ""]
    assert orjson.loads(lines[2].removeprefix("data: ")) == {"title": "two\nlines"}
