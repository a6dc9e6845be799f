"""A small service runner: HTTP (``/livez``, ``/readyz``, ``/metrics`` and the service's
own routes), background loops, signals, and a graceful drain with a timeout."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from prometheus_client.aiohttp import make_aiohttp_handler

from shared.health import CONTENT_TYPE, Check, http_status, report
from shared.logging import get_logger
from shared.version import VERSION

log = get_logger("runner")

Loop = Callable[[asyncio.Event], Awaitable[None]]
ReadinessFn = Callable[[], Awaitable[list[Check]]]
Hook = Callable[[], Awaitable[None]]


@dataclass
class ServiceSpec:
    """What a service gives the runner; its composition root fills this in."""

    name: str
    host: str = "0.0.0.0"
    port: int = 0
    loops: dict[str, Loop] = field(default_factory=dict)
    readiness: ReadinessFn | None = None
    routes: list[web.RouteDef] = field(default_factory=list)
    on_stop: list[Hook] = field(default_factory=list)
    drain_timeout_s: float = 10.0
    app_setup: Callable[[web.Application], None] | None = None


class ServiceRunner:
    def __init__(self, spec: ServiceSpec):
        self.spec = spec
        self.stop_event = asyncio.Event()
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self._prometheus = make_aiohttp_handler()

    # -- HTTP -------------------------------------------------------------------------
    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=2 * 1024 * 1024)
        app.router.add_get("/livez", self._livez)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics)
        app.router.add_routes(self.spec.routes)
        if self.spec.app_setup:
            self.spec.app_setup(app)
        return app

    async def _metrics(self, request: web.Request) -> web.StreamResponse:
        """Prometheus text; gauges read from Redis (lag, pending) are refreshed first."""
        if self.spec.readiness is not None:
            try:
                await self.spec.readiness()
            except Exception:
                log.warning("could not refresh gauges before a scrape", exc_info=True)
        return await self._prometheus(request)

    async def _livez(self, _request: web.Request) -> web.Response:
        dead = [n for n, t in self.tasks.items() if t.done() and not self.stop_event.is_set()]
        if dead:
            return web.json_response(
                {"status": "fail", "dead_loops": dead}, status=503, content_type=CONTENT_TYPE
            )
        return web.json_response({"status": "pass"}, content_type=CONTENT_TYPE)

    async def _readyz(self, _request: web.Request) -> web.Response:
        checks: list[Check] = []
        if self.spec.readiness is not None:
            checks = await self.spec.readiness()
        dead = [n for n, t in self.tasks.items() if t.done()]
        for name in dead:
            checks.append(
                Check("loop:alive", "fail", component_id=name, output=f"loop {name} stopped")
            )
        if self.stop_event.is_set():
            checks.append(Check("service:draining", "fail", output="shutting down"))
        body = report(self.spec.name, VERSION, checks)
        return web.json_response(
            body, status=http_status(body["status"]), content_type=CONTENT_TYPE
        )

    # -- lifecycle --------------------------------------------------------------------
    async def start(self) -> None:
        app = self.build_app()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.spec.host, self.spec.port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.spec.port
        for name, loop in self.spec.loops.items():
            self.tasks[name] = asyncio.create_task(self._guard(name, loop), name=name)
        log.info("service started", service=self.spec.name, port=self.port)

    async def _guard(self, name: str, loop: Loop) -> None:
        try:
            await loop(self.stop_event)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("loop crashed", loop=name)
            raise

    async def stop(self) -> None:
        """Stop taking work, let loops drain for ``drain_timeout_s``, then cancel them."""
        self.stop_event.set()
        if self.tasks:
            _, pending = await asyncio.wait(self.tasks.values(), timeout=self.spec.drain_timeout_s)
            for t in pending:
                t.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for hook in self.spec.on_stop:
            try:
                await hook()
            except Exception:
                log.exception("stop hook failed")
        if self._runner is not None:
            await self._runner.cleanup()
        log.info("service stopped", service=self.spec.name)

    async def run_forever(self, external_stop: asyncio.Event | None = None) -> None:
        """Start, wait for SIGINT/SIGTERM (or ``external_stop``), then stop gracefully."""
        loop = asyncio.get_running_loop()
        wake = external_stop or asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, wake.set)
        await self.start()
        try:
            await wake.wait()
        finally:
            log.info("stopping", service=self.spec.name)
            await self.stop()
