"""The console's HTTP surface, served by notify on its port:

- ``GET /``: the page (``static/index.html``, ``app.js``, ``style.css``; no build step);
- ``GET /api/alerts``: story rows of the last 24 hours, newest first (``?min_level=``);
- ``GET /api/alerts/stream``: the same, live (server-sent events; see ``stream.py``);
- ``GET /api/timeline``: stories per mineral, day and level over 7 days;
- ``GET /api/health-strip``: lag, pending, dead letters, sources down, disabled destinations.

Everything is a read-only view of Redis. Wire it with ``ServiceSpec(app_setup=...)``:
``console_setup`` adds the routes and an ``on_shutdown`` hook that ends open live streams.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from aiohttp import web
from redis.exceptions import RedisError

from services.app import Resources
from services.notify.web.console import Console, ConsoleSettings
from services.notify.web.stream import alert_stream
from services.notify.web.views import visible
from shared.logging import get_logger
from shared.models import Level

log = get_logger("notify.console")

STATIC = Path(__file__).resolve().parent / "static"
# The page loads nothing from elsewhere; the policy makes that a rule for the browser too.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'",
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _problem(status: int, title: str, detail: str) -> web.Response:
    return web.json_response(
        {"title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


def _min_level(request: web.Request, default: Level) -> Level:
    raw = request.query.get("min_level")
    if raw is None:
        return default
    try:
        return Level(raw)
    except ValueError:
        allowed = ", ".join(lv.value for lv in Level)
        raise web.HTTPBadRequest(text=f"min_level must be one of: {allowed}") from None


def _redis_guard(handler: Handler) -> Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except RedisError as exc:
            log.warning("console: redis unavailable", path=request.path, error=type(exc).__name__)
            return _problem(503, "redis unavailable", f"cannot read Redis: {type(exc).__name__}")

    return guarded


def _json(data: Any) -> web.Response:
    return web.json_response(data, headers={"Cache-Control": "no-store"})


def make_routes(console: Console) -> list[web.AbstractRouteDef]:
    default_level = console.settings.min_level

    async def index(_request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)

    async def alerts(request: web.Request) -> web.StreamResponse:
        level = _min_level(request, default_level)
        snap = await console.snapshot()
        rows = visible(snap.rows, min_level=level, since=console.since())
        return _json(
            {
                "generated_at": snap.at.isoformat(),
                "last_id": snap.top,
                "min_level": level.value,
                "window_hours": console.settings.window.total_seconds() / 3600,
                "truncated": snap.truncated,
                "alerts": [r.model_dump(mode="json") for r in rows],
            }
        )

    async def stream(request: web.Request) -> web.StreamResponse:
        return await alert_stream(console, request, _min_level(request, default_level))

    async def timeline(_request: web.Request) -> web.StreamResponse:
        return _json((await console.timeline()).model_dump(mode="json"))

    async def strip(_request: web.Request) -> web.StreamResponse:
        return _json((await console.strip()).model_dump(mode="json"))

    return [
        web.get("/", index),
        web.static("/static", STATIC),
        web.get("/api/alerts", _redis_guard(alerts)),
        web.get("/api/alerts/stream", _redis_guard(stream)),
        web.get("/api/timeline", _redis_guard(timeline)),
        web.get("/api/health-strip", _redis_guard(strip)),
    ]


def console_setup(
    res: Resources,
    destinations: Sequence[str],
    settings: ConsoleSettings | None = None,
) -> Callable[[web.Application], None]:
    """``ServiceSpec.app_setup`` for notify: the console's routes plus a shutdown hook."""
    console = Console(
        res.redis,
        res.names,
        list(destinations),
        res.config.health,
        block_ms=res.config.bus.block_ms,
        settings=settings or ConsoleSettings(),
    )

    async def end_streams(_app: web.Application) -> None:
        console.closing.set()

    def setup(app: web.Application) -> None:
        app.router.add_routes(make_routes(console))
        app.on_shutdown.append(end_streams)

    return setup
