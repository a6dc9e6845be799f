"""``rarewatch record``: a stream (or an id/time range of it) to a JSON-lines capture file."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import IO

from redis.exceptions import RedisError

from services.cli.common import add_config_arg, load
from services.replay.capture import StreamKind
from services.replay.record import FOLLOW_BLOCK_MS, RangeError, parse_bound, record
from shared.names import Names
from shared.redisconn import make_redis
from shared.settings import DEFAULT_REDIS_URL

STREAMS: tuple[StreamKind, ...] = ("items", "events", "deliveries")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "record",
        help="record a stream (or a range of it) to a JSON-lines capture file",
        description="Write the entries of one stream to a capture file: a header line, then "
        "one JSON line per entry with its original stream id and time.",
    )
    p.add_argument("--stream", choices=STREAMS, required=True, help="which stream to record")
    p.add_argument(
        "--from", dest="start", metavar="ID|TIME", help="first entry: a stream id or ISO time"
    )
    p.add_argument(
        "--to", dest="end", metavar="ID|TIME", help="last entry: a stream id or ISO time"
    )
    p.add_argument(
        "--follow",
        action="store_true",
        help="after the existing entries, keep recording new ones until Ctrl-C",
    )
    p.add_argument(
        "-o", "--output", type=Path, default=None, help="the capture file (default: stdout)"
    )
    add_config_arg(p)
    p.set_defaults(func=main)


def _skip(msg_id: str, why: str) -> None:
    print(f"rarewatch: entry {msg_id} skipped: {why}", file=sys.stderr)


async def _record(args: argparse.Namespace, out: IO[bytes]) -> int:
    config, _env = load(args, "record")
    try:
        start = parse_bound(args.start) if args.start else None
        end = parse_bound(args.end) if args.end else None
    except RangeError as exc:
        print(f"rarewatch: {exc}", file=sys.stderr)
        return 2
    names = Names(config.namespace)
    stream: StreamKind = args.stream
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    redis = make_redis(config.redis_url or DEFAULT_REDIS_URL, block_ms=FOLLOW_BLOCK_MS)
    try:
        result = await record(
            redis,
            config.namespace,
            stream,
            getattr(names, stream),
            out,
            start=start,
            end=end,
            follow=args.follow,
            stop=stop,
            on_skip=_skip,
        )
    except (RedisError, OSError) as exc:
        print(f"rarewatch: cannot read {getattr(names, stream)}: {exc}", file=sys.stderr)
        return 1
    finally:
        await redis.aclose()
    where = args.output or "stdout"
    print(
        f"rarewatch: recorded {result.written} entries of {getattr(names, stream)} to {where}",
        file=sys.stderr,
    )
    return 0


def main(args: argparse.Namespace) -> int:
    if args.follow and args.end:
        print("rarewatch: --follow records until Ctrl-C; it cannot take --to", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        if args.output is None:
            out: IO[bytes] = sys.stdout.buffer
        else:
            try:
                out = stack.enter_context(args.output.open("wb"))
            except OSError as exc:
                print(f"rarewatch: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
                return 2
        return asyncio.run(_record(args, out))
