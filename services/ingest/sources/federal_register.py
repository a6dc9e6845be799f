"""Federal Register API v1 ``documents.json``: official US rules, proposed rules, notices and
presidential documents, newest first, from a publication-date watermark."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from yarl import URL

from services.ingest.normalize import build_item, clean_text
from services.ingest.sources.base import PollContext, PollResult, Source, SourceConfig
from services.ingest.sources.http import FetchLimits, fetch
from services.ingest.sources.rss import http_url
from shared.errors import FeedError
from shared.models import RawItem

DOCUMENTS_URL = "https://www.federalregister.gov/api/v1/documents.json"
PUBLISHER = "federalregister.gov"
DocumentType = Literal["RULE", "PRORULE", "NOTICE", "PRESDOCU"]


class FederalRegisterSourceConfig(SourceConfig):
    """A Federal Register search. ``terms`` are OR'ed (the site's ``|`` operator); a term
    with a space is searched as a phrase. Items are official unless ``official: false``."""

    kind: Literal["federal_register"]
    terms: tuple[str, ...] = ()
    agencies: tuple[str, ...] = Field(
        default=(), description="agency slugs, e.g. industry-and-security-bureau"
    )
    document_types: tuple[DocumentType, ...] = ()
    per_page: int = Field(default=100, ge=1, le=1000)
    max_pages: int = Field(default=3, ge=1, le=20)
    lookback_days: int = Field(
        default=7, ge=0, le=365, description="how far back the first poll reaches"
    )
    official: bool = True
    url: str = DOCUMENTS_URL

    _url = field_validator("url")(http_url)

    @field_validator("document_types", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return tuple(v.upper() if isinstance(v, str) else v for v in value)
        return value

    @model_validator(mode="after")
    def _not_everything(self) -> FederalRegisterSourceConfig:
        if not self.terms and not self.agencies:
            raise ValueError("give terms or agencies (or both); the whole Register is too much")
        return self


def search_term(terms: tuple[str, ...]) -> str:
    quoted = [
        t if ('"' in t or " " not in t.strip()) else f'"{t.strip()}"' for t in terms if t.strip()
    ]
    return " | ".join(quoted)


def query_params(cfg: FederalRegisterSourceConfig, since: date) -> list[tuple[str, str]]:
    params = [("order", "newest"), ("per_page", str(cfg.per_page))]
    if cfg.terms:
        params.append(("conditions[term]", search_term(cfg.terms)))
    params += [("conditions[agencies][]", slug) for slug in cfg.agencies]
    params += [("conditions[type][]", kind) for kind in cfg.document_types]
    params.append(("conditions[publication_date][gte]", since.isoformat()))
    return params


def parse_documents(body: bytes) -> tuple[list[dict[str, Any]], str | None]:
    """(results, next_page_url). ``{"description": …, "count": 0}`` without ``results`` is an
    empty search, not an error."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError(f"not Federal Register JSON: {type(exc).__name__}") from None
    if not isinstance(doc, dict) or not ({"results", "count"} & doc.keys()):
        raise FeedError("not a Federal Register documents.json answer (no results or count)")
    results = doc.get("results") or []
    if not isinstance(results, list):
        raise FeedError("Federal Register answer has a results field that is not a list")
    next_url = doc.get("next_page_url")
    return [r for r in results if isinstance(r, dict)], next_url if isinstance(
        next_url, str
    ) else None


def _publication_date(doc: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(doc.get("publication_date") or ""))
    except ValueError:
        return None


def document_item(
    doc: dict[str, Any], *, source_id: str, now: datetime, trace_id: str, official: bool = True
) -> RawItem:
    """One document -> RawItem: id from ``document_number``, summary = type, agencies, abstract."""
    agencies = ", ".join(
        str(a.get("name") or a.get("raw_name"))
        for a in doc.get("agencies") or ()
        if isinstance(a, dict)
    )
    lead = " by ".join(p for p in (str(doc.get("type") or ""), agencies) if p)
    body = doc.get("abstract") or clean_text(str(doc.get("excerpts") or ""))
    published = _publication_date(doc)
    number = doc.get("document_number")
    return build_item(
        source_id=source_id,
        guid=f"fr:{number}" if number else None,
        title=doc.get("title"),
        summary=f"{lead}. {body}" if lead and body else lead or body,
        url=doc.get("html_url"),
        published=datetime(published.year, published.month, published.day) if published else None,
        now=now,
        trace_id=trace_id,
        publisher=PUBLISHER,
        language="en",
        official=official,
    )


def documents_items(
    docs: list[dict[str, Any]],
    *,
    source_id: str,
    now: datetime,
    trace_id: Callable[[], str],
    official: bool = True,
) -> list[RawItem]:
    return [
        document_item(d, source_id=source_id, now=now, trace_id=trace_id(), official=official)
        for d in docs
    ]


class FederalRegisterSource(Source):
    """State: ``watermark`` (newest publication date seen) and ``seen`` (document numbers
    already returned for that date), so a poll returns each document once."""

    config: FederalRegisterSourceConfig

    def __init__(self, config: FederalRegisterSourceConfig):
        super().__init__(config)

    async def poll(self, ctx: PollContext) -> PollResult:
        cfg = self.config
        now = ctx.now()
        state = await ctx.state.load(cfg.id)
        try:
            since = date.fromisoformat(state.get("watermark", ""))
        except ValueError:
            since = now.date() - timedelta(days=cfg.lookback_days)
        seen = set(filter(None, state.get("seen", "").split(",")))
        limits = FetchLimits(timeout_s=cfg.timeout_s, max_bytes=cfg.max_bytes)
        docs: list[dict[str, Any]] = []
        url: str | None = cfg.url
        params: list[tuple[str, str]] | None = query_params(cfg, since)
        notes: list[str] = []
        for page in range(cfg.max_pages):
            if url is None:
                break
            fetched = await fetch(ctx.session, url, params=params, limits=limits,
                                  user_agent=ctx.user_agent, accept="application/json")  # fmt: skip
            results, url = parse_documents(fetched.body)
            docs += results
            params = None  # next_page_url carries the query
            if url is not None and URL(url).host != URL(cfg.url).host:
                notes.append("next_page_url points to another host; not followed")
                url = None
            if url is not None and page == cfg.max_pages - 1:
                notes.append(
                    f"more than {cfg.max_pages} pages of results; raise per_page or max_pages"
                )
        fresh = [d for d in docs if d.get("document_number") not in seen]
        watermark = max((d for d in map(_publication_date, docs) if d), default=since)
        if watermark == since:
            seen |= {str(d.get("document_number")) for d in docs if d.get("document_number")}
        else:
            seen = {
                str(d.get("document_number")) for d in docs if _publication_date(d) == watermark
            }
        items = documents_items(
            fresh, source_id=cfg.id, now=now, trace_id=ctx.trace_id, official=cfg.official
        )
        return PollResult(
            items=items, notes=notes,
            state={"watermark": watermark.isoformat(), "seen": ",".join(sorted(seen))},
        )  # fmt: skip
