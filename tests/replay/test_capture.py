"""The capture format and the pure parts of record and replay: no Redis needed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.replay.capture import CaptureError, CaptureReader, LineError, entry_line
from services.replay.record import RangeError, parse_bound
from services.replay.replay import default_target, mark_replay, target_offsets
from shared.models import RawItem
from tests.helpers import sample_event
from tests.replay.support import T0, capture_lines, item, item_entries


def test_a_bad_line_is_reported_with_its_number_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = capture_lines("items", item_entries([0, 1, 2, 3, 4, 5]))
    lines[2] = lines[2][:40]  # truncated in the middle of the JSON
    broken = json.loads(lines[4])
    del broken["data"]["title"]
    lines[4] = json.dumps(broken)  # valid JSON, but not a RawItem
    lines[5] = json.dumps({**json.loads(lines[5]), "type": "Alert"})  # not an item
    lines[6] = lines[6][: len(lines[6]) // 2]  # the file was cut short while being written
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines))
    seen: list[LineError] = []
    with CaptureReader(path, seen.append) as cap:
        ids = [e.model.id for e in cap.entries()]  # type: ignore[attr-defined]
    assert ids == ["it-0", "it-2"]
    assert [e.line for e in seen] == [3, 5, 6, 7]
    assert "not JSON" in seen[0].reason
    assert "data.title" in seen[1].reason
    assert "Alert" in seen[2].reason
    assert str(seen[3]).startswith("line 7: ")


def test_a_file_without_a_header_or_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "1-0"}\n')
    with pytest.raises(CaptureError, match="line 1: not a capture header"):
        CaptureReader(path)
    header = json.loads(capture_lines("items", [])[0])
    path.write_text(json.dumps({**header, "version": 9}) + "\n")
    with pytest.raises(CaptureError, match="newer than this rarewatch reads"):
        CaptureReader(path)
    path.write_text("")
    with pytest.raises(CaptureError, match="empty file"):
        CaptureReader(path)


def test_an_entry_line_keeps_the_stream_id_and_its_time() -> None:
    raw = item(1).model_dump_json().encode()
    line = json.loads(entry_line("1773133200123-7", "RawItem", raw))
    assert line["id"] == "1773133200123-7"
    assert line["time"] == "2026-03-10T09:00:00.123Z"
    assert RawItem.model_validate(line["data"]) == item(1)


def test_offsets_follow_the_capture_times_divided_by_the_speed() -> None:
    times = [T0 + timedelta(seconds=s) for s in (0, 6, 15, 30, 60)]
    assert target_offsets(times, 60) == pytest.approx([0, 0.1, 0.25, 0.5, 1.0])
    assert target_offsets(times, 1) == pytest.approx([0, 6, 15, 30, 60])
    assert target_offsets(times, None) == [0, 0, 0, 0, 0]


def test_an_entry_timed_before_the_previous_one_still_keeps_its_place() -> None:
    times = [T0, T0 + timedelta(seconds=10), T0 + timedelta(seconds=4), T0 + timedelta(seconds=12)]
    assert target_offsets(times, 2) == pytest.approx([0, 5, 5, 6])
    with pytest.raises(ValueError, match="positive"):
        target_offsets(times, 0)


def test_replayed_items_and_the_items_inside_events_are_marked() -> None:
    assert mark_replay(item(1)).replay is True  # type: ignore[attr-defined]
    event = mark_replay(sample_event("e1"))
    assert event.item.replay is True  # type: ignore[attr-defined]
    assert event.story == sample_event("e1").story  # type: ignore[attr-defined]


def test_the_default_target_is_a_fresh_namespace_named_after_the_live_one() -> None:
    now = datetime(2026, 3, 10, 9, 5, 7, tzinfo=UTC)
    assert default_target("rarewatch", now) == "rarewatch-replay-20260310T090507"


def test_range_bounds_are_stream_ids_or_iso_times() -> None:
    assert parse_bound("1773133200000-3") == "1773133200000-3"
    assert parse_bound("1773133200000") == "1773133200000"
    assert parse_bound("2026-03-10T09:00:00Z") == "1773133200000"
    assert parse_bound("2026-03-10T10:00:00+01:00") == "1773133200000"
    assert parse_bound("2026-03-10T09:00:00") == "1773133200000"  # naive means UTC
    with pytest.raises(RangeError, match="neither a stream id"):
        parse_bound("yesterday")
