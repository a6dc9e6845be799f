"""``rarewatch silence add|list|remove``: hold back matching alerts for a while.

A silence has the conditions of a route's ``match`` (``--min-level``, ``--minerals`` with
group tokens, ``--countries``, ``--direction``, ``--instruments``, ``--sources``) plus exact
``--level`` values and ``--destination``; lists are OR, flags are AND. It ends after
``--for 2h`` or at ``--until 2026-03-01T18:00Z``. Held-back alerts are recorded in the
deliveries stream with outcome ``silenced`` and alert as new once the silence is gone.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from pydantic import ValidationError
from redis.asyncio import Redis

from services.cli.common import UsageError, add_config_arg, load, run_with_redis
from services.cli.table import render, shorten
from services.config import Config
from services.notify import minerals
from services.notify.silences import Silence, SilenceMatch, describe, new_silence
from services.notify.silences_store import SilenceStore
from shared.durations import parse_duration
from shared.models import Direction, Level
from shared.names import Names
from shared.settings import format_validation_error

PROG = "rarewatch silence"


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def match_from_args(args: argparse.Namespace, config: Config) -> SilenceMatch:
    fields: dict[str, Any] = {
        "levels": _split(args.level),
        "min_level": args.min_level,
        "minerals": _split(args.minerals),
        "countries": _split(args.countries),
        "direction": _split(args.direction),
        "instruments": _split(args.instruments),
        "sources": _split(args.sources),
        "destinations": _split(args.destination),
    }
    try:
        match = SilenceMatch.model_validate({k: v for k, v in fields.items() if v})
    except ValidationError as exc:
        raise UsageError(format_validation_error(exc, "silence")) from None
    if match.is_empty():
        raise UsageError(
            "give at least one condition (--minerals, --level, --min-level, --destination, …)"
        )
    known = {d.id for d in config.destinations}
    for dest in match.destinations:
        if dest not in known:
            raise UsageError(
                f"--destination {dest!r} is not configured; configured: "
                f"{', '.join(sorted(known)) or 'none'}"
            )
    return match


def ends_at(args: argparse.Namespace, now: datetime) -> datetime:
    if (args.for_ is None) == (args.until is None):
        raise UsageError("give either --for DURATION (e.g. 2h) or --until ISO-TIME")
    if args.for_ is not None:
        try:
            length = parse_duration(args.for_)
        except ValueError as exc:
            raise UsageError(f"--for: {exc}") from None
        if not isinstance(length, timedelta) or length <= timedelta(0):
            raise UsageError("--for: use a positive duration such as 30m, 2h or 1d")
        return now + length
    try:
        until = datetime.fromisoformat(args.until)
    except ValueError:
        raise UsageError(
            f"--until: {args.until!r} is not an ISO time like 2026-03-01T18:00Z"
        ) from None
    until = until if until.tzinfo else until.replace(tzinfo=UTC)
    if until <= now:
        raise UsageError(f"--until: {until.isoformat()} is in the past")
    return until


def left(silence: Silence, now: datetime) -> str:
    seconds = max(0, int((silence.ends_at - now).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    text = (f"{days}d" if days else "") + (f"{hours}h" if hours or days else "") + f"{minutes}m"
    return text if seconds >= 60 else "<1m"


def _when(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


async def _run(redis: Redis, args: argparse.Namespace, config: Config) -> int:
    store = SilenceStore(redis, Names(config.namespace))
    now = datetime.now(UTC)
    if args.silence_command == "add":
        return await _add(args, config, store, now)
    if args.silence_command == "list":
        return await _list(args, store, now)
    return await _remove(args, store)


async def _add(args: argparse.Namespace, config: Config, store: SilenceStore, now: datetime) -> int:
    match = match_from_args(args, config)
    author = args.author or getpass.getuser()
    silence = new_silence(
        match, ends_at=ends_at(args, now), comment=args.comment, author=author, now=now
    )
    for token in match.minerals:
        if not minerals.known(token):
            print(f"{PROG}: warning: {token!r} is not a known mineral or group", file=sys.stderr)
    await store.add(silence)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(silence.model_dump(mode="json")) + b"\n")
    else:
        print(
            f"silence {silence.id} added: {describe(match)}, until {_when(silence.ends_at)}"
            f" ({left(silence, now)}), by {author}: {silence.comment}"
        )
    return 0


async def _list(args: argparse.Namespace, store: SilenceStore, now: datetime) -> int:
    silences = await store.current(now)
    if args.json:
        for s in silences:
            sys.stdout.buffer.write(orjson.dumps(s.model_dump(mode="json")) + b"\n")
        return 0
    if not silences:
        print("no silences in force")
        return 0
    rows = [
        [s.id, describe(s.match), _when(s.ends_at), left(s, now), s.author, shorten(s.comment, 50)]
        for s in silences
    ]
    print(render(["ID", "MATCHES", "ENDS", "LEFT", "AUTHOR", "COMMENT"], rows))
    return 0


async def _remove(args: argparse.Namespace, store: SilenceStore) -> int:
    code = 0
    for silence_id in args.ids:
        if await store.remove(silence_id):
            print(f"silence {silence_id} removed")
        else:
            print(
                f"{PROG}: no silence {silence_id!r} (expired, or removed already)", file=sys.stderr
            )
            code = 1
    return code


def main(args: argparse.Namespace) -> int:
    config, _env = load(args)
    return run_with_redis(
        f"{PROG} {args.silence_command}", config, lambda redis: _run(redis, args, config)
    )


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("silence", help="hold back matching alerts for a while")
    sub = parser.add_subparsers(dest="silence_command", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add", help="add a silence", description=__doc__.split("\n\n", 1)[1] if __doc__ else None
    )
    add.add_argument("--level", "--levels", action="append", metavar="L,L", help="exact levels")
    add.add_argument("--min-level", choices=[lv.value for lv in Level])
    add.add_argument("--minerals", "--mineral", action="append", metavar="A,B")
    add.add_argument("--countries", "--country", action="append", metavar="A,B")
    add.add_argument(
        "--direction", action="append", metavar="D", help=", ".join(d.value for d in Direction)
    )
    add.add_argument("--instruments", "--instrument", action="append", metavar="A,B")
    add.add_argument("--sources", "--source", action="append", metavar="ID,ID")
    add.add_argument("--destination", "--destinations", action="append", metavar="ID,ID")
    add.add_argument("--for", dest="for_", metavar="DURATION", help="e.g. 30m, 2h, 1d")
    add.add_argument("--until", metavar="ISO-TIME", help="e.g. 2026-03-01T18:00Z (UTC if no zone)")
    add.add_argument("--comment", "-m", required=True, help="why (shown in `silence list`)")
    add.add_argument("--author", help="who (default: your user name)")
    add.add_argument("--json", action="store_true", help="print the silence as JSON")
    lst = sub.add_parser("list", help="silences in force (expired ones are pruned)")
    lst.add_argument("--json", action="store_true", help="one JSON object per silence")
    rm = sub.add_parser("remove", help="end silences now")
    rm.add_argument("ids", nargs="+", metavar="ID")
    for p in (add, lst, rm):
        add_config_arg(p)
        p.set_defaults(func=main)
