"""``rarewatch routes test``: which destinations an event would reach, and why.

The event comes as JSON from a FILE or ``-`` (a ClassifiedEvent, or a ``rarewatch score``
output line; JSON lines give one answer per line), or from flags (``--level high
--minerals dysprosium ...``); flags override the file's fields. Only ``routes:`` and the
destination ids are read from the config, so the secrets need not be in the environment.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from services.config import read_routing_file
from services.notify.routing import (
    Route,
    RouteOutcome,
    RoutingFacts,
    explain,
    route,
    unknown_minerals,
)
from shared.errors import ConfigError, RarewatchError
from shared.models import ClassifiedEvent, Direction, Level
from shared.settings import (
    env_settings,
    format_validation_error,
    validate_file,
)

PROG = "rarewatch routes test"


def load_routes(path: Path) -> tuple[list[Route], list[str]]:
    """The routes and destination ids of a config file, checked against each other."""
    config = read_routing_file(path)
    return config.routes, list(config.destination_ids)


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def flag_fields(args: argparse.Namespace) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "level": args.level,
        "score": args.score,
        "direction": args.direction,
        "minerals": _split(args.minerals),
        "countries": _split(args.country),
        "instruments": _split(args.instrument),
        "sources": _split(args.source),
    }
    return {k: v for k, v in fields.items() if v is not None}


def facts_from_json(obj: Any) -> RoutingFacts:
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    if "classification" in obj and "story" in obj:
        return RoutingFacts.from_event(ClassifiedEvent.model_validate(obj))
    if "source" in obj and "sources" not in obj and isinstance(obj["source"], str):
        obj = {**obj, "sources": [obj["source"]]}
    return RoutingFacts.model_validate(obj)


def read_events(text: str) -> list[Any]:
    """One JSON document (object or list), or JSON lines."""
    try:
        whole = orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    else:
        return whole if isinstance(whole, list) else [whole]
    events = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                events.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise ValueError(f"line {n} is not JSON: {exc}") from None
    return events


def _event_line(facts: RoutingFacts) -> str:
    shown = facts.model_dump(mode="json", exclude_defaults=True)
    parts = [f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in shown.items()]
    return "event: " + (" ".join(parts) or "(no fields: level none, score 0, neutral)")


def _outcome_line(o: RouteOutcome, outcomes: list[RouteOutcome]) -> str:
    to = ", ".join(o.to)
    if o.matched and not o.reached:
        stopper = outcomes[o.stopped_by].label if o.stopped_by is not None else "an earlier route"
        return (
            f"  shadowed  {o.label} → {to}: would match, but {stopper} matched first"
            " without `continue: true`"
        )
    return f"  no match  {o.label} → {to}: " + "; ".join(o.reasons)


def render_text(facts: RoutingFacts, routes: list[Route]) -> str:
    outcomes = explain(facts, routes)
    lines = [_event_line(facts)]
    decisions = route(facts, routes)
    for d in decisions:
        label = f"routes[{d.route_index}]" + (f" ({d.route_name})" if d.route_name else "")
        lines.append(f"  reaches   {d.destination} via {label}: " + "; ".join(d.reasons))
    if not decisions:
        lines.append("  reaches   no destination")
    lines.extend(_outcome_line(o, outcomes) for o in outcomes if not (o.matched and o.reached))
    return "\n".join(lines)


def render_json(facts: RoutingFacts, routes: list[Route]) -> bytes:
    return orjson.dumps(
        {
            "event": facts.model_dump(mode="json"),
            "destinations": [asdict(d) for d in route(facts, routes)],
            "routes": [asdict(o) for o in explain(facts, routes)],
        }
    )


def load_events(args: argparse.Namespace) -> list[RoutingFacts]:
    overrides = flag_fields(args)
    if args.file is None:
        if not overrides:
            raise ConfigError("give an event FILE, - for stdin, or flags like --level high")
        raw: list[Any] = [{}]
        name = "flags"
    else:
        name = "stdin" if args.file == "-" else args.file
        try:
            text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
            raw = read_events(text)
        except OSError as exc:
            raise ConfigError(f"cannot read {name}: {exc.strerror}") from None
        except ValueError as exc:
            raise ConfigError(f"{name}: {exc}") from None
    events = []
    for n, obj in enumerate(raw, 1):
        where = f"{name} event {n}" if len(raw) > 1 else name
        try:
            fields = {**facts_from_json(obj).model_dump(), **overrides}
        except ValidationError as exc:
            raise ConfigError(format_validation_error(exc, where)) from None
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        events.append(validate_file(RoutingFacts, fields, where))
    return events


def run_test(args: argparse.Namespace) -> int:
    try:
        config = args.config or env_settings().rarewatch_config
        if not config:
            raise ConfigError("no config: pass --config FILE or set RAREWATCH_CONFIG")
        routes, _ids = load_routes(Path(config))
        events = load_events(args)
    except (RarewatchError, OSError, ValueError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    for warning in unknown_minerals(routes):
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    for facts in events:
        if args.json:
            sys.stdout.buffer.write(render_json(facts, routes) + b"\n")
        else:
            print(render_text(facts, routes))
    sys.stdout.flush()
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("routes", help="operator tools for routing")
    sub = parser.add_subparsers(dest="routes_command", metavar="ACTION", required=True)
    test = sub.add_parser(
        "test",
        help="which destinations an event would reach, and why",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    test.add_argument("file", nargs="?", help="event JSON or JSON lines; - for stdin")
    test.add_argument("--config", help="the YAML config (default: $RAREWATCH_CONFIG)")
    test.add_argument("--level", choices=[lv.value for lv in Level])
    test.add_argument("--score", type=int, metavar="0-100")
    test.add_argument("--direction", choices=[d.value for d in Direction])
    test.add_argument("--minerals", "--mineral", action="append", metavar="A,B")
    test.add_argument("--country", "--countries", action="append", metavar="A,B")
    test.add_argument("--instrument", "--instruments", action="append", metavar="A,B")
    test.add_argument("--source", "--sources", action="append", metavar="ID")
    test.add_argument("--json", action="store_true", help="one JSON object per event")
    test.set_defaults(func=run_test)
