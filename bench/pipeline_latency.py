"""End-to-end latency, as a desk sees it: from POST /v1/items to the signed webhook
arriving at a local receiver, through ingest, classify and notify running as separate
processes on the default bus settings. Prints p50/p95/max.

    .venv/bin/python bench/pipeline_latency.py [--n 50] [--redis-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
import uuid
from pathlib import Path
from tempfile import TemporaryDirectory

import aiohttp
import yaml
from aiohttp import web
from aiohttp.test_utils import TestServer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.proc import ServiceProcess, free_port  # noqa: E402

TOKEN = "bench-push-token-1234"
MINERALS = [
    "gallium",
    "germanium",
    "antimony",
    "graphite",
    "tungsten",
    "dysprosium",
    "terbium",
    "cobalt",
    "lithium",
    "nickel",
]
COUNTRIES = ["China", "Indonesia", "Myanmar", "Congo", "Zimbabwe"]


async def main(n: int, redis_url: str) -> None:
    n = min(n, len(MINERALS) * len(COUNTRIES))  # one story per (mineral, country)
    arrived: dict[str, float] = {}
    all_in = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        body = await request.json()
        arrived[body["data"]["item"]["id"]] = time.perf_counter()
        if len(arrived) >= n:
            all_in.set()
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    ns = f"bench-{uuid.uuid4().hex[:8]}"
    with TemporaryDirectory() as tmp:
        config = Path(tmp) / "rarewatch.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "namespace": ns,
                    "sources": [],
                    "ingest": {"push_token": TOKEN},
                    "destinations": [
                        {
                            "id": "desk",
                            "kind": "webhook",
                            "url": str(server.make_url("/hook")),
                            "secret": "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk=",
                        }
                    ],
                    "routes": [{"match": {"min_level": "high"}, "to": ["desk"]}],
                }
            )
        )
        env = {"REDIS_URL": redis_url, "LOG_LEVEL": "warning"}
        procs = [
            ServiceProcess(s, config, free_port(), Path(tmp), env).start()
            for s in ("ingest", "classify", "notify")
        ]
        try:
            for p in procs:
                await p.ready()
            sent: dict[str, float] = {}
            async with aiohttp.ClientSession() as s:
                for i in range(n):
                    m, c = (
                        MINERALS[i % len(MINERALS)],
                        COUNTRIES[(i // len(MINERALS)) % len(COUNTRIES)],
                    )
                    item = {
                        "id": f"lat-{i}",
                        "url": f"https://wire.example/{i}",
                        "title": f"{c} bans exports of {m} with immediate effect ({i})",
                        "summary": f"The government said all {m} shipments stop today.",
                    }
                    sent[item["id"]] = time.perf_counter()
                    async with s.post(
                        f"http://127.0.0.1:{procs[0].port}/v1/items",
                        json=item,
                        headers={"Authorization": f"Bearer {TOKEN}"},
                    ) as r:
                        assert r.status == 202
                    await asyncio.sleep(0.2)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(all_in.wait(), timeout=3)
        finally:
            for p in procs:
                p.stop()
            await server.close()
    lat = sorted(arrived[k] - sent[k] for k in arrived)
    if not lat:
        print("no webhook arrived")
        return
    p95 = lat[int(0.95 * (len(lat) - 1))]
    print(
        f"{len(sent)} items pushed, {len(lat)} alerts (near-duplicate items join a story that "
        f"already alerted); push -> webhook latency: "
        f"p50 {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {lat[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    a = parser.parse_args()
    asyncio.run(main(a.n, a.redis_url))
