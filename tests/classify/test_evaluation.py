"""The metric functions on a small example worked out by hand."""

from __future__ import annotations

import pytest

from services.classify.evaluation import Labelled, evaluate, prf

ROWS = [
    Labelled("1", "critical", "critical", "tightening", "tightening"),
    Labelled("2", "critical", "high", "easing", "tightening"),
    Labelled("3", "high", "high", "easing", "easing"),
    Labelled("4", "medium", "high", "neutral", "tightening"),
    Labelled("5", "low", "none", "neutral", "neutral"),
    Labelled("6", "none", "none", "neutral", "neutral"),
    Labelled("7", "none", "low", "neutral", "neutral"),
    Labelled("8", "medium", "low", "tightening", "tightening"),
]


def test_prf_by_hand() -> None:
    m = prf([True, True, False, False], [True, False, True, False])
    assert (m.precision, m.recall, m.f1, m.support) == (0.5, 0.5, 0.5, 2)
    empty = prf([False, False], [False, False])
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)


def test_report_by_hand() -> None:
    r = evaluate(ROWS)
    assert r.n == 8
    assert r.per_level["critical"].precision == 1.0 and r.per_level["critical"].recall == 0.5
    assert (
        r.per_level["high"].precision == pytest.approx(1 / 3) and r.per_level["high"].recall == 1.0
    )
    assert r.confusion["critical"]["high"] == 1 and r.confusion["none"]["low"] == 1
    # actionable: gold {1,2,3}, predicted {1,2,3,4}
    assert (r.actionable.precision, r.actionable.recall) == (0.75, 1.0)
    # relevant: gold {1,2,3,4,5,8}, predicted {1,2,3,4,7,8}
    assert r.relevance.precision == pytest.approx(5 / 6) and r.relevance.recall == pytest.approx(
        5 / 6
    )
    assert r.exact_accuracy == pytest.approx(3 / 8)
    assert r.within_one_accuracy == 1.0
    # directed: 1 ok, 2 wrong, 3 ok, 8 ok
    assert (r.direction_n, r.direction_accuracy) == (4, 0.75)
    assert r.targets["actionable_precision"]["met"] is False
    assert r.targets["within_one_accuracy"]["met"] is True
    assert not r.targets_met
