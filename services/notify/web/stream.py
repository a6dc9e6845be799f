"""``GET /api/alerts/stream``: the alert list, live, as server-sent events.

On connect a client gets ``event: snapshot`` (every row of the window, newest first, and
the stream id it is current to), then ``event: story`` with the whole row each time a
story gets a new or updated event, and a comment line every ``keepalive_s`` when nothing
happens. A reconnecting client simply gets a fresh snapshot.

Each connection tails ``{ns}:events`` with ``XREAD BLOCK`` on the process's one Redis
client: the block is the bus's ``block_ms``, below the client's socket timeout (see
``shared/redisconn.py``), and the number of open streams is capped (``max_streams``) so
waiting readers can never take the whole connection pool from the pipeline. A stream ends
when the client goes away, when Redis fails (the page reconnects), or on shutdown.
"""

from __future__ import annotations

import time
from typing import Any

import orjson
from aiohttp import web
from redis.exceptions import RedisError

from services.notify.web import store
from services.notify.web.console import Console
from services.notify.web.views import fold_all, prune, shown, visible
from shared.logging import get_logger
from shared.models import Level

log = get_logger("notify.console")

READ_COUNT = 500
RECONNECT_MS = 3000
SSE_HEADERS = {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",  # nginx: do not buffer the stream
}


def sse(event: str, data: Any, event_id: str | None = None) -> bytes:
    """One server-sent event; ``data`` is JSON on one line (JSON escapes newlines)."""
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {event}\ndata: ".encode() + orjson.dumps(data) + b"\n\n"


def _gone(request: web.Request) -> bool:
    return request.transport is None or request.transport.is_closing()


async def alert_stream(
    console: Console, request: web.Request, min_level: Level
) -> web.StreamResponse:
    if console.streams >= console.settings.max_streams:
        return web.json_response(
            {"title": "too many live pages", "status": 503, "detail": "try again shortly"},
            status=503,
            headers={"Retry-After": "10"},
        )
    console.streams += 1
    resp = web.StreamResponse(headers=SSE_HEADERS)
    log.info("console stream opened", streams=console.streams)
    try:
        await resp.prepare(request)
        await resp.write(f"retry: {RECONNECT_MS}\n\n".encode())
        await _tail(console, request, resp, min_level)
    except ConnectionResetError:
        pass  # the page went away mid-write
    except RedisError as exc:
        log.warning("console stream ended: redis unavailable", error=type(exc).__name__)
    finally:
        console.streams -= 1
        log.info("console stream closed", streams=console.streams)
    return resp


async def _tail(
    console: Console, request: web.Request, resp: web.StreamResponse, min_level: Level
) -> None:
    snap = await console.snapshot()
    rows = dict(snap.rows)
    since = console.since()
    snapshot = {
        "last_id": snap.top,
        "min_level": min_level.value,
        "truncated": snap.truncated,
        "alerts": [
            r.model_dump(mode="json") for r in visible(rows, min_level=min_level, since=since)
        ],
    }
    await resp.write(sse("snapshot", snapshot, snap.top))
    last, last_write = snap.top, time.monotonic()
    while not console.closing.is_set() and not _gone(request):
        entries = await store.read_after(
            console.redis, console.names.events, last, block_ms=console.block_ms, count=READ_COUNT
        )
        if not entries:
            if time.monotonic() - last_write >= console.settings.keepalive_s:
                await resp.write(b": keep-alive\n\n")
                last_write = time.monotonic()
            continue
        last = entries[-1][0]
        events = [(i, e) for i, f in entries if (e := store.alert_event(f)) is not None]
        since = console.since()
        for story_id in fold_all(rows, events):
            row = rows[story_id]
            if shown(row, min_level=min_level, since=since):
                await resp.write(sse("story", row.model_dump(mode="json"), last))
                last_write = time.monotonic()
        prune(rows, since=since)
