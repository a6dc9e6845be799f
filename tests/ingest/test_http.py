"""The bounded fetch helper against real local servers: limits, redirects, validators."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from services.ingest.sources.http import FetchLimits, Validators, fetch, redact_url
from shared.errors import SourceError, ThrottledError

from .conftest import USER_AGENT

Serve = Callable[..., Awaitable[TestServer]]
LIMITS = FetchLimits(timeout_s=2.0, max_bytes=1000, max_redirects=2)


async def get(session: aiohttp.ClientSession, url: str, limits: FetchLimits = LIMITS, **kw: object):
    return await fetch(session, url, limits=limits, user_agent=USER_AGENT, **kw)  # type: ignore[arg-type]


async def test_sends_user_agent_and_returns_body(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    seen: dict[str, str] = {}

    async def handler(request: web.Request) -> web.Response:
        seen.update(request.headers)
        return web.Response(text="<rss/>", headers={"ETag": '"v1"'})

    server = await serve({"/feed": handler})
    got = await get(session, str(server.make_url("/feed")))
    assert got.status == 200 and got.body == b"<rss/>"
    assert seen["User-Agent"] == USER_AGENT
    assert got.validators == Validators(etag='"v1"', last_modified=None)


async def test_conditional_get_sends_stored_validators_and_reads_304(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    async def handler(request: web.Request) -> web.Response:
        if (
            request.headers.get("If-None-Match") == '"v1"'
            and request.headers.get("If-Modified-Since") == "Mon, 03 Apr 2023 01:02:03 GMT"
        ):
            return web.Response(status=304)
        return web.Response(text="changed")

    server = await serve({"/feed": handler})
    validators = Validators(etag='"v1"', last_modified="Mon, 03 Apr 2023 01:02:03 GMT")
    got = await get(session, str(server.make_url("/feed")), validators=validators)
    assert got.not_modified and got.body == b""


async def test_timeout_past_timeout_s_is_a_retryable_source_error(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    async def slow(_request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(text="too late")

    server = await serve({"/slow": slow})
    with pytest.raises(SourceError, match=r"within timeout_s=0\.3") as err:
        await get(
            session, str(server.make_url("/slow")), FetchLimits(timeout_s=0.3, max_bytes=1000)
        )
    assert err.value.retryable


async def test_slow_drip_body_is_cut_by_the_overall_deadline(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    async def drip(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(request)
        for _ in range(50):
            await resp.write(b"x")
            await asyncio.sleep(0.1)
        return resp

    server = await serve({"/drip": drip})
    with pytest.raises(SourceError, match="timeout_s"):
        await get(
            session, str(server.make_url("/drip")), FetchLimits(timeout_s=0.5, max_bytes=1000)
        )


@pytest.mark.parametrize("chunked", [False, True])
async def test_response_over_max_bytes_is_refused(
    chunked: bool, serve: Serve, session: aiohttp.ClientSession
) -> None:
    async def big(request: web.Request) -> web.StreamResponse:
        if not chunked:
            return web.Response(body=b"x" * 5000)
        resp = web.StreamResponse()  # no Content-Length: the cap must hold while streaming
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for _ in range(10):
            await resp.write(b"x" * 500)
        return resp

    server = await serve({"/big": big})
    with pytest.raises(SourceError, match="larger than max_bytes=1000") as err:
        await get(session, str(server.make_url("/big")))
    assert not err.value.retryable


async def test_same_host_redirect_is_followed(serve: Serve, session: aiohttp.ClientSession) -> None:
    async def old(_request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/new")

    async def new(_request: web.Request) -> web.Response:
        return web.Response(text="moved here")

    server = await serve({"/old": old, "/new": new})
    got = await get(session, str(server.make_url("/old")))
    assert got.body == b"moved here" and got.url.endswith("/new")


async def test_redirect_to_another_host_is_refused(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    async def elsewhere(_request: web.Request) -> web.Response:
        return web.Response(text="elsewhere")

    other = await serve({"/x": elsewhere})
    other_url = str(other.make_url("/x")).replace("127.0.0.1", "localhost")

    async def away(_request: web.Request) -> web.Response:
        raise web.HTTPFound(other_url)

    server = await serve({"/away": away})
    with pytest.raises(SourceError, match="another host 'localhost' refused") as err:
        await get(session, str(server.make_url("/away")))
    assert not err.value.retryable
    allowed = FetchLimits(timeout_s=2.0, max_bytes=1000, allowed_redirect_hosts=("localhost",))
    assert (await get(session, str(server.make_url("/away")), allowed)).body == b"elsewhere"


async def test_redirect_loop_stops_after_max_redirects(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    async def loop(_request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    server = await serve({"/loop": loop})
    with pytest.raises(SourceError, match="more than 2 redirects"):
        await get(session, str(server.make_url("/loop")))


@pytest.mark.parametrize(
    ("status", "error", "retryable"),
    [(429, ThrottledError, True), (503, SourceError, True), (404, SourceError, False)],
)
async def test_error_statuses_are_typed(
    status: int,
    error: type[SourceError],
    retryable: bool,
    serve: Serve,
    session: aiohttp.ClientSession,
) -> None:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(status=status, text="nope", headers={"Retry-After": "7"})

    server = await serve({"/x": handler})
    with pytest.raises(error, match=f"HTTP {status}") as err:
        await get(session, str(server.make_url("/x")))
    assert err.value.retryable is retryable
    if status == 429:
        assert err.value.retry_after_s == 7


async def test_errors_never_carry_the_query_string(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(status=500)

    server = await serve({"/x": handler})
    with pytest.raises(SourceError) as err:
        await get(session, str(server.make_url("/x")) + "?api_key=SECRET123&q=1")
    assert "SECRET123" not in str(err.value) and "/x?…" in str(err.value)


async def test_connection_refused_is_retryable(session: aiohttp.ClientSession) -> None:
    server = TestServer(web.Application(), host="127.0.0.1")
    await server.start_server()
    url = str(server.make_url("/gone"))
    await server.close()
    with pytest.raises(SourceError, match="could not fetch") as err:
        await get(session, url)
    assert err.value.retryable


def test_redact_url_drops_user_info_and_query() -> None:
    assert (
        redact_url("https://user:pw@example.org:8443/a?token=x#f") == "https://example.org:8443/a?…"
    )
