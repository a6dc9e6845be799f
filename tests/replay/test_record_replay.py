"""``rarewatch record`` and ``rarewatch replay`` against the real Redis, run as a user runs
them (the CLI, in-process), each test in its own namespaces."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis as sync_redis

from shared import codec
from shared.models import ClassifiedEvent, DeliveryRecord, RawItem
from shared.names import Names
from tests.helpers import sample_event
from tests.replay.support import (
    T0,
    capture_lines,
    delete_namespace,
    item,
    item_entries,
    run_cli,
    stream_rows,
    write_config,
)


@pytest.fixture
def client(redis_url: str) -> Iterator[sync_redis.Redis]:
    c = sync_redis.Redis.from_url(redis_url)
    yield c
    c.close()


@pytest.fixture
def spaces(namespace: str, client: sync_redis.Redis) -> Iterator[list[str]]:
    """Namespaces a test uses (the live one first); all deleted afterwards."""
    used = [namespace, f"{namespace}-into"]
    yield used
    for ns in used:
        delete_namespace(client, ns)


def publish(client: sync_redis.Redis, key: str, models: list) -> list[str]:  # type: ignore[type-arg]
    return [client.xadd(key, codec.to_fields(m)).decode() for m in models]  # type: ignore[arg-type]


def read_capture(path: Path) -> tuple[dict, list[dict]]:  # type: ignore[type-arg]
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    return lines[0], lines[1:]


def test_record_then_replay_round_trips_every_field(
    tmp_path: Path, redis_url: str, client: sync_redis.Redis, spaces: list[str], capsys
) -> None:  # type: ignore[no-untyped-def]
    live, target = Names(spaces[0]), Names(spaces[1])
    config = write_config(tmp_path / "rw.yaml", live.namespace, redis_url)
    items = [item(n, T0 + timedelta(seconds=n)) for n in range(5)]
    events = [sample_event(f"ev-{n}", story_id="st-1") for n in range(3)]
    deliveries = [
        DeliveryRecord(
            alert_id="alrt_1",
            destination="desk",
            outcome="delivered",
            attempt=2,
            status=200,
            at=T0,
            latency_s=0.42,
            trace_id="t-1",
        ),
        DeliveryRecord(
            alert_id="alrt_2",
            destination="risk",
            outcome="retrying",
            attempt=1,
            status=503,
            error="HTTP 503",
            at=T0,
            trace_id="t-2",
        ),
    ]
    for stream, models in (("items", items), ("events", events), ("deliveries", deliveries)):
        ids = publish(client, getattr(live, stream), models)
        path = tmp_path / f"{stream}.jsonl"
        assert run_cli("record", "--stream", stream, "-o", str(path), "--config", str(config)) == 0
        header, lines = read_capture(path)
        assert header["format"] == "rarewatch-capture" and header["version"] == 1
        assert (header["namespace"], header["stream"]) == (live.namespace, stream)
        assert (header["from"], header["to"], header["follow"]) == (ids[0], ids[-1], False)
        assert [line["id"] for line in lines] == ids
        capsys.readouterr()
        code = run_cli(
            "replay", str(path), "--into", target.namespace, "--max-speed", "--config", str(config)
        )
        assert code == 0
        assert capsys.readouterr().out.splitlines()[0] == target.namespace
        rows = stream_rows(client, getattr(target, stream))
        model = type(models[0])
        got = [codec.from_fields(model, f) for _, f in rows]
        assert [f[b"type"].decode() for _, f in rows] == [model.__name__] * len(models)
        if model is RawItem:
            assert got == [m.model_copy(update={"replay": True}) for m in models]
        elif model is ClassifiedEvent:
            assert [g.item.replay for g in got] == [True] * len(models)  # type: ignore[attr-defined]
            assert got == [
                m.model_copy(update={"item": m.item.model_copy(update={"replay": True})})
                for m in models
            ]
        else:
            assert got == models


def test_replay_into_a_fresh_namespace_leaves_the_live_streams_untouched(
    tmp_path: Path, redis_url: str, client: sync_redis.Redis, spaces: list[str], capsys
) -> None:  # type: ignore[no-untyped-def]
    live = Names(spaces[0])
    config = write_config(tmp_path / "rw.yaml", live.namespace, redis_url)
    ids = publish(client, live.items, [item(n) for n in range(4)])
    path = tmp_path / "items.jsonl"
    assert run_cli("record", "--stream", "items", "-o", str(path), "--config", str(config)) == 0
    before = sorted(client.scan_iter(match=f"{live.namespace}:*"))
    capsys.readouterr()
    assert run_cli("replay", str(path), "--max-speed", "--config", str(config)) == 0
    target = capsys.readouterr().out.splitlines()[0]
    spaces.append(target)
    assert target.startswith(f"{live.namespace}-replay-")
    assert len(stream_rows(client, Names(target).items)) == 4
    assert [i for i, _ in stream_rows(client, live.items)] == ids
    assert sorted(client.scan_iter(match=f"{live.namespace}:*")) == before


def test_speed_keeps_the_relative_timing_of_the_capture(
    tmp_path: Path, redis_url: str, client: sync_redis.Redis, spaces: list[str]
) -> None:
    offsets = [0, 6, 15, 30, 36, 60]  # seconds in the capture; at 60x: 0 .. 1 s
    path = tmp_path / "paced.jsonl"
    path.write_text("\n".join(capture_lines("items", item_entries(offsets))) + "\n")
    config = write_config(tmp_path / "rw.yaml", spaces[0], redis_url)
    target = Names(spaces[1])
    code = run_cli(
        "replay", str(path), "--into", target.namespace, "--speed", "60", "--config", str(config)
    )
    assert code == 0
    ms = [int(i.split("-")[0]) for i, _ in stream_rows(client, target.items)]
    replayed = [(m - ms[0]) / 1000 for m in ms]
    expected = [o / 60 for o in offsets]
    assert replayed == pytest.approx(expected, abs=0.15)  # a busy machine may wake us late
    ids = [codec.from_fields(RawItem, f).id for _, f in stream_rows(client, target.items)]
    assert ids == [f"it-{n}" for n in range(len(offsets))]  # order kept


def test_a_corrupt_line_is_reported_by_number_and_the_rest_replays(
    tmp_path: Path, redis_url: str, client: sync_redis.Redis, spaces: list[str], capsys
) -> None:  # type: ignore[no-untyped-def]
    lines = capture_lines("items", item_entries([0, 1, 2, 3, 4, 5]))
    lines[3] = '{"id": "1-0", "time": "2026-03-10T09:00:03Z", "type": "RawItem", "da'
    lines[-1] = lines[-1][:25]  # cut short, as when the recorder was killed mid-write
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines))
    config = write_config(tmp_path / "rw.yaml", spaces[0], redis_url)
    target = Names(spaces[1])
    code = run_cli(
        "replay", str(path), "--into", target.namespace, "--max-speed", "--config", str(config)
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "broken.jsonl: line 4: " in err and "broken.jsonl: line 7: " in err
    assert "2 bad line(s)" in err
    ids = [codec.from_fields(RawItem, f).id for _, f in stream_rows(client, target.items)]
    assert ids == ["it-0", "it-1", "it-3", "it-4"]


def test_record_takes_an_id_or_time_range(
    tmp_path: Path, redis_url: str, client: sync_redis.Redis, spaces: list[str]
) -> None:
    live = Names(spaces[0])
    config = write_config(tmp_path / "rw.yaml", live.namespace, redis_url)
    ids = []
    for n in range(6):  # explicit ids one minute apart, so a time range can pick some
        ms = int((T0 + timedelta(minutes=n)).timestamp() * 1000)
        fields = codec.to_fields(item(n))
        ids.append(client.xadd(live.items, fields, id=f"{ms}-0").decode())  # type: ignore[arg-type]
    path = tmp_path / "range.jsonl"
    args = ["record", "--stream", "items", "-o", str(path), "--config", str(config)]
    assert run_cli(*args, "--from", ids[1], "--to", ids[3]) == 0
    header, lines = read_capture(path)
    assert [line["id"] for line in lines] == ids[1:4]
    assert (header["from"], header["to"]) == (ids[1], ids[3])
    assert run_cli(*args, "--from", "2026-03-10T09:02:00Z", "--to", "2026-03-10T09:04:00Z") == 0
    header, lines = read_capture(path)
    assert [line["id"] for line in lines] == ids[2:5]
    assert header["from_time"].startswith("2026-03-10T09:02:00")
    assert run_cli(*args, "--from", "2026-03-10T09:04:30Z") == 0
    assert [line["id"] for line in read_capture(path)[1]] == ids[5:]
    assert run_cli(*args, "--from", "last tuesday") == 2


def test_follow_records_new_entries_until_interrupted(
    tmp_path: Path, redis_url: str, client: sync_redis.Redis, spaces: list[str]
) -> None:
    live = Names(spaces[0])
    config = write_config(tmp_path / "rw.yaml", live.namespace, redis_url)
    old = publish(client, live.items, [item(0)])
    path = tmp_path / "follow.jsonl"
    cmd = [sys.executable, "-m", "services.cli", "record", "--stream", "items", "--follow"]
    proc = subprocess.Popen(
        [*cmd, "-o", str(path), "--config", str(config)], stderr=subprocess.PIPE
    )
    try:
        wait_for(lambda: path.exists() and len(path.read_text().splitlines()) >= 2)
        new = publish(client, live.items, [item(n) for n in (1, 2)])
        wait_for(lambda: len(path.read_text().splitlines()) >= 4)
        new += publish(client, live.items, [item(3)])
        wait_for(lambda: len(path.read_text().splitlines()) >= 5)
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    header, lines = read_capture(path)
    assert (header["follow"], header["to"]) == (True, None)
    assert [line["id"] for line in lines] == old + new
    assert b"recorded 4 entries" in err


def wait_for(pred, timeout_s: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)
