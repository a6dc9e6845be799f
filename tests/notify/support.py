"""Helpers for the notify tests: notify run in-process, the audit stream, the CLI in-process."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import yaml
from redis.asyncio import Redis

from services import cli
from services.app import open_resources
from services.config import Config
from services.notify.service import build_notify
from shared import bus
from shared.logging import configure_logging
from shared.models import DeliveryRecord
from shared.names import Names
from shared.runner import ServiceRunner
from tests.helpers import make_config, running


def notify_config(
    namespace: str,
    redis_url: str,
    destinations: list[dict[str, Any]],
    routes: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Config:
    routes = routes or [{"match": {"min_level": "low"}, "to": [d["id"] for d in destinations]}]
    return make_config(namespace, redis_url, destinations=destinations, routes=routes, **extra)


@asynccontextmanager
async def notify(config: Config) -> AsyncIterator[ServiceRunner]:
    res = await open_resources(config, "notify")
    async with running(build_notify(res)) as runner:
        yield runner


async def deliveries(redis: Redis, names: Names) -> list[DeliveryRecord]:
    rows = await redis.xrange(names.deliveries)
    return [bus.Entry(i.decode(), f).model(DeliveryRecord) for i, f in rows]


async def wait_until(pred: Callable[[], Awaitable[bool]], timeout_s: float = 10.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if await pred():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


def write_config_file(path: Path, config: Config) -> Path:
    """The config as a YAML file a CLI command can read (secrets written out in clear)."""
    data = config.model_dump(mode="json", exclude_none=True, by_alias=True)
    for dest, source in zip(data["destinations"], config.destinations, strict=True):
        for key in ("url", "secret", "previous_secret"):
            value = getattr(source, key, None)
            if value is not None:
                dest[key] = value.get_secret_value()
    path.write_text(yaml.safe_dump(data))
    return path


def _call(argv: list[str]) -> tuple[int, str, str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    # services running in this process log through structlog; route that through the
    # logging module first, so none of their lines lands in the command's stdout
    configure_logging("warning", "json")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    out.flush()
    stdout = out.buffer.getvalue().decode()  # type: ignore[attr-defined]
    return code, stdout, err.getvalue()


async def run_cli(*argv: str) -> tuple[int, str, str]:
    """``rarewatch ARGV`` in this process (in a thread: the CLI runs its own event loop);
    returns the exit code, stdout and stderr."""
    return await asyncio.to_thread(_call, list(argv))
