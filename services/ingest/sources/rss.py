"""RSS 0.9x/1.0/2.0, Atom and RDF feeds: fetched by :mod:`.http`, parsed by feedparser."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

import feedparser
from pydantic import Field, field_validator

from services.ingest.normalize import build_item, clean_text, fold_whitespace, host_of
from services.ingest.sources.base import PollContext, PollResult, Source, SourceConfig
from services.ingest.sources.http import Fetched, FetchLimits, Validators, fetch
from shared.errors import FeedError
from shared.models import RawItem

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)


def http_url(value: str) -> str:
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    return value


class RssSourceConfig(SourceConfig):
    """An RSS, Atom or RDF feed (Google News RSS searches included)."""

    kind: Literal["rss"]
    url: str
    publisher: str | None = Field(default=None, description="name every item's publisher this")
    language: str | None = Field(default=None, description="language tag when the feed has none")
    allowed_redirect_hosts: tuple[str, ...] = ()
    max_redirects: int = Field(default=5, ge=0, le=10)

    _url = field_validator("url")(http_url)


def _describe(exc: object) -> str:
    text = fold_whitespace(f"{type(exc).__name__}: {exc}")
    return text[:200]


def parse_feed(
    body: bytes,
    *,
    content_type: str | None = None,
    location: str | None = None,
    language: str | None = None,
) -> Any:
    """feedparser's result for ``body``; :class:`FeedError` if nothing usable is in it.

    A malformed ("bozo") feed from which feedparser recovers entries is returned as is:
    every entry it recovers is kept.
    """
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if not head:
        raise FeedError("not a feed: the document is empty")
    headers = {
        "content-type": content_type,
        "content-location": location,
        "content-language": language,
    }
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers={k: v for k, v in headers.items() if v}
    )
    if parsed.entries:
        return parsed
    if head[:1] in (b"{", b"["):
        raise FeedError("not a feed: a JSON document (this source kind reads RSS, Atom or RDF)")
    if head.startswith((b"<!doctype html", b"<html")):
        raise FeedError("not a feed: an HTML page; point the source at the feed's own URL")
    if parsed.get("bozo"):
        reason = _describe(parsed.get("bozo_exception"))
        raise FeedError(f"not a feed: no entry recovered from a malformed document ({reason})")
    if not parsed.get("version"):
        raise FeedError("not a feed: no RSS, Atom or RDF document element")
    return parsed  # a well-formed feed with no entries yet


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                year, month, day, hour, minute, second = value[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _http(value: object) -> str | None:
    if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
        return value
    return None


def _summary(entry: Any) -> str | None:
    summary = entry.get("summary")
    if summary:
        return str(summary)
    for content in entry.get("content") or ():
        if content.get("value"):
            return str(content["value"])
    return None


def entry_item(
    entry: Any,
    feed: Any,
    *,
    source_id: str,
    now: datetime,
    trace_id: str,
    official: bool = False,
    publisher: str | None = None,
    language: str | None = None,
) -> RawItem:
    """One feedparser entry -> RawItem. A ``<source url=…>Name</source>`` (Google News)
    names the publisher (its host) and the trailing `` - Name`` is taken off the title."""
    title = entry.get("title")
    source = entry.get("source") or {}
    source_name = fold_whitespace(str(source.get("title") or ""))
    if source_name and isinstance(title, str):
        suffix = f" - {source_name}"
        if fold_whitespace(title).endswith(suffix) and len(fold_whitespace(title)) > len(suffix):
            title = fold_whitespace(title)[: -len(suffix)]
    item_publisher = publisher or host_of(_http(source.get("href"))) or source_name or None
    title_detail = entry.get("title_detail") or {}
    summary = _summary(entry)
    if source_name and isinstance(title, str) and summary:
        # Google News: the description is just the headline linked, then the outlet's name.
        rest = clean_text(summary).removeprefix(clean_text(title)).strip()
        if rest in ("", source_name):
            summary = None
    return build_item(
        source_id=source_id,
        guid=entry.get("id"),
        title=title,
        summary=summary,
        url=_http(entry.get("link")) or _http(entry.get("id")),
        published=_published(entry),
        now=now,
        trace_id=trace_id,
        publisher=item_publisher,
        language=language or title_detail.get("language") or feed.get("language"),
        official=official,
    )


def feed_items(
    parsed: Any,
    *,
    source_id: str,
    now: datetime,
    trace_id: Callable[[], str],
    official: bool = False,
    publisher: str | None = None,
    language: str | None = None,
) -> list[RawItem]:
    feed = parsed.get("feed") or {}
    return [
        entry_item(
            entry, feed, source_id=source_id, now=now, trace_id=trace_id(),
            official=official, publisher=publisher, language=language,
        )
        for entry in parsed.entries
    ]  # fmt: skip


def bozo_note(parsed: Any) -> list[str]:
    if parsed.get("bozo") and parsed.entries:
        reason = _describe(parsed.get("bozo_exception"))
        return [f"malformed feed, {len(parsed.entries)} entries recovered: {reason}"]
    return []


class RssSource(Source):
    config: RssSourceConfig

    def __init__(self, config: RssSourceConfig):
        super().__init__(config)

    def _items(self, fetched: Fetched, ctx: PollContext, now: datetime) -> PollResult:
        cfg = self.config
        parsed = parse_feed(
            fetched.body,
            content_type=fetched.content_type or None,
            location=fetched.url,
            language=fetched.headers.get("Content-Language"),
        )
        items = feed_items(
            parsed, source_id=cfg.id, now=now, trace_id=ctx.trace_id,
            official=cfg.official, publisher=cfg.publisher, language=cfg.language,
        )  # fmt: skip
        return PollResult(items=items, notes=bozo_note(parsed))

    async def poll(self, ctx: PollContext) -> PollResult:
        cfg = self.config
        validators = Validators.from_state(await ctx.state.load(cfg.id))
        limits = FetchLimits(
            timeout_s=cfg.timeout_s, max_bytes=cfg.max_bytes, max_redirects=cfg.max_redirects,
            allowed_redirect_hosts=cfg.allowed_redirect_hosts,
        )  # fmt: skip
        fetched = await fetch(
            ctx.session, cfg.url, limits=limits, user_agent=ctx.user_agent, accept=FEED_ACCEPT,
            validators=validators if validators.headers() else None,
        )  # fmt: skip
        if fetched.not_modified:
            return PollResult(not_modified=True)
        result = await asyncio.to_thread(self._items, fetched, ctx, ctx.now())
        result.state = fetched.validators.to_state()
        return result
