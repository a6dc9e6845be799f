"""``rarewatch replay FILE``: republish a capture into a namespace at the capture's pace."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from redis.exceptions import RedisError

from services.cli.common import add_config_arg, load
from services.replay.capture import CaptureError, CaptureReader, LineError
from services.replay.replay import default_target, replay
from shared.names import Names
from shared.redisconn import make_redis
from shared.settings import DEFAULT_REDIS_URL


def _speed(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("the speed must be a positive number, e.g. 60")
    return value


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "replay",
        help="replay a capture file into a namespace (a fresh one by default)",
        description="Republish a capture's entries, in order, into NAMESPACE's stream of the "
        "same kind, marked as replayed. The target namespace is printed on stdout.",
    )
    p.add_argument("file", type=Path, help="a capture file written by `rarewatch record`")
    p.add_argument(
        "--into",
        metavar="NAMESPACE",
        help="target namespace (default: a fresh <namespace>-replay-<time>; the live "
        "namespace only when named here)",
    )
    pace = p.add_mutually_exclusive_group()
    pace.add_argument(
        "--speed", type=_speed, default=1.0, help="N times the original pace (default 1)"
    )
    pace.add_argument("--max-speed", action="store_true", help="as fast as possible")
    add_config_arg(p)
    p.set_defaults(func=main)


def _report(path: Path) -> Callable[[LineError], None]:
    def on_error(err: LineError) -> None:
        print(f"rarewatch: {path}: {err}; skipped", file=sys.stderr, flush=True)

    return on_error


async def _replay(args: argparse.Namespace) -> int:
    config, _env = load(args, "replay")
    try:
        reader = CaptureReader(args.file, _report(args.file))
    except CaptureError as exc:
        print(f"rarewatch: {exc}", file=sys.stderr)
        return 2
    target = args.into or default_target(config.namespace, datetime.now(UTC))
    stream = getattr(Names(target), reader.header.stream)
    print(target, flush=True)
    if target == config.namespace:
        print(
            f"rarewatch: replaying into the live namespace {target} (named by --into)",
            file=sys.stderr,
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    redis = make_redis(config.redis_url or DEFAULT_REDIS_URL)
    started = time.monotonic()
    try:
        with reader:
            n = await replay(
                redis,
                reader.entries(),
                stream,
                speed=None if args.max_speed else args.speed,
                maxlen=config.bus.maxlen,
                stop=stop,
            )
    except (RedisError, OSError) as exc:
        print(f"rarewatch: cannot write {stream}: {exc}", file=sys.stderr)
        return 1
    finally:
        await redis.aclose()
    bad = len(reader.errors)
    print(
        f"rarewatch: replayed {n} entries into {stream} in {time.monotonic() - started:.1f} s"
        + (f"; {bad} bad line(s) skipped" if bad else "")
        + ("; stopped early" if stop.is_set() else ""),
        file=sys.stderr,
    )
    return 1 if bad else 0


def main(args: argparse.Namespace) -> int:
    return asyncio.run(_replay(args))
