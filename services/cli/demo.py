"""The ``--demo`` feed of ``rarewatch up``: the bundled sample capture (items written by
us, ``services/demo/sample_capture.jsonl``) replayed through the same code as ``rarewatch
replay`` into a clean ``<namespace>-demo`` namespace, a few hours of news in half a minute.

Replayed items are marked ``replay``, so their alerts go only to destinations that allow
replays (console and file by default, or any with ``allow_replay: true``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from importlib import resources

from services.config import Config
from services.replay.capture import CaptureReader
from services.replay.replay import replay
from shared.names import Names
from shared.redisconn import make_redis

DEMO_CAPTURE = "sample_capture.jsonl"
DEMO_SPEED = 600.0  # ten minutes of the capture per second
STOP_POLL_S = 0.1


async def clear_namespace(config: Config) -> None:
    redis = make_redis(config.redis_url or "")
    try:
        keys = [k async for k in redis.scan_iter(match=f"{config.namespace}:*", count=1000)]
        for i in range(0, len(keys), 500):
            await redis.delete(*keys[i : i + 500])
    finally:
        await redis.aclose()


async def _watch(stopped: Callable[[], bool], stop: asyncio.Event) -> None:
    # ``stopped`` is a flag set by up's signal handler, which does not wake the event loop:
    # polling it is what notices Ctrl-C within STOP_POLL_S
    while not stopped():  # noqa: ASYNC110
        await asyncio.sleep(STOP_POLL_S)
    stop.set()


async def feed_demo(
    config: Config, stopped: Callable[[], bool], *, speed: float = DEMO_SPEED
) -> int:
    """Replay the sample capture into ``config.namespace``; return how many items went in."""
    print(
        "rarewatch: demo items are replayed: their alerts go to console and file "
        "destinations (and any with allow_replay: true)",
        flush=True,
    )
    redis = make_redis(config.redis_url or "")
    stop = asyncio.Event()
    watcher = asyncio.create_task(_watch(stopped, stop))
    try:
        bundled = resources.files("services.demo") / DEMO_CAPTURE
        with resources.as_file(bundled) as path, CaptureReader(path) as capture:
            return await replay(
                redis,
                capture.entries(),
                Names(config.namespace).items,
                speed=speed,
                maxlen=config.bus.maxlen,
                stop=stop,
            )
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        await redis.aclose()
