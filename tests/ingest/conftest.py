"""Fixtures for the source side of ingest: an in-memory state store, a poll context with a
real aiohttp session, and a real local HTTP server that serves corpus files."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from services.ingest.sources.base import PollContext

REPO = Path(__file__).resolve().parents[2]
CORPORA = REPO.parent / "shared" / "corpora"
FIXED_NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
USER_AGENT = "rarewatch-test/1.0 (+https://example.org/rarewatch)"

_HEADER_LINE = re.compile(rb"^Header:[ \t]*([A-Za-z-]+):[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_TYPES = {".json": "application/json", ".txt": "text/plain; charset=utf-8"}


@dataclass
class MemoryState:
    """The StateStore protocol in a dict; ``saved`` records every save for assertions."""

    values: dict[str, dict[str, str]] = field(default_factory=dict)
    saved: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    async def load(self, source_id: str) -> dict[str, str]:
        return dict(self.values.get(source_id, {}))

    async def save(self, source_id: str, values: dict[str, str]) -> None:
        self.values[source_id] = dict(values)
        self.saved.append((source_id, dict(values)))


def make_ctx(
    session: aiohttp.ClientSession, state: MemoryState | None = None, now: datetime = FIXED_NOW
) -> PollContext:
    return PollContext(
        session=session,
        state=state or MemoryState(),
        user_agent=USER_AGENT,
        now=lambda: now,
        trace_id=lambda: uuid.uuid4().hex,
    )


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


def corpus_headers(body: bytes, suffix: str) -> dict[str, str]:
    """The ``Header:`` lines in a feedparser test file's leading comment (what its own test
    harness feeds in), else a plain content type for the file's kind."""
    declared = {
        name.decode().title(): value.decode("latin-1")
        for name, value in _HEADER_LINE.findall(body[:3000])
    }
    declared.setdefault("Content-Type", _TYPES.get(suffix, "application/xml"))
    return declared


def corpus_index(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file()}


@dataclass
class CorpusServer:
    """Serves ``/{status}/{path}`` = the file under ``root`` with that status and its headers."""

    root: Path
    server: TestServer

    def url(self, relative: str | Path, status: int = 200) -> str:
        return str(self.server.make_url(f"/{status}/{relative}"))


@pytest.fixture
async def corpus_server() -> AsyncIterator[Callable[[Path], Awaitable[CorpusServer]]]:
    servers: list[TestServer] = []

    async def start(root: Path) -> CorpusServer:
        files = corpus_index(root)

        async def serve(request: web.Request) -> web.Response:
            path = files.get(request.match_info["path"])
            if path is None:
                raise web.HTTPNotFound()
            body = path.read_bytes()
            return web.Response(
                status=int(request.match_info["status"]),
                body=body,
                headers=corpus_headers(body, path.suffix),
            )

        app = web.Application()
        app.router.add_get(r"/{status:\d{3}}/{path:.+}", serve)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return CorpusServer(root, server)

    yield start
    for server in servers:
        await server.close()


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[TestServer]]]:
    """``await serve({"/path": handler, ...})`` -> a started local server."""
    servers: list[TestServer] = []

    async def start(routes: dict[str, Handler]) -> TestServer:
        app = web.Application()
        for path, handler in routes.items():
            app.router.add_get(path, handler)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.close()
