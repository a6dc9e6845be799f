"""Pure metric computations for ``rarewatch eval``: gold and predicted labels in, figures out.

Levels are compared as labels (per-level precision/recall/F1 and a confusion matrix) and on
their order (exact and within-one accuracy). "Actionable" means critical or high; "relevant"
means anything but none. Direction accuracy counts only items labelled tightening or easing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

LEVELS: tuple[str, ...] = ("critical", "high", "medium", "low", "none")
ACTIONABLE = frozenset({"critical", "high"})
DIRECTED = frozenset({"tightening", "easing"})

# The acceptance targets (issue 4); `rarewatch eval --check` fails when one is missed.
TARGETS: dict[str, float] = {
    "actionable_recall": 0.90,
    "actionable_precision": 0.80,
    "relevance_f1": 0.90,
    "exact_accuracy": 0.65,
    "within_one_accuracy": 0.90,
    "direction_accuracy": 0.80,
}


@dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    gold_level: str
    pred_level: str
    gold_direction: str
    pred_direction: str


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int  # gold items of the class


@dataclass(frozen=True, slots=True)
class Report:
    n: int
    per_level: dict[str, PRF]
    confusion: dict[str, dict[str, int]]  # gold level -> predicted level -> count
    actionable: PRF
    relevance: PRF
    exact_accuracy: float
    within_one_accuracy: float
    direction_accuracy: float
    direction_n: int
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def targets_met(self) -> bool:
        return all(t["met"] for t in self.targets.values())


def prf(gold: Sequence[bool], pred: Sequence[bool]) -> PRF:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    predicted = sum(pred)
    actual = sum(gold)
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, actual)


def confusion(rows: Sequence[Labelled]) -> dict[str, dict[str, int]]:
    matrix = {g: dict.fromkeys(LEVELS, 0) for g in LEVELS}
    for r in rows:
        matrix[r.gold_level][r.pred_level] += 1
    return matrix


def rank(level: str) -> int:
    return LEVELS.index(level)


def evaluate(rows: Sequence[Labelled]) -> Report:
    n = len(rows)
    per_level = {
        level: prf([r.gold_level == level for r in rows], [r.pred_level == level for r in rows])
        for level in LEVELS
    }
    exact = sum(r.gold_level == r.pred_level for r in rows)
    within = sum(abs(rank(r.gold_level) - rank(r.pred_level)) <= 1 for r in rows)
    directed = [r for r in rows if r.gold_direction in DIRECTED]
    direction_ok = sum(r.gold_direction == r.pred_direction for r in directed)
    report = Report(
        n=n,
        per_level=per_level,
        confusion=confusion(rows),
        actionable=prf(
            [r.gold_level in ACTIONABLE for r in rows], [r.pred_level in ACTIONABLE for r in rows]
        ),
        relevance=prf(
            [r.gold_level != "none" for r in rows], [r.pred_level != "none" for r in rows]
        ),
        exact_accuracy=exact / n if n else 0.0,
        within_one_accuracy=within / n if n else 0.0,
        direction_accuracy=direction_ok / len(directed) if directed else 0.0,
        direction_n=len(directed),
    )
    return _with_targets(report)


def _with_targets(report: Report) -> Report:
    values = {
        "actionable_recall": report.actionable.recall,
        "actionable_precision": report.actionable.precision,
        "relevance_f1": report.relevance.f1,
        "exact_accuracy": report.exact_accuracy,
        "within_one_accuracy": report.within_one_accuracy,
        "direction_accuracy": report.direction_accuracy,
    }
    report.targets.update(
        {
            name: {"value": values[name], "target": t, "met": values[name] >= t}
            for name, t in TARGETS.items()
        }
    )
    return report
