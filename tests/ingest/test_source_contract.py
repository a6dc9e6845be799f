"""One contract for every source kind: a hung or failing server gives a typed SourceError
(a hang is cut at timeout_s), no error names a secret from the URL, and no source saves
state itself."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from services.ingest.politeness import IntervalLimiter
from services.ingest.sources import GdeltSource, build_source, parse_sources
from services.ingest.sources.base import Source
from shared.errors import SourceError

from .conftest import MemoryState, make_ctx

Serve = Callable[..., Awaitable[TestServer]]
SECRET = "s3cr3t-token-value"
KINDS: dict[str, dict[str, Any]] = {
    "rss": {},
    "federal_register": {"terms": ["rare earth"]},
    "gdelt": {"query": "antimony"},
}


def make_source(kind: str, url: str) -> Source:
    raw = {"id": f"c-{kind}", "kind": kind, "url": url, "timeout_s": 0.5, **KINDS[kind]}
    source = build_source(parse_sources([raw])[0])
    if isinstance(source, GdeltSource):
        source.limiter = IntervalLimiter(0.0)
    return source


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("behaviour", ["hang", "500", "refused"])
async def test_failures_are_typed_bounded_and_secret_free(
    kind: str, behaviour: str, serve: Serve, session: aiohttp.ClientSession
) -> None:
    async def hang(_request: web.Request) -> web.Response:
        await asyncio.sleep(10)
        return web.Response(text="late")

    async def fail(_request: web.Request) -> web.Response:
        return web.Response(status=500, text="internal error")

    server = await serve({"/src": hang if behaviour == "hang" else fail})
    url = str(server.make_url("/src")) + f"?key={SECRET}"
    if behaviour == "refused":
        await server.close()
    state = MemoryState()
    with pytest.raises(SourceError) as err:
        await make_source(kind, url).poll(make_ctx(session, state))
    assert err.value.retryable
    expected = {"hang": "within timeout_s=0.5", "500": "HTTP 500", "refused": "could not fetch"}
    assert expected[behaviour] in str(err.value)
    assert SECRET not in str(err.value) and SECRET not in repr(err.value.args)
    assert state.saved == []
