"""GdeltSource against a local stand-in for the DOC 2.0 API."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import ValidationError

from services.ingest.politeness import IntervalLimiter
from services.ingest.sources.gdelt import GdeltSource, GdeltSourceConfig, gdelt_query
from shared.errors import FeedError, SourceError, ThrottledError

from .conftest import CORPORA, make_ctx

Serve = Callable[..., Awaitable[TestServer]]
GDELT = CORPORA / "realworld" / "gdelt"

ARTICLES = {
    "articles": [
        {
            "url": "https://www.example-news.com:443/markets/antimony-prices?utm_source=gdelt",
            "url_mobile": "",
            "title": "Antimony prices climb again , traders say ; smelters  wait ",
            "seendate": "20260901T031500Z",
            "domain": "example-news.com",
            "language": "English",
            "sourcecountry": "United Kingdom",
        },
        {
            "url": "https://noticias.example.es/galio",
            "title": "Exportaciones de galio",
            "seendate": "not a date",
            "domain": "noticias.example.es",
            "language": "Spanish",
        },
    ]
}


def source(url: str, limiter: IntervalLimiter | None = None, **kw: Any) -> GdeltSource:
    cfg = GdeltSourceConfig.model_validate(
        {"id": "g", "kind": "gdelt", "query": "antimony", "url": url, **kw}
    )
    return GdeltSource(cfg, limiter=limiter or IntervalLimiter(0.0))


async def answer(
    serve: Serve, body: bytes, status: int = 200, content_type: str = "application/json"
) -> str:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(status=status, body=body, headers={"Content-Type": content_type})

    server = await serve({"/api/v2/doc/doc": handler})
    return str(server.make_url("/api/v2/doc/doc"))


async def test_articles_become_clean_items(serve: Serve, session: aiohttp.ClientSession) -> None:
    url = await answer(serve, json.dumps(ARTICLES).encode())
    first, second = (await source(url).poll(make_ctx(session))).items
    assert first.title == "Antimony prices climb again, traders say; smelters wait"
    assert first.url == "https://www.example-news.com/markets/antimony-prices"
    assert first.published_at == datetime(2026, 9, 1, 3, 15, tzinfo=UTC)
    assert first.publisher == "example-news.com" and first.language == "en"
    assert second.language == "es" and second.published_is_fallback


async def test_query_parameters(serve: Serve, session: aiohttp.ClientSession) -> None:
    seen: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(dict(request.query))
        return web.json_response({})

    server = await serve({"/doc": handler})
    result = await source(
        str(server.make_url("/doc")),
        query='"rare earth" OR gallium',
        timespan="6h",
        max_records=250,
    ).poll(make_ctx(session))
    assert result.items == []  # {} = nothing matched
    assert seen[0] == {
        "query": '("rare earth" OR gallium)', "mode": "ArtList", "format": "json",
        "maxrecords": "250", "timespan": "6h", "sort": "DateDesc",
    }  # fmt: skip


@pytest.mark.parametrize("status", [200, 429])
async def test_throttle_text_is_throttled_never_no_news(
    status: int, serve: Serve, session: aiohttp.ClientSession
) -> None:
    url = await answer(
        serve, (GDELT / "gdelt_error_rate_limited.txt").read_bytes(), status, "text/plain"
    )
    limiter = IntervalLimiter(0.5)
    with pytest.raises(ThrottledError, match="throttled, retry later") as err:
        await source(url, limiter).poll(make_ctx(session))
    assert err.value.retryable and err.value.retry_after_s
    assert limiter.reserve() >= 0.9  # every GDELT source now waits longer than one interval


async def test_refused_query_text_is_a_permanent_error(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    url = await answer(
        serve, (GDELT / "gdelt_error_keyword_too_short.txt").read_bytes(), 200, "text/html"
    )
    with pytest.raises(SourceError, match="refused the query") as err:
        await source(url).poll(make_ctx(session))
    assert not isinstance(err.value, ThrottledError) and not err.value.retryable


async def test_bare_array_is_unwrapped_with_a_note(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    url = await answer(serve, (GDELT / "gdelt_artlist_bare_array_indonesian.json").read_bytes())
    result = await source(url).poll(make_ctx(session))
    assert len(result.items) == 2 and {i.language for i in result.items} == {"id"}
    assert result.notes == ["bare JSON array of articles, unwrapped"]


async def test_other_json_is_a_feed_error(serve: Serve, session: aiohttp.ClientSession) -> None:
    url = await answer(serve, b'{"timeline": []}')
    with pytest.raises(FeedError, match="not a GDELT ArtList"):
        await source(url).poll(make_ctx(session))


async def test_sources_sharing_a_limiter_are_spaced(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    arrivals: list[float] = []

    async def handler(_request: web.Request) -> web.Response:
        arrivals.append(time.monotonic())
        return web.json_response({})

    server = await serve({"/doc": handler})
    limiter = IntervalLimiter(0.2)
    sources = [source(str(server.make_url("/doc")), limiter) for _ in range(4)]
    await asyncio.gather(*(s.poll(make_ctx(session)) for s in sources))
    gaps = [b - a for a, b in pairwise(arrivals)]
    assert len(arrivals) == 4 and min(gaps) >= 0.19


def test_config_limits() -> None:
    with pytest.raises(ValidationError, match="max_records"):
        GdeltSourceConfig.model_validate(
            {"id": "g", "kind": "gdelt", "query": "antimony", "max_records": 251}
        )
    with pytest.raises(ValidationError, match="timespan"):
        GdeltSourceConfig.model_validate(
            {"id": "g", "kind": "gdelt", "query": "antimony", "timespan": "3 hours"}
        )


@pytest.mark.parametrize(
    ("query", "sent"),
    [
        ("gallium OR germanium", "(gallium OR germanium)"),
        (
            '("rare earth" OR gallium) sourcelang:english',
            '("rare earth" OR gallium) sourcelang:english',
        ),
        ('"gallium OR germanium" exports', '"gallium OR germanium" exports'),
        ("antimony", "antimony"),
    ],
)
def test_bare_or_is_wrapped_in_parentheses(query: str, sent: str) -> None:
    assert gdelt_query(query) == sent
