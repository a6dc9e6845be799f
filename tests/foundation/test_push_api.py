"""POST /v1/items as a partner calls it: token, validation, size limit, duplicates."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from redis.asyncio import Redis

from services.app import open_resources
from services.ingest.service import build_ingest
from shared import bus
from shared.models import RawItem
from shared.names import Names
from tests.helpers import make_config, running

TOKEN = "push-token-for-tests-0123"


@pytest.fixture
async def ingest_url(namespace: str, redis_url: str, redis: Redis) -> AsyncIterator[str]:
    config = make_config(
        namespace, redis_url, ingest={"push_token": TOKEN, "max_body_bytes": 20_000}
    )
    res = await open_resources(config, "ingest")
    async with running(build_ingest(res)) as runner:
        yield f"http://127.0.0.1:{runner.port}"


async def post(
    url: str, body: object, token: str | None = TOKEN, raw: bytes | None = None
) -> tuple[int, dict[str, object]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as s:
        kwargs = (
            {"data": raw, "headers": {**headers, "Content-Type": "application/json"}}
            if raw is not None
            else {"json": body, "headers": headers}
        )
        async with s.post(f"{url}/v1/items", **kwargs) as r:  # type: ignore[arg-type]
            return r.status, await r.json(content_type=None)


async def test_accepts_one_item_or_a_list_and_reports_duplicates(
    ingest_url: str, redis: Redis, names: Names
) -> None:
    item = {
        "title": "China tightens gallium export licences",
        "url": "https://x.org/a?utm_source=t",
        "excerpt": "Exporters need new permits.",
        "published": "2026-11-27",
    }
    status, body = await post(ingest_url, item)
    assert status == 202 and len(body["accepted"]) == 1 and body["duplicates"] == []
    status, body = await post(ingest_url, [item, {"title": "Another", "id": "partner-7"}])
    assert status == 202
    assert body["accepted"] == ["partner-7"] and len(body["duplicates"]) == 1
    rows = await redis.xrange(names.items)
    items = [bus.Entry(i.decode(), f).model(RawItem) for i, f in rows]
    assert [i.title for i in items] == ["China tightens gallium export licences", "Another"]
    assert items[0].url == "https://x.org/a" and items[0].summary == "Exporters need new permits."
    assert items[0].published_at is not None and not items[0].published_is_fallback
    assert items[1].id == "partner-7" and items[0].trace_id != items[1].trace_id


@pytest.mark.parametrize("token", [None, "wrong-token"])
async def test_missing_or_wrong_token_is_401(ingest_url: str, token: str | None) -> None:
    status, body = await post(ingest_url, {"title": "x"}, token=token)
    assert status == 401
    assert TOKEN not in str(body)


async def test_invalid_item_is_400_naming_the_field(ingest_url: str) -> None:
    status, body = await post(ingest_url, [{"title": "ok"}, {"summary": "no title"}])
    assert status == 400
    assert "[1].title" in str(body["detail"])
    status, body = await post(ingest_url, {"title": "x", "published": "not a date"})
    assert status == 400 and "published" in str(body["detail"])
    status, body = await post(ingest_url, None, raw=b"{not json")
    assert status == 400


async def test_oversized_body_is_413(ingest_url: str, redis: Redis, names: Names) -> None:
    status, _ = await post(ingest_url, {"title": "x" * 1000, "summary": "y" * 19_500})
    assert status == 413
    assert await redis.exists(names.items) == 0


async def test_redis_gone_is_503_with_retry_after(namespace: str) -> None:
    config = make_config(namespace, "redis://127.0.0.1:1/0", ingest={"push_token": TOKEN})
    res = await open_resources(config, "ingest")
    async with (
        running(build_ingest(res)) as runner,
        aiohttp.ClientSession() as s,
        s.post(
            f"http://127.0.0.1:{runner.port}/v1/items",
            json={"title": "x"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        ) as r,
    ):
        assert r.status == 503
        assert r.headers["Retry-After"] == "5"
        assert "send them again" in (await r.json(content_type=None))["detail"]
