"""``rarewatch eval FILE``: score a labelled JSON-lines file and print how well the classifier did.

The file follows the schema of ``../shared/eval/`` (``title``, ``excerpt``, ``url``, ``source``,
``impact``, ``direction``, ...). Prints per-level precision/recall/F1, the confusion matrix,
actionable (critical or high) and relevance (not none) precision/recall/F1, exact and
within-one accuracy and direction accuracy, each against its target. ``--json`` prints the
same figures as one JSON object; ``--errors`` lists the items it got wrong; ``--check``
exits 1 when a target is missed. A line that cannot be read is reported on stderr with its
number and makes the exit status 1; the other lines are still scored.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from services.classify.evaluation import DIRECTED, LEVELS, Labelled, Report, evaluate
from services.classify.model import Classifier
from services.classify.vocabulary import VocabularyError, load_vocabulary
from services.cli.score import classify_item, derived_id, numbered_lines, parse_line

_DIRECTIONS = (*sorted(DIRECTED), "neutral")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "eval",
        help="score a labelled JSON-lines file and print precision, recall, F1 and accuracy",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    p.add_argument("file", type=Path, help="labelled JSON-lines file (schema of ../shared/eval/)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--errors", action="store_true", help="also list the items classified wrongly")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--vocabulary", type=Path, default=None, help="a vocabulary file to use instead")
    p.set_defaults(func=run)


def read_labels(raw: bytes) -> tuple[str, str]:
    data = orjson.loads(raw)
    impact, direction = data.get("impact"), data.get("direction")
    if impact not in LEVELS:
        raise ValueError(f"impact: must be one of {', '.join(LEVELS)}, got {impact!r}")
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction: must be one of {', '.join(_DIRECTIONS)}, got {direction!r}")
    return impact, direction


def label_file(classifier: Classifier, path: Path) -> tuple[list[Labelled], list[str]]:
    rows: list[Labelled] = []
    problems: list[str] = []
    with path.open("rb") as stream:
        for number, raw in numbered_lines(stream):
            try:
                item = parse_line(raw)
                impact, direction = read_labels(raw)
            except ValueError as exc:
                problems.append(f"{path}: line {number}: {exc}")
                continue
            c = classify_item(classifier, item)
            rows.append(
                Labelled(derived_id(item), impact, c.level.value, direction, c.direction.value)
            )
    return rows, problems


def format_report(report: Report, *, source: str, version: str) -> str:
    out = [f"{report.n} items from {source} (classifier {version})", ""]
    out.append(f"{'level':<10}{'precision':>10}{'recall':>8}{'f1':>7}{'support':>9}")
    for level, m in report.per_level.items():
        out.append(f"{level:<10}{m.precision:>10.3f}{m.recall:>8.3f}{m.f1:>7.3f}{m.support:>9}")
    out += ["", "confusion matrix (rows: gold, columns: predicted)"]
    out.append(f"{'gold':<10}" + "".join(f"{p:>10}" for p in LEVELS))
    for gold, row in report.confusion.items():
        out.append(f"{gold:<10}" + "".join(f"{row[p]:>10}" for p in LEVELS))
    out.append("")
    for name, m in (
        ("actionable (critical or high)", report.actionable),
        ("relevance (not none)", report.relevance),
    ):
        out.append(f"{name:<31}precision {m.precision:.3f}  recall {m.recall:.3f}  f1 {m.f1:.3f}")
    out.append(f"{'exact accuracy':<31}{report.exact_accuracy:.3f}")
    out.append(f"{'within-one accuracy':<31}{report.within_one_accuracy:.3f}")
    out.append(
        f"{'direction accuracy':<31}{report.direction_accuracy:.3f}"
        f"  ({report.direction_n} items labelled tightening or easing)"
    )
    out += ["", "targets"]
    for name, t in report.targets.items():
        mark = "met" if t["met"] else "MISSED"
        out.append(f"  {name.replace('_', ' '):<29}{t['value']:.3f} >= {t['target']:.2f}  {mark}")
    return "\n".join(out)


def format_errors(rows: list[Labelled]) -> str:
    wrong = [
        r
        for r in rows
        if r.gold_level != r.pred_level
        or (r.gold_direction in DIRECTED and r.gold_direction != r.pred_direction)
    ]
    lines = [f"\n{len(wrong)} items wrong (gold -> predicted)"]
    lines += [
        f"  {r.id:<48} {r.gold_level}/{r.gold_direction} -> {r.pred_level}/{r.pred_direction}"
        for r in wrong
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        classifier = Classifier(load_vocabulary(args.vocabulary))
    except VocabularyError as exc:
        print(f"rarewatch eval: {exc}", file=sys.stderr)
        return 2
    try:
        rows, problems = label_file(classifier, args.file)
    except OSError as exc:
        print(f"rarewatch eval: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if not rows:
        print(f"rarewatch eval: no labelled items in {args.file}", file=sys.stderr)
        return 1
    report = evaluate(rows)
    if args.json:
        data = {
            "file": str(args.file),
            "classifier_version": classifier.version,
            **report.to_dict(),
        }
        if args.errors:
            data["items"] = [_row(r) for r in rows]
        print(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
    else:
        print(format_report(report, source=str(args.file), version=classifier.version))
        if args.errors:
            print(format_errors(rows))
    if problems:
        return 1
    return 1 if args.check and not report.targets_met else 0


def _row(r: Labelled) -> dict[str, str]:
    return {
        "id": r.id,
        "gold_level": r.gold_level,
        "pred_level": r.pred_level,
        "gold_direction": r.gold_direction,
        "pred_direction": r.pred_direction,
    }
