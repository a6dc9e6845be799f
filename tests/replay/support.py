"""Helpers for the replay tests: capture files written by hand, a config file pointing at
the test Redis, and the CLI run in-process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis as sync_redis
import yaml

from services.cli import main as cli_main
from shared.models import RawItem

REPO = Path(__file__).resolve().parents[2]
SAMPLE_CAPTURE = REPO / "services" / "demo" / "sample_capture.jsonl"
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def write_config(path: Path, namespace: str, redis_url: str, **extra: Any) -> Path:
    path.write_text(yaml.safe_dump({"namespace": namespace, "redis_url": redis_url, **extra}))
    return path


def run_cli(*argv: str) -> int:
    return cli_main(list(argv))


def item(n: int, at: datetime = T0, **fields: Any) -> RawItem:
    base: dict[str, Any] = {
        "id": f"it-{n}",
        "title": f"China tightens antimony export licences, batch {n}",
        "summary": "Exporters need new permits — effective today; “quotes” and ünïcode kept.",
        "url": f"https://news.example.org/{n}",
        "source": "wire",
        "sources": ["wire", "other"],
        "publisher": "news.example.org",
        "published_at": at - timedelta(minutes=2),
        "published_is_fallback": n % 2 == 0,
        "seen_at": at,
        "language": "en",
        "official": n % 3 == 0,
        "trace_id": f"trace-{n:04d}",
    }
    base.update(fields)
    return RawItem.model_validate(base)


def capture_lines(stream: str, entries: list[tuple[datetime, str, dict[str, Any]]]) -> list[str]:
    """A capture as text lines: header, then (time, type, data) entries with ids from times."""
    header = {
        "format": "rarewatch-capture",
        "version": 1,
        "namespace": "rarewatch",
        "stream": stream,
        "from": None,
        "to": None,
        "recorded_at": "2026-03-10T12:00:00Z",
    }
    lines = [json.dumps(header)]
    for seq, (at, type_, data) in enumerate(entries):
        ms = int(at.timestamp() * 1000)
        lines.append(
            json.dumps({"id": f"{ms}-{seq}", "time": at.isoformat(), "type": type_, "data": data})
        )
    return lines


def item_entries(offsets_s: list[float]) -> list[tuple[datetime, str, dict[str, Any]]]:
    out = []
    for n, off in enumerate(offsets_s):
        at = T0 + timedelta(seconds=off)
        out.append((at, "RawItem", item(n, at).model_dump(mode="json")))
    return out


def stream_rows(client: sync_redis.Redis, key: str) -> list[tuple[str, dict[bytes, bytes]]]:
    return [(i.decode(), f) for i, f in client.xrange(key)]


def delete_namespace(client: sync_redis.Redis, namespace: str) -> None:
    keys: Iterator[bytes] = client.scan_iter(match=f"{namespace}:*", count=1000)
    found = list(keys)
    if found:
        client.delete(*found)


def cycled_items(n: int, shift: timedelta) -> list[tuple[datetime, RawItem]]:
    """``n`` items: the sample capture again and again, each cycle ``shift`` later, with
    unique ids (the texts repeat, so later cycles join earlier cycles' stories)."""
    lines = SAMPLE_CAPTURE.read_text(encoding="utf-8").splitlines()[1:]
    base = [json.loads(x) for x in lines]
    out: list[tuple[datetime, RawItem]] = []
    k = 0
    while len(out) < n:
        for e in base[: n - len(out)]:
            at = datetime.fromisoformat(e["time"]) + k * shift
            data = {**e["data"], "id": f"{e['data']['id']}-{k}", "seen_at": at.isoformat()}
            out.append((at, RawItem.model_validate(data)))
        k += 1
    return out
