"""``rarewatch dlq`` against real dead letters: a 410 disables a destination and
dead-letters its alert; retry is refused until the destination is enabled, then delivers
the alert once with its original webhook id. Undecodable events are listed and dropped."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp import web
from redis.asyncio import Redis
from standardwebhooks import Webhook

from shared import bus
from shared.names import Names
from tests.helpers import Receiver, new_secret, sample_event
from tests.notify.support import deliveries, notify, notify_config, run_cli, wait_until


async def test_dead_letter_retry_after_the_receiver_is_fixed_delivers_once(
    tmp_path: Path, redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    fixed = asyncio.Event()

    async def gone_until_fixed(_n: int) -> web.StreamResponse:
        return web.Response(status=200 if fixed.is_set() else 410)

    receiver = Receiver(gone_until_fixed)
    url = await receiver.start()
    secret = new_secret()
    config = notify_config(
        namespace, redis_url, [{"id": "risk", "kind": "webhook", "url": url, "secret": secret}]
    )
    path = str(write_config(tmp_path, config))
    dlq = Names.dead_letters(names.outbox("risk"))

    async with notify(config):
        await bus.publish(redis, names.events, [sample_event("a")], maxlen=1000)
        await wait_until(lambda: _xlen(redis, dlq))
        # junk on the events stream: dead-lettered by the dispatcher as undecodable
        await redis.xadd(names.events, {"type": "ClassifiedEvent", "data": b"{not json"})
        await wait_until(lambda: _xlen(redis, Names.dead_letters(names.events)))

        code, out, err = await run_cli("dlq", "list", "--json", "--config", path)
        assert code == 0, err
        rows = [json.loads(line) for line in out.splitlines()]
        by_stream = {r["stream"]: r for r in rows}
        assert set(by_stream) == {"events", "outbox:risk"}
        dead = by_stream["outbox:risk"]
        assert "410" in dead["error"] and url not in dead["error"]
        assert dead["message_id"].startswith("alrt_") and "dysprosium" in dead["title"]
        assert "undecodable event" in by_stream["events"]["error"]

        code, out, _ = await run_cli("dlq", "list", "--stream", "outbox:risk", "--config", path)
        assert code == 0 and dead["id"] in out and by_stream["events"]["id"] not in out

        code, _, err = await run_cli("dlq", "retry", dead["id"], "--config", path)
        assert code == 1 and "destination risk is disabled" in err
        assert "rarewatch dlq enable-destination risk" in err
        assert await redis.xlen(dlq) == 1  # refused: still there

        fixed.set()
        code, out, _ = await run_cli("dlq", "enable-destination", "risk", "--config", path)
        assert code == 0 and "enabled" in out and "410" in out
        code, out, err = await run_cli("dlq", "retry", dead["id"], "--config", path)
        assert code == 0, err
        assert f"retried {dead['id']}: back on outbox:risk" in out
        await receiver.wait_for(2)

        async def delivered() -> bool:
            return any(d.outcome == "delivered" for d in await deliveries(redis, names))

        await wait_until(delivered)
        await asyncio.sleep(0.3)

        code, out, _ = await run_cli("dlq", "drop", "--all", "--stream", "events", "--config", path)
        assert code == 0 and "dropped 1 dead letter(s)" in out
        code, out, _ = await run_cli("dlq", "list", "--config", path)
        assert code == 0 and out.strip() == "no dead letters"
    await receiver.close()

    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == dead["message_id"]
    assert Webhook(secret).verify(second.body, second.headers)["data"]["item"]["id"] == "a"
    outcomes = [d.outcome for d in await deliveries(redis, names)]
    assert outcomes == ["dead_lettered", "delivered"]


async def test_retry_and_drop_name_what_is_wrong(
    tmp_path: Path, redis: Redis, names: Names, namespace: str, redis_url: str
) -> None:
    config = notify_config(namespace, redis_url, [{"id": "audit", "kind": "file", "path": "x"}])
    path = str(write_config(tmp_path, config))
    code, _, err = await run_cli("dlq", "retry", "--config", path)
    assert code == 2 and "--all" in err
    code, _, err = await run_cli("dlq", "drop", "1-1", "--config", path)
    assert code == 2 and "no dead letter '1-1'" in err
    code, _, err = await run_cli("dlq", "enable-destination", "nope", "--config", path)
    assert code == 2 and "unknown destination 'nope'" in err


def write_config(tmp_path: Path, config: object) -> Path:
    from tests.notify.support import write_config_file

    return write_config_file(tmp_path / "rarewatch.yaml", config)  # type: ignore[arg-type]


async def _xlen(redis: Redis, key: str) -> bool:
    return bool(await redis.xlen(key))
