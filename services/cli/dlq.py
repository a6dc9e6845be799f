"""``rarewatch dlq list|retry|drop|enable-destination``: the dead letters of every stream.

By default every ``<stream>:dlq`` under the namespace is looked at; ``--stream`` narrows it
(``outbox:risk``, ``events``, ``items``, ``ops``; repeatable). ``retry`` puts the original
entry back on its stream and resets the delivery ledger of an outbox message, so it is
sent afresh; entries of a disabled destination are not retried until
``rarewatch dlq enable-destination ID`` clears the flag (fix the receiver first).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson
from redis.asyncio import Redis

from services.cli.common import UsageError, add_config_arg, load, run_with_redis
from services.cli.table import render, shorten
from services.config import Config
from services.notify import dead_letters as dl
from services.notify import destination_state
from shared.names import Names

PROG = "rarewatch dlq"


async def _streams(redis: Redis, names: Names, args: argparse.Namespace) -> list[str]:
    if args.stream:
        return [dl.dlq_key(names, s) for s in args.stream]
    return await dl.dlq_streams(redis, names)


async def _selected(redis: Redis, names: Names, args: argparse.Namespace) -> list[dl.DeadLetter]:
    streams = await _streams(redis, names, args)
    if args.all:
        if args.ids:
            raise UsageError("give entry IDs or --all, not both")
        return await dl.read(redis, streams)
    if not args.ids:
        raise UsageError("give one or more entry IDs (see `rarewatch dlq list`), or --all")
    letters = []
    for entry_id in args.ids:
        found = await dl.find(redis, streams, entry_id)
        if not found:
            raise UsageError(f"no dead letter {entry_id!r} (see `rarewatch dlq list`)")
        if len(found) > 1:
            where = ", ".join(dl.relative(names, f.dlq) for f in found)
            raise UsageError(f"{entry_id!r} is in several streams ({where}); add --stream")
        letters += found
    return letters


async def _list(redis: Redis, names: Names, args: argparse.Namespace) -> int:
    letters = await dl.read(redis, await _streams(redis, names, args), limit=args.limit)
    if args.json:
        for letter in letters:
            sys.stdout.buffer.write(orjson.dumps(letter.as_json(names)) + b"\n")
        return 0
    if not letters:
        print("no dead letters")
        return 0
    rows = []
    for letter in letters:
        j = letter.as_json(names)
        what = " ".join(x for x in (j["message_id"], j["title"]) if x) or "(undecodable)"
        when = j["at"][:19].replace("T", " ")
        row = [j["id"], j["stream"], shorten(j["error"], 60), str(j["deliveries"]), when]
        rows.append([*row, shorten(what, 70)])
    print(render(["ID", "STREAM", "ERROR", "DELIVERIES", "TIME (UTC)", "MESSAGE"], rows))
    return 0


async def _retry(redis: Redis, names: Names, args: argparse.Namespace) -> int:
    code = 0
    disabled: dict[str, str | None] = {}
    letters = await _selected(redis, names, args)
    if not letters:
        print("no dead letters to retry")
    for letter in letters:
        stream = dl.relative(names, letter.stream)
        dest = dl.outbox_destination(names, letter.stream)
        if dest is not None:
            if dest not in disabled:
                disabled[dest] = await destination_state.disabled_reason(redis, names, dest)
            if disabled[dest]:
                print(
                    f"{PROG}: {letter.id} not retried: destination {dest} is disabled"
                    f" ({disabled[dest]}). Fix the receiver, then run"
                    f" `rarewatch dlq enable-destination {dest}` and retry.",
                    file=sys.stderr,
                )
                code = 1
                continue
        if await dl.retry(redis, names, letter):
            print(f"retried {letter.id}: back on {stream}")
        else:
            print(f"{PROG}: {letter.id} is gone (retried or dropped already)", file=sys.stderr)
    return code


async def _drop(redis: Redis, names: Names, args: argparse.Namespace) -> int:
    letters = await _selected(redis, names, args)
    n = await dl.drop(redis, letters)
    print(f"dropped {n} dead letter(s)")
    return 0


async def _enable(redis: Redis, names: Names, args: argparse.Namespace, config: Config) -> int:
    known = {d.id for d in config.destinations}
    if args.destination not in known:
        raise UsageError(
            f"unknown destination {args.destination!r}; configured: {', '.join(sorted(known))}"
        )
    reason = await destination_state.disabled_reason(redis, names, args.destination)
    await destination_state.enable(redis, names, args.destination)
    if reason:
        print(f"destination {args.destination} enabled (it was disabled: {reason})")
    else:
        print(f"destination {args.destination} was not disabled")
    return 0


async def _run(redis: Redis, args: argparse.Namespace, config: Config) -> int:
    names = Names(config.namespace)
    if args.dlq_command == "list":
        return await _list(redis, names, args)
    if args.dlq_command == "retry":
        return await _retry(redis, names, args)
    if args.dlq_command == "drop":
        return await _drop(redis, names, args)
    return await _enable(redis, names, args, config)


def main(args: argparse.Namespace) -> int:
    config, _env = load(args)
    return run_with_redis(
        f"{PROG} {args.dlq_command}", config, lambda redis: _run(redis, args, config)
    )


def _stream_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--stream",
        action="append",
        metavar="S",
        help="only this stream's dead letters: outbox:<destination>, events, items, ops"
        " (repeatable; default: every *:dlq stream)",
    )


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dlq",
        help="list, retry or drop dead letters",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    sub = parser.add_subparsers(dest="dlq_command", metavar="ACTION", required=True)
    lst = sub.add_parser("list", help="dead letters as a table")
    _stream_arg(lst)
    lst.add_argument("--json", action="store_true", help="one JSON object per dead letter")
    lst.add_argument("--limit", type=int, default=1000, help="at most this many per stream")
    parsers = [lst]
    for action, text in (
        ("retry", "put dead letters back on their stream (ledger reset: sent afresh)"),
        ("drop", "delete dead letters"),
    ):
        p = sub.add_parser(action, help=text)
        p.add_argument("ids", nargs="*", metavar="ID", help="entry ids from `dlq list`")
        p.add_argument("--all", action="store_true", help="every dead letter of the streams")
        _stream_arg(p)
        parsers.append(p)
    enable = sub.add_parser("enable-destination", help="clear a destination's disabled flag")
    enable.add_argument("destination", metavar="ID")
    parsers.append(enable)
    for p in parsers:
        add_config_arg(p)
        p.set_defaults(func=main)
