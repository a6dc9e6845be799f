"""Backtest output: a readable table, or JSON. Pure and deterministic: the same runs give
byte-identical text (times are capture times; nothing reads the clock)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from services.replay.backtest import FiredAlert
from services.replay.capture import CaptureHeader, iso
from services.replay.compare import Change
from services.replay.rules import RuleSet

TITLE_WIDTH = 72
MINERALS_WIDTH = 28


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What was backtested: the file as named on the command line, its header, and how
    many items were read from it (bad lines excluded)."""

    capture: str
    header: CaptureHeader
    items: int
    first: datetime | None
    last: datetime | None
    bad_lines: int


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _time(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


def _kind(alert: FiredAlert) -> str:
    return alert.type.removeprefix("alert.")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    out = []
    for row in [header, *rows]:
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return out


def _preamble(info: RunInfo, rules: Sequence[tuple[str, RuleSet]]) -> list[str]:
    span = f"{_time(info.first)} to {_time(info.last)} UTC" if info.first and info.last else "empty"
    lines = [
        f"backtest of {info.capture}: {info.items} items from {info.header.namespace}:"
        f"{info.header.stream}, {span}"
        + (f"; {info.bad_lines} bad line(s) skipped" if info.bad_lines else "")
    ]
    lines += [f"{name}: {r.label}" for name, r in rules]
    return lines


def _alert_row(a: FiredAlert) -> list[str]:
    return [
        _time(a.time),
        a.destination,
        a.level.value,
        _kind(a),
        _short(",".join(a.minerals) or "-", MINERALS_WIDTH),
        _short(a.title, TITLE_WIDTH),
    ]


def _per_destination(alerts: Sequence[FiredAlert], destinations: Sequence[str]) -> list[str]:
    counts = Counter((a.destination, _kind(a)) for a in alerts)
    lines = []
    for dest in destinations:
        created, escalated = counts[(dest, "created")], counts[(dest, "escalated")]
        lines.append(
            f"{dest}: {created + escalated} alerts ({created} created, {escalated} escalated)"
        )
    return lines


def run_table(info: RunInfo, rules: RuleSet, alerts: Sequence[FiredAlert]) -> str:
    lines = _preamble(info, [("rules", rules)])
    lines.append("")
    header = ["time", "destination", "level", "type", "minerals", "title"]
    lines += _table(header, [_alert_row(a) for a in alerts]) if alerts else ["no alerts"]
    lines.append("")
    lines += _per_destination(alerts, rules.destinations)
    return "\n".join(lines) + "\n"


def _alert_json(a: FiredAlert) -> dict[str, Any]:
    return {
        "time": iso(a.time),
        "destination": a.destination,
        "type": a.type,
        "level": a.level.value,
        "direction": a.direction.value,
        "score": a.score,
        "minerals": list(a.minerals),
        "countries": list(a.countries),
        "title": a.title,
        "url": a.url,
        "item_id": a.item_id,
        "story_id": a.story_id,
        "story_items": a.story_items,
        "alert_id": a.alert_id,
        "route": a.route,
    }


def _info_json(info: RunInfo) -> dict[str, Any]:
    return {
        "file": info.capture,
        "namespace": info.header.namespace,
        "stream": info.header.stream,
        "items": info.items,
        "from_time": iso(info.first) if info.first else None,
        "to_time": iso(info.last) if info.last else None,
        "bad_lines": info.bad_lines,
    }


def _rules_json(rules: RuleSet) -> dict[str, Any]:
    return {
        "vocabulary": rules.vocabulary_label,
        "routes": rules.routes_label,
        "destinations": list(rules.destinations),
        "story_window_s": int(rules.story_window.total_seconds()),
    }


def _counts(alerts: Sequence[FiredAlert], destinations: Sequence[str]) -> dict[str, Any]:
    counts = Counter((a.destination, _kind(a)) for a in alerts)
    return {
        d: {"created": counts[(d, "created")], "escalated": counts[(d, "escalated")]}
        for d in destinations
    }


def _dumps(doc: dict[str, Any]) -> str:
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"


def run_json(info: RunInfo, rules: RuleSet, alerts: Sequence[FiredAlert]) -> str:
    return _dumps(
        {
            "capture": _info_json(info),
            "rules": _rules_json(rules),
            "alerts": [_alert_json(a) for a in alerts],
            "per_destination": _counts(alerts, rules.destinations),
        }
    )


def _change_row(c: Change) -> list[str]:
    a = c.alert
    if c.kind == "changed":
        assert c.a is not None and c.b is not None
        level = f"{c.a.level.value}->{c.b.level.value}"
        kind = f"{_kind(c.a)}->{_kind(c.b)}" if c.a.type != c.b.type else _kind(c.b)
    else:
        level, kind = a.level.value, _kind(a)
    return [c.kind, _time(a.time), a.destination, level, kind, _short(a.title, TITLE_WIDTH)]


def _change_counts(changes: Sequence[Change]) -> dict[str, int]:
    counts = Counter(c.kind for c in changes)
    return {k: counts[k] for k in ("added", "removed", "changed")}


def compare_table(
    info: RunInfo,
    a: tuple[RuleSet, Sequence[FiredAlert]],
    b: tuple[RuleSet, Sequence[FiredAlert]],
    changes: Sequence[Change],
) -> str:
    lines = _preamble(info, [("A", a[0]), ("B", b[0])])
    counts = _change_counts(changes)
    lines.append(
        f"A fires {len(a[1])} alerts, B fires {len(b[1])}: "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
    )
    lines.append("")
    header = ["change", "time", "destination", "level", "type", "title"]
    rows = [_change_row(c) for c in changes]
    lines += _table(header, rows) if rows else ["no differences"]
    return "\n".join(lines) + "\n"


def compare_json(
    info: RunInfo,
    a: tuple[RuleSet, Sequence[FiredAlert]],
    b: tuple[RuleSet, Sequence[FiredAlert]],
    changes: Sequence[Change],
) -> str:
    return _dumps(
        {
            "capture": _info_json(info),
            "a": {**_rules_json(a[0]), "alerts": len(a[1])},
            "b": {**_rules_json(b[0]), "alerts": len(b[1])},
            "summary": _change_counts(changes),
            "changes": [
                {
                    "change": c.kind,
                    "a": _alert_json(c.a) if c.a else None,
                    "b": _alert_json(c.b) if c.b else None,
                }
                for c in changes
            ],
        }
    )
