"""``rarewatch backtest FILE``: which alerts a capture would have fired, offline."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from services.replay.backtest import captured_items, memory_backtest, run_all
from services.replay.capture import CaptureError, CaptureReader, LineError
from services.replay.compare import compare
from services.replay.prepare import default_jobs
from services.replay.report import RunInfo, compare_json, compare_table, run_json, run_table
from services.replay.rules import RuleSet, load_rules, with_file, with_routes
from shared.errors import ConfigError
from shared.models import RawItem
from shared.settings import env_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "backtest",
        help="which alerts a capture of items would have fired (offline, no Redis)",
        description="Run a capture of items (or of events: the items inside) through the "
        "classifier, stories, routing and grouping, and print the alerts each destination "
        "would have received. With --compare, the difference between two rule sets.",
    )
    p.add_argument("file", type=Path, help="a capture of items or events (`rarewatch record`)")
    p.add_argument(
        "--config",
        "-c",
        type=Path,
        default=None,
        help="config whose routes, destinations, story window and vocabulary to use "
        "(default: $RAREWATCH_CONFIG, else built-in); secrets are not needed",
    )
    p.add_argument("--vocabulary", type=Path, help="a vocabulary file instead of the config's")
    p.add_argument("--routes", type=Path, help="routes and destinations from this config instead")
    p.add_argument(
        "--rules",
        type=Path,
        help="a vocabulary or a config file (told apart by their keys): a vocabulary as "
        "--vocabulary; a config gives routes, destinations, story window (and vocabulary)",
    )
    p.add_argument(
        "--compare",
        type=Path,
        metavar="FILE",
        help="a second vocabulary or config: print what it adds, removes or changes",
    )
    p.add_argument("--json", action="store_true", help="JSON instead of a table")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes for classifying (default: one per core, up to 4, for "
        "captures over 2 MB); the output is the same for any number",
    )
    p.set_defaults(func=main)


def _rules(args: argparse.Namespace) -> tuple[RuleSet, RuleSet | None]:
    base = load_rules(args.config or env_settings().rarewatch_config, args.vocabulary)
    if args.routes is not None:
        base = with_routes(base, args.routes)
    if args.rules is not None:
        base = with_file(base, args.rules)
    other = with_file(base, args.compare) if args.compare is not None else None
    return base, other


class _Counted:
    """Counts items and remembers the first and last capture time as they stream by."""

    def __init__(self, items: Iterable[tuple[datetime, RawItem]]):
        self._items = items
        self.n = 0
        self.first: datetime | None = None
        self.last: datetime | None = None

    def __iter__(self) -> Iterator[tuple[datetime, RawItem]]:
        for at, item in self._items:
            self.n += 1
            self.first = self.first or at
            self.last = at
            yield at, item


def main(args: argparse.Namespace) -> int:
    try:
        a, b = _rules(args)
    except ConfigError as exc:
        print(f"rarewatch: {exc}", file=sys.stderr)
        return 2

    def on_error(err: LineError) -> None:
        print(f"rarewatch: {args.file}: {err}; skipped", file=sys.stderr)

    try:
        reader = CaptureReader(args.file, on_error)
    except CaptureError as exc:
        print(f"rarewatch: {exc}", file=sys.stderr)
        return 2
    with reader:
        if reader.header.stream == "deliveries":
            print(
                f"rarewatch: {args.file} is a capture of deliveries; backtest needs items "
                "or events (rarewatch record --stream items)",
                file=sys.stderr,
            )
            return 2
        items = _Counted(captured_items(reader.entries()))
        runs = [memory_backtest(a)] + ([memory_backtest(b)] if b is not None else [])
        jobs = args.jobs or default_jobs(args.file.stat().st_size)
        fired = run_all(items, runs, jobs=max(1, jobs))
    info = RunInfo(
        str(args.file), reader.header, items.n, items.first, items.last, len(reader.errors)
    )
    if b is None:
        out = (run_json if args.json else run_table)(info, a, fired[0])
    else:
        changes = compare(fired[0], fired[1])
        out = (compare_json if args.json else compare_table)(
            info, (a, fired[0]), (b, fired[1]), changes
        )
    sys.stdout.write(out)
    sys.stdout.flush()
    return 1 if reader.errors else 0
