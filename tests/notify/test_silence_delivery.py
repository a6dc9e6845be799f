"""Silences end to end: added with the CLI, a matching alert is recorded as silenced and not
sent; once the silence is removed the same story alerts as new."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from prometheus_client import REGISTRY
from redis.asyncio import Redis
from standardwebhooks import Webhook

from services.notify.silences_store import CACHE_S
from shared import bus
from shared.names import Names
from tests.helpers import Receiver, new_secret, sample_event
from tests.notify.support import (
    deliveries,
    notify,
    notify_config,
    run_cli,
    wait_until,
    write_config_file,
)


def silenced_count(destination: str) -> float:
    labels = {"destination": destination, "outcome": "silenced"}
    return REGISTRY.get_sample_value("rarewatch_deliveries_total", labels) or 0.0


async def test_silence_holds_back_matching_alerts_until_removed(
    tmp_path: Path, redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    receiver = Receiver()
    url = await receiver.start()
    secret = new_secret()
    dest = {"id": "risk", "kind": "webhook", "url": url, "secret": secret}
    config = notify_config(namespace, redis_url, [dest])
    path = str(write_config_file(tmp_path / "rarewatch.yaml", config))

    code, out, err = await run_cli(
        "silence", "add", "--minerals", "gallium", "--for", "2h",
        "--comment", "supplier feed is noisy today", "--author", "ops", "--json", "--config", path,
    )  # fmt: skip
    assert code == 0, err
    silence_id = json.loads(out)["id"]
    code, out, _ = await run_cli("silence", "list", "--config", path)
    assert code == 0 and silence_id in out and "minerals=gallium" in out and "ops" in out

    before = silenced_count("risk")
    async with notify(config):
        await bus.publish(
            redis,
            names.events,
            [
                sample_event("g1", story_id="s-ga", minerals=("gallium",)),
                sample_event("d1", story_id="s-dy", minerals=("dysprosium",)),
            ],
            maxlen=1000,
        )
        await receiver.wait_for(1)

        async def silenced_recorded() -> bool:
            return any(d.outcome == "silenced" for d in await deliveries(redis, names))

        await wait_until(silenced_recorded)
        await asyncio.sleep(0.3)
        assert [Webhook(secret).verify(r.body, r.headers)["data"]["item"]["id"]
                for r in receiver.requests] == ["d1"]  # fmt: skip
        (held,) = [d for d in await deliveries(redis, names) if d.outcome == "silenced"]
        assert held.silence_id == silence_id and held.destination == "risk"
        assert "supplier feed is noisy today" in (held.error or "")
        assert silenced_count("risk") - before == 1

        code, out, _ = await run_cli("silence", "remove", silence_id, "--config", path)
        assert code == 0 and silence_id in out
        await asyncio.sleep(CACHE_S + 0.2)  # the dispatcher's cached silences expire
        await bus.publish(
            redis,
            names.events,
            [
                sample_event("g2", story_id="s-ga", minerals=("gallium",)),  # same story
                sample_event("g3", story_id="s-ga2", minerals=("gallium",)),  # a new one
            ],
            maxlen=1000,
        )
        await receiver.wait_for(3)
        await asyncio.sleep(0.3)
    await receiver.close()
    bodies = [Webhook(secret).verify(r.body, r.headers) for r in receiver.requests]
    assert bodies[0]["data"]["item"]["id"] == "d1"
    assert sorted((b["type"], b["data"]["item"]["id"]) for b in bodies[1:]) == [
        ("alert.created", "g2"),
        ("alert.created", "g3"),
    ]
    code, out, _ = await run_cli("silence", "list", "--config", path)
    assert code == 0 and silence_id not in out and "no silences" in out
