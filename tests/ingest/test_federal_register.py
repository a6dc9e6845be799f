"""FederalRegisterSource against a local stand-in for documents.json (documents written here)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import ValidationError

from services.ingest.sources.federal_register import (
    FederalRegisterSource,
    FederalRegisterSourceConfig,
    search_term,
)
from shared.errors import FeedError, SourceError

from .conftest import MemoryState, make_ctx

Serve = Callable[..., Awaitable[TestServer]]


def doc(number: str, day: str, title: str) -> dict[str, Any]:
    return {
        "title": title,
        "type": "Rule",
        "abstract": "The Bureau revises licence requirements for <em>listed</em> items.",
        "document_number": number,
        "html_url": f"https://www.federalregister.gov/documents/{day.replace('-', '/')}/{number}/x",
        "publication_date": day,
        "agencies": [
            {"name": "Industry and Security Bureau", "slug": "industry-and-security-bureau"}
        ],
    }


DOCS = [
    doc("2026-20002", "2026-09-01", "Export Administration Regulations: Gallium Compounds"),
    doc("2026-20001", "2026-08-31", "Critical Mineral Supply Notice"),
]


class FakeRegister:
    """Answers like documents.json: filters on publication_date[gte], records each query."""

    def __init__(self, docs: list[dict[str, Any]]):
        self.docs = docs
        self.queries: list[list[tuple[str, str]]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.queries.append(list(request.query.items()))
        since = request.query.get("conditions[publication_date][gte]", "0000-00-00")
        results = [d for d in self.docs if d["publication_date"] >= since]
        if not results:
            return web.json_response({"description": "Documents matching your search", "count": 0})
        return web.json_response({"count": len(results), "total_pages": 1, "results": results})


def config(url: str, **kw: Any) -> FederalRegisterSourceConfig:
    base: dict[str, Any] = {
        "id": "fr",
        "kind": "federal_register",
        "terms": ["rare earth"],
        "url": url,
    }
    return FederalRegisterSourceConfig.model_validate({**base, **kw})


async def test_query_has_terms_agencies_types_and_the_lookback(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    fake = FakeRegister(DOCS)
    server = await serve({"/api/v1/documents.json": fake.handle})
    cfg = config(
        str(server.make_url("/api/v1/documents.json")),
        terms=["rare earth", "critical mineral", "gallium"],
        agencies=["industry-and-security-bureau", "trade-representative-office-of-united-states"],
        document_types=["rule", "NOTICE"],
        per_page=50,
        lookback_days=3,
    )
    await FederalRegisterSource(cfg).poll(make_ctx(session))
    query = fake.queries[0]
    assert ("order", "newest") in query and ("per_page", "50") in query
    assert ("conditions[term]", '"rare earth" | "critical mineral" | gallium') in query
    assert [v for k, v in query if k == "conditions[agencies][]"] == list(cfg.agencies)
    assert [v for k, v in query if k == "conditions[type][]"] == ["RULE", "NOTICE"]
    assert ("conditions[publication_date][gte]", "2026-08-29") in query


async def test_items_are_official_and_each_document_is_returned_once(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    fake = FakeRegister(DOCS)
    server = await serve({"/docs.json": fake.handle})
    src, state = FederalRegisterSource(config(str(server.make_url("/docs.json")))), MemoryState()
    first = await src.poll(make_ctx(session, state))
    assert [i.title for i in first.items] == [d["title"] for d in DOCS]
    item = first.items[0]
    assert item.official and item.publisher == "federalregister.gov" and item.language == "en"
    assert item.summary.startswith("Rule by Industry and Security Bureau. The Bureau revises")
    assert "<em>" not in item.summary
    assert item.published_at is not None and item.published_at.date() == date(2026, 9, 1)
    assert first.state == {"watermark": "2026-09-01", "seen": "2026-20002"}
    await state.save("fr", first.state)

    second = await src.poll(make_ctx(session, state))
    assert second.items == []
    assert ("conditions[publication_date][gte]", "2026-09-01") in fake.queries[1]

    fake.docs = [doc("2026-20003", "2026-09-01", "Antimony Notice"), *DOCS]
    third = await src.poll(make_ctx(session, state))
    assert [i.title for i in third.items] == ["Antimony Notice"]
    assert third.state is not None and third.state["seen"] == "2026-20002,2026-20003"


async def test_same_document_gives_the_same_item_id(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    server = await serve({"/d": FakeRegister(DOCS).handle})
    src = FederalRegisterSource(config(str(server.make_url("/d"))))
    once, again = await src.poll(make_ctx(session)), await src.poll(make_ctx(session))
    assert [i.id for i in once.items] == [i.id for i in again.items]


async def test_empty_search_without_results_key_is_no_items(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    server = await serve({"/d": FakeRegister([]).handle})
    result = await FederalRegisterSource(config(str(server.make_url("/d")))).poll(make_ctx(session))
    assert result.items == [] and result.state is not None


async def test_next_page_is_followed_on_the_same_host_only(
    serve: Serve, session: aiohttp.ClientSession
) -> None:
    pages: dict[str, dict[str, Any]] = {}

    async def handler(request: web.Request) -> web.Response:
        return web.json_response(pages[request.query.get("page", "1")])

    server = await serve({"/d": handler})
    pages["1"] = {
        "count": 2,
        "results": DOCS[:1],
        "next_page_url": str(server.make_url("/d?page=2")),
    }
    pages["2"] = {
        "count": 2,
        "results": DOCS[1:],
        "next_page_url": "https://elsewhere.example/d?page=3",
    }
    result = await FederalRegisterSource(config(str(server.make_url("/d")))).poll(make_ctx(session))
    assert len(result.items) == 2
    assert result.notes == ["next_page_url points to another host; not followed"]


@pytest.mark.parametrize(
    ("status", "body", "error", "match"),
    [
        (200, b"<html>maintenance</html>", FeedError, "not Federal Register JSON"),
        (200, b'{"unexpected": true}', FeedError, "no results or count"),
        (
            400,
            json.dumps({"errors": {"conditions": {"agencies": ["nope"]}}}).encode(),
            SourceError,
            "HTTP 400",
        ),
    ],
)
async def test_bad_answers_are_typed_errors(
    status: int,
    body: bytes,
    error: type[SourceError],
    match: str,
    serve: Serve,
    session: aiohttp.ClientSession,
) -> None:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(status=status, body=body)

    server = await serve({"/d": handler})
    with pytest.raises(error, match=match) as err:
        await FederalRegisterSource(config(str(server.make_url("/d")))).poll(make_ctx(session))
    assert not err.value.retryable


def test_config_needs_terms_or_agencies_and_known_types() -> None:
    with pytest.raises(ValidationError, match="give terms or agencies"):
        FederalRegisterSourceConfig.model_validate({"id": "fr", "kind": "federal_register"})
    with pytest.raises(ValidationError, match="document_types"):
        config("https://x.example/d", document_types=["MEMO"])
    with pytest.raises(ValidationError, match="per_page"):
        config("https://x.example/d", per_page=5000)


def test_search_term_quotes_phrases_and_keeps_operators() -> None:
    assert (
        search_term(("rare earth", "gallium", '"section 232"'))
        == '"rare earth" | gallium | "section 232"'
    )
