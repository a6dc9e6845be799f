"""Every service's /livez, /readyz (application/health+json) and /metrics (promtool)."""

from __future__ import annotations

import os
import shutil
import subprocess

import aiohttp
import pytest
from redis.asyncio import Redis

from services.app import open_resources
from services.cli.run import build_spec
from shared.runner import ServiceRunner
from tests.helpers import make_config, running


def promtool_check(text: str) -> None:
    exe = shutil.which("promtool")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("promtool is not installed (.ci/run installs Debian's prometheus)")
        pytest.skip("promtool is not installed")
    proc = subprocess.run(
        [exe, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("service", ["ingest", "classify", "notify"])
async def test_health_and_metrics(
    service: str, namespace: str, redis_url: str, redis: Redis
) -> None:
    config = make_config(
        namespace,
        redis_url,
        destinations=[{"id": "stdout", "kind": "console"}],
        routes=[{"match": {"min_level": "low"}, "to": ["stdout"]}],
    )
    spec = await build_spec(service, config)
    async with running(spec) as runner, aiohttp.ClientSession() as s:
        base = f"http://127.0.0.1:{runner.port}"
        async with s.get(f"{base}/livez") as r:
            assert r.status == 200
        async with s.get(f"{base}/readyz") as r:
            assert r.status == 200
            assert r.content_type == "application/health+json"
            body = await r.json(content_type=None)
        assert body["status"] in ("pass", "warn")
        assert "redis:responseTime" in body["checks"]
        if service != "ingest":
            assert "consumer:lag" in body["checks"]
            assert "deadLetters:count" in body["checks"]
        async with s.get(f"{base}/metrics") as r:
            assert r.status == 200
            text = await r.text()
    assert "rarewatch_build_info" in text
    promtool_check(text)


async def test_readyz_fails_with_503_when_redis_is_gone(namespace: str) -> None:
    config = make_config(namespace, "redis://127.0.0.1:1/0")
    res = await open_resources(config, "ingest")
    from services.ingest.service import build_ingest

    runner = ServiceRunner(build_ingest(res))
    await runner.start()
    try:
        async with (
            aiohttp.ClientSession() as s,
            s.get(f"http://127.0.0.1:{runner.port}/readyz") as r,
        ):
            assert r.status == 503
            body = await r.json(content_type=None)
        assert body["status"] == "fail"
        assert "Redis did not answer" in body["checks"]["redis:responseTime"][0]["output"]
    finally:
        await runner.stop()
