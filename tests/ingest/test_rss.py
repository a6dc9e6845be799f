"""RssSource end to end against real local servers (feeds below are written for these tests)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from services.ingest.sources.rss import RssSource, RssSourceConfig
from shared.errors import FeedError

from .conftest import CORPORA, FIXED_NOW, CorpusServer, MemoryState, make_ctx

Serve = Callable[..., Awaitable[TestServer]]

OWN_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Desk test feed</title><link>https://example.org/</link>
<language>en-GB</language>
<item><title>Gallium  &lt;b&gt;licences&lt;/b&gt; &amp;amp; quotas</title>
<link>https://www.Example.org/a/1?utm_source=rss&amp;id=7#top</link>
<guid isPermaLink="false">desk-1</guid>
<description>&lt;p&gt;Refiners   say &lt;a href="x"&gt;shipments&lt;/a&gt;
 slowed.&lt;/p&gt;</description>
<pubDate>Tue, 01 Sep 2026 09:30:00 +0200</pubDate></item>
<item><title>Undated note on antimony</title><link>/relative/2</link></item>
</channel></rss>"""


def source(url: str, **kw: object) -> RssSource:
    return RssSource(RssSourceConfig(id="desk", kind="rss", url=url, **kw))  # type: ignore[arg-type]


async def serve_text(serve: Serve, body: bytes, content_type: str = "application/rss+xml") -> str:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(body=body, headers={"Content-Type": content_type})

    server = await serve({"/feed": handler})
    return str(server.make_url("/feed"))


async def test_items_are_normalised(serve: Serve, session: aiohttp.ClientSession) -> None:
    url = await serve_text(serve, OWN_FEED.encode())
    result = await source(url).poll(make_ctx(session))
    first, second = result.items
    assert first.title == "Gallium licences & quotas"  # markup out, entities decoded
    assert first.summary == "Refiners say shipments slowed."
    assert first.url == "https://www.example.org/a/1?id=7"
    assert first.publisher == "example.org"
    assert (
        first.published_at is not None
        and first.published_at.isoformat() == "2026-09-01T07:30:00+00:00"
    )
    assert not first.published_is_fallback
    assert first.language == "en-gb" and first.source == "desk" and first.trace_id
    # undated entry: kept, dated first-seen, flagged; relative link resolved against the feed URL
    assert second.published_at == FIXED_NOW and second.published_is_fallback
    assert second.url == url.rsplit("/", 1)[0] + "/relative/2"
    assert first.id != second.id


async def test_item_ids_are_stable_across_polls(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    url = await serve_text(serve, OWN_FEED.encode())
    once = await source(url).poll(make_ctx(session))
    again = await source(url).poll(make_ctx(session))
    assert [i.id for i in once.items] == [i.id for i in again.items]


async def test_conditional_get_304_gives_no_items_and_no_error(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    requests: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        requests.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"abc"':
            return web.Response(status=304)
        return web.Response(
            text=OWN_FEED,
            headers={"ETag": '"abc"', "Last-Modified": "Tue, 01 Sep 2026 08:00:00 GMT"},
            content_type="application/rss+xml",
        )

    server = await serve({"/feed": handler})
    src, state = source(str(server.make_url("/feed"))), MemoryState()
    first = await src.poll(make_ctx(session, state))
    assert len(first.items) == 2
    assert first.state == {"etag": '"abc"', "last_modified": "Tue, 01 Sep 2026 08:00:00 GMT"}
    assert state.saved == []  # the source never saves; the runner commits after publishing
    await state.save("desk", first.state)
    second = await src.poll(make_ctx(session, state))
    assert second.not_modified and second.items == [] and second.state is None
    assert requests[1]["If-Modified-Since"] == "Tue, 01 Sep 2026 08:00:00 GMT"


async def test_http_charset_beats_a_false_xml_declaration(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    body = OWN_FEED.replace("Gallium", "Café gallium").encode("cp1252")
    url = await serve_text(serve, body, "application/xml; charset=windows-1252")
    result = await source(url).poll(make_ctx(session))
    assert result.items[0].title.startswith("Café gallium")


async def test_google_news_items_name_the_outlet(
    corpus_server: Callable[[Path], Awaitable[CorpusServer]], session: aiohttp.ClientSession
) -> None:
    server = await corpus_server(CORPORA / "realworld")
    result = await source(server.url("rss/google_news_search_brent_crude_en-GB.xml")).poll(
        make_ctx(session)
    )
    assert len(result.items) == 6
    for item in result.items:
        assert item.url and item.url.startswith("https://news.google.com/rss/articles/")
        assert item.publisher and item.publisher != "news.google.com" and "." in item.publisher
        assert not item.title.endswith(" - OilPrice.com")


async def test_malformed_feed_keeps_recovered_entries_with_a_note(
    corpus_server: Callable[[Path], Awaitable[CorpusServer]], session: aiohttp.ClientSession
) -> None:
    server = await corpus_server(CORPORA / "realworld")
    result = await source(server.url("rss/uol_noticias_br_windows-1252.rss")).poll(
        make_ctx(session)
    )
    assert len(result.items) == 15
    assert all(i.published_is_fallback for i in result.items)
    assert result.notes and "15 entries recovered" in result.notes[0]


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html", "HTML page"),
        (b"   ", "application/xml", "empty"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": []}', "application/json", "JSON"),
        (
            b"<rss><channel><title>Cut off</title><copyright>(c) desk",
            "application/xml",
            "malformed",
        ),
    ],
)
async def test_documents_without_entries_are_feed_errors(
    body: bytes, content_type: str, reason: str, serve: Serve, session: aiohttp.ClientSession
) -> None:
    url = await serve_text(serve, body, content_type)
    with pytest.raises(FeedError, match=reason):
        await source(url).poll(make_ctx(session))


async def test_wellformed_empty_feed_is_no_items_not_an_error(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    url = await serve_text(
        serve, b'<rss version="2.0"><channel><title>quiet</title></channel></rss>'
    )
    result = await source(url).poll(make_ctx(session))
    assert result.items == [] and not result.not_modified


async def test_publisher_and_official_from_config(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    url = await serve_text(serve, OWN_FEED.encode())
    result = await source(url, publisher="trade.example.gov", official=True).poll(make_ctx(session))
    assert {(i.publisher, i.official) for i in result.items} == {("trade.example.gov", True)}
