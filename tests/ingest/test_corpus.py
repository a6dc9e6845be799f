"""Every corpus file goes through the same code path as a live fetch (a real local HTTP
server, the real source classes) and ends as items or as a typed error, never a crash,
and with every entry feedparser recovers."""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import feedparser
import pytest

from services.ingest.politeness import IntervalLimiter
from services.ingest.sources.base import PollResult, Source
from services.ingest.sources.federal_register import (
    FederalRegisterSource,
    FederalRegisterSourceConfig,
)
from services.ingest.sources.gdelt import GdeltSource, GdeltSourceConfig
from services.ingest.sources.rss import RssSource, RssSourceConfig
from shared.errors import FeedError, SourceError, ThrottledError

from .conftest import CORPORA, CorpusServer, corpus_headers, make_ctx

FEEDPARSER_FOLDERS = ["encoding", "entities", "illformed", "json", "wellformed"]
MANIFEST = {m["file"]: m for m in json.loads((CORPORA / "realworld" / "MANIFEST.json").read_text())}
StartServer = Callable[[Path], Awaitable[CorpusServer]]


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def rss_source(url: str) -> RssSource:
    return RssSource(RssSourceConfig(id="corpus", kind="rss", url=url, max_bytes=2_000_000))


async def outcome(source: Source, session: aiohttp.ClientSession) -> PollResult | SourceError:
    try:
        return await source.poll(make_ctx(session))
    except SourceError as exc:  # typed errors are a valid outcome; anything else fails the test
        return exc


def feedparser_entries(path: Path) -> int:
    body = path.read_bytes()
    headers = {k.lower(): v for k, v in corpus_headers(body, path.suffix).items()}
    return len(feedparser.parse(io.BytesIO(body), response_headers=headers).entries)


@pytest.mark.parametrize("folder", FEEDPARSER_FOLDERS)
async def test_feedparser_corpus_keeps_every_recovered_entry(
    folder: str, corpus_server: StartServer, session: aiohttp.ClientSession
) -> None:
    root = CORPORA / "feedparser"
    server = await corpus_server(root)
    files = files_under(root / folder)
    assert files, f"no corpus files under {root / folder}"
    wrong: list[str] = []
    for path in files:
        rel = path.relative_to(root)
        result = await outcome(rss_source(server.url(rel)), session)
        expected = feedparser_entries(path)
        if isinstance(result, SourceError):
            if expected or not isinstance(result, FeedError) or not str(result):
                wrong.append(
                    f"{rel}: {type(result).__name__} {result} but feedparser has {expected}"
                )
        elif len(result.items) != expected:
            wrong.append(f"{rel}: {len(result.items)} items, feedparser recovers {expected}")
        elif any(not item.title or item.source != "corpus" for item in result.items):
            wrong.append(f"{rel}: an item without a title")
    assert not wrong, "\n".join(wrong[:20])


@pytest.mark.parametrize("folder", ["rss", "atom"])
async def test_realworld_feeds_match_the_manifest(
    folder: str, corpus_server: StartServer, session: aiohttp.ClientSession
) -> None:
    root = CORPORA / "realworld"
    server = await corpus_server(root)
    wrong: list[str] = []
    for path in files_under(root / folder):
        rel = str(path.relative_to(root))
        expected = MANIFEST[rel]["feedparser_6_0_14"]["entries"]
        result = await outcome(rss_source(server.url(rel)), session)
        if isinstance(result, SourceError):
            if expected or not isinstance(result, FeedError):
                wrong.append(f"{rel}: {type(result).__name__}: {result}; manifest has {expected}")
        elif len(result.items) != expected or expected == 0:
            wrong.append(f"{rel}: {len(result.items)} items, manifest has {expected}")
    assert not wrong, "\n".join(wrong)


async def test_realworld_federal_register_files(
    corpus_server: StartServer, session: aiohttp.ClientSession
) -> None:
    root = CORPORA / "realworld"
    server = await corpus_server(root)
    for path in files_under(root / "federal_register"):
        rel = str(path.relative_to(root))
        cfg = FederalRegisterSourceConfig(
            id="fr",
            kind="federal_register",
            terms=("rare earth",),
            url=server.url(rel),
            max_pages=1,
        )
        result = await FederalRegisterSource(cfg).poll(make_ctx(session))
        assert len(result.items) == MANIFEST[rel]["feedparser_6_0_14"]["items"], rel
        assert all(i.official and i.publisher == "federalregister.gov" for i in result.items)
        assert all(
            i.url and i.url.startswith("https://www.federalregister.gov/") for i in result.items
        )


async def test_realworld_gdelt_files(
    corpus_server: StartServer, session: aiohttp.ClientSession
) -> None:
    root = CORPORA / "realworld"
    server = await corpus_server(root)
    limiter = IntervalLimiter(0.0)
    for path in files_under(root / "gdelt"):
        rel = str(path.relative_to(root))
        for status in (200, 429) if path.suffix == ".txt" else (200,):
            cfg = GdeltSourceConfig(
                id="g", kind="gdelt", query="rare earth", url=server.url(rel, status)
            )
            result = await outcome(GdeltSource(cfg, limiter=limiter), session)
            if path.suffix == ".txt":
                assert isinstance(result, SourceError), rel
                assert "GDELT" in str(result)
                if "rate_limited" in rel or status == 429:
                    assert isinstance(result, ThrottledError) and "retry later" in str(result)
                else:
                    assert not result.retryable and "query" in str(result)
            else:
                assert isinstance(result, PollResult), f"{rel}: {result}"
                assert len(result.items) == MANIFEST[rel]["feedparser_6_0_14"]["items"], rel
