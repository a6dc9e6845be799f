"""GDELT DOC 2.0 API, ``mode=ArtList&format=json``: worldwide news matching a query."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from services.ingest.normalize import build_item, clean_tokenised_title, fold_whitespace
from services.ingest.politeness import GDELT_INTERVAL_S, GDELT_LIMITER, IntervalLimiter
from services.ingest.sources.base import PollContext, PollResult, Source, SourceConfig
from services.ingest.sources.http import FetchLimits, fetch
from services.ingest.sources.rss import http_url
from shared.errors import FeedError, SourceError, ThrottledError
from shared.models import RawItem

DOC_API_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
THROTTLE_HOLD_OFF_S = 2 * GDELT_INTERVAL_S

_LANGUAGES = {
    "afrikaans": "af", "albanian": "sq", "arabic": "ar", "armenian": "hy", "azerbaijani": "az",
    "bengali": "bn", "bosnian": "bs", "bulgarian": "bg", "catalan": "ca", "chinese": "zh",
    "croatian": "hr", "czech": "cs", "danish": "da", "dutch": "nl", "english": "en",
    "estonian": "et", "finnish": "fi", "french": "fr", "galician": "gl", "georgian": "ka",
    "german": "de", "greek": "el", "gujarati": "gu", "hebrew": "he", "hindi": "hi",
    "hungarian": "hu", "icelandic": "is", "indonesian": "id", "italian": "it", "japanese": "ja",
    "kannada": "kn", "kazakh": "kk", "korean": "ko", "latvian": "lv", "lithuanian": "lt",
    "macedonian": "mk", "malay": "ms", "malayalam": "ml", "marathi": "mr", "mongolian": "mn",
    "nepali": "ne", "norwegian": "no", "persian": "fa", "polish": "pl", "portuguese": "pt",
    "punjabi": "pa", "romanian": "ro", "russian": "ru", "serbian": "sr", "sinhalese": "si",
    "slovak": "sk", "slovenian": "sl", "somali": "so", "spanish": "es", "swahili": "sw",
    "swedish": "sv", "tamil": "ta", "telugu": "te", "thai": "th", "tibetan": "bo",
    "turkish": "tr", "ukrainian": "uk", "urdu": "ur", "vietnamese": "vi",
}  # fmt: skip


class GdeltSourceConfig(SourceConfig):
    """A GDELT DOC 2.0 article search. A query with a bare ``OR`` is wrapped in parentheses,
    as GDELT requires."""

    kind: Literal["gdelt"]
    query: str = Field(min_length=3, max_length=1500)
    timespan: str = Field(default="3h", pattern=r"^\d+(min|h|hours|d|days|w|weeks|m|months)$")
    max_records: int = Field(default=100, ge=1, le=250)
    url: str = DOC_API_URL

    _url = field_validator("url")(http_url)


def gdelt_query(query: str) -> str:
    """``a OR b`` -> ``(a OR b)``; a query whose ORs are already inside parentheses is kept."""
    depth = 0
    for token in re.findall(r'"[^"]*"|[()]|\S+', query):
        depth += token == "("
        depth -= token == ")"
        if token == "OR" and depth == 0:
            return f"({query.strip()})"
    return query.strip()


def query_params(cfg: GdeltSourceConfig) -> list[tuple[str, str]]:
    return [
        ("query", gdelt_query(cfg.query)), ("mode", "ArtList"), ("format", "json"),
        ("maxrecords", str(cfg.max_records)), ("timespan", cfg.timespan), ("sort", "DateDesc"),
    ]  # fmt: skip


_GDELT_TEXT = re.compile(
    r"limit requests|your (?:search|query|keywords?)|queries containing|timespan|"
    r"invalid (?:query|mode|format)|too short|too common|gdelt",
    re.IGNORECASE,
)


def looks_like_gdelt_text(text: str) -> bool:
    """A plain-text body in GDELT's wording (a throttle notice or a refused query)."""
    return bool(_GDELT_TEXT.search(text[:1000]))


def text_body_error(text: str, status: int = 200) -> SourceError:
    """What a plain-text GDELT answer means: a throttle (retry later) or a refused query."""
    message = fold_whitespace(text)[:200] or "an empty body"
    if status == 429 or "limit requests" in message.lower():
        return ThrottledError(
            f"GDELT throttled, retry later: {message}", retry_after_s=THROTTLE_HOLD_OFF_S
        )
    return SourceError(
        f"GDELT refused the query; fix the source's query: {message}", retryable=False
    )


def parse_articles(body: bytes, status: int = 200) -> tuple[list[dict[str, Any]], list[str]]:
    """(articles, notes). ``{}`` (nothing matched) is no articles. A bare JSON list of
    articles (no ``{"articles": …}`` envelope) is accepted and unwrapped, with a note."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise text_body_error(body.decode("utf-8", "replace"), status) from None
    if status == 429:
        raise text_body_error("", status)
    notes: list[str] = []
    if isinstance(doc, list):
        notes.append("bare JSON array of articles, unwrapped")
        articles = doc
    elif isinstance(doc, dict) and (not doc or "articles" in doc):
        articles = doc.get("articles") or []
    else:
        raise FeedError("not a GDELT ArtList answer (no articles field)")
    if not isinstance(articles, list):
        raise FeedError("not a GDELT ArtList answer (articles is not a list)")
    return [a for a in articles if isinstance(a, dict)], notes


def seen_date(value: object) -> datetime | None:
    """``20230918T031500Z`` -> 2023-09-18 03:15:00 UTC."""
    try:
        return datetime.strptime(str(value), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def article_item(
    article: dict[str, Any], *, source_id: str, now: datetime, trace_id: str
) -> RawItem:
    language = str(article.get("language") or "").strip().lower()
    domain = str(article.get("domain") or "").strip().lower().removeprefix("www.")
    return build_item(
        source_id=source_id,
        guid=None,  # the canonical URL is the key
        title=clean_tokenised_title(str(article.get("title") or "")),
        summary=None,
        url=article.get("url") or article.get("url_mobile") or None,
        published=seen_date(article.get("seendate")),
        now=now,
        trace_id=trace_id,
        publisher=domain or None,
        language=_LANGUAGES.get(language),
    )


def articles_items(
    articles: list[dict[str, Any]], *, source_id: str, now: datetime, trace_id: Callable[[], str]
) -> list[RawItem]:
    return [article_item(a, source_id=source_id, now=now, trace_id=trace_id()) for a in articles]


class GdeltSource(Source):
    """Every GdeltSource in the process shares :data:`GDELT_LIMITER` unless given a limiter."""

    config: GdeltSourceConfig

    def __init__(self, config: GdeltSourceConfig, limiter: IntervalLimiter | None = None):
        super().__init__(config)
        self.limiter = limiter or GDELT_LIMITER

    async def poll(self, ctx: PollContext) -> PollResult:
        cfg = self.config
        await self.limiter.wait()
        limits = FetchLimits(timeout_s=cfg.timeout_s, max_bytes=cfg.max_bytes)
        fetched = await fetch(ctx.session, cfg.url, params=query_params(cfg), limits=limits,
                              user_agent=ctx.user_agent, accept="application/json",
                              ok_statuses=(200, 429))  # fmt: skip
        try:
            articles, notes = parse_articles(fetched.body, fetched.status)
        except ThrottledError:
            self.limiter.hold_off(2 * self.limiter.interval_s)  # every GDELT source waits longer
            raise
        items = articles_items(articles, source_id=cfg.id, now=ctx.now(), trace_id=ctx.trace_id)
        return PollResult(items=items, notes=notes)
