"""A replayed capture reaches only the destinations that allow replays (console and file
by default), through the real notify service and a real local webhook receiver."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from redis.asyncio import Redis

from services.app import open_resources
from services.notify.service import build_notify
from services.replay.capture import CaptureReader
from services.replay.replay import replay
from shared.names import Names
from tests.helpers import Receiver, make_config, new_secret, running, sample_event
from tests.replay.support import T0, capture_lines


async def test_replayed_events_alert_the_file_but_not_the_webhook(
    tmp_path: Path, redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    events = [sample_event(f"rp-{n}", story_id=f"story-{n}") for n in range(3)]
    entries = [
        (T0 + timedelta(seconds=n), "ClassifiedEvent", e.model_dump(mode="json"))
        for n, e in enumerate(events)
    ]
    capture = tmp_path / "events.jsonl"
    capture.write_text("\n".join(capture_lines("events", entries)) + "\n")
    receiver = Receiver()
    url = await receiver.start()
    out = tmp_path / "alerts.jsonl"
    config = make_config(
        namespace,
        redis_url,
        destinations=[
            {"id": "risk", "kind": "webhook", "url": url, "secret": new_secret()},
            {"id": "audit", "kind": "file", "path": str(out)},
        ],
        routes=[{"match": {"min_level": "high"}, "to": ["risk", "audit"]}],
    )
    res = await open_resources(config, "notify")
    try:
        async with running(build_notify(res)):
            with CaptureReader(capture) as cap:
                n = await replay(redis, cap.entries(), names.events, speed=None, maxlen=1000)
            assert n == 3
            for _ in range(200):
                if out.exists() and len(out.read_text().splitlines()) == 3:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # time for a webhook delivery, were one coming
    finally:
        await receiver.close()
    bodies = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(b["data"]["item"]["id"] for b in bodies) == [e.item.id for e in events]
    assert all(b["data"]["replay"] is True for b in bodies)
    assert receiver.requests == []
