"""Classifier throughput on one core: prints items per second.

    .venv/bin/python bench/classify_bench.py [--items 50000] [--rounds 3]

Rates are items per second of this process's CPU time (one core, whatever else the machine
is doing); wall-clock rates are printed beside them. The items are the labelled dev set
(../shared/eval/news-dev.jsonl, when present beside the repo) and the test items of
tests/classify, cycled to ``--items``; every round classifies all of them in this one
process. The first round includes the word-cache warm-up. The target (issue 4) is at least
5,000 items/s.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from services.classify.model import Classifier  # noqa: E402
from tests.classify.cases import ALL  # noqa: E402

DEV_SET = REPO.parent / "shared" / "eval" / "news-dev.jsonl"
TARGET = 5000


def corpus() -> list[tuple[str, str, str | None]]:
    items: list[tuple[str, str, str | None]] = [
        (t, s, None) for cases in ALL.values() for t, s, _, _ in cases
    ]
    if DEV_SET.exists():
        for line in DEV_SET.read_text().splitlines():
            row = json.loads(line)
            items.append((row["title"], row.get("excerpt") or "", row.get("url")))
    return items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    classifier = Classifier.from_default()
    build_s = time.perf_counter() - started
    base = corpus()
    items = (base * (args.items // len(base) + 1))[: args.items]
    chars = sum(len(t) + len(s) for t, s, _ in items) / len(items)
    print(f"python {platform.python_version()}, {classifier.version}")
    print(f"vocabulary compiled in {build_s * 1000:.1f} ms")
    print(f"{len(items)} items ({len(base)} distinct, {chars:.0f} characters on average)")
    rates = []
    for round_ in range(1, args.rounds + 1):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for title, summary, url in items:
            classifier.classify(title, summary, url=url)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        rates.append(len(items) / cpu)
        print(
            f"round {round_}: {len(items) / cpu:,.0f} items/s of CPU time "
            f"({cpu:.2f} s CPU, {wall:.2f} s wall: {len(items) / wall:,.0f} items/s wall clock)"
        )
    best = max(rates)
    verdict = "OK" if best >= TARGET else "BELOW TARGET"
    print(f"best: {best:,.0f} items/s on one core (target {TARGET:,}) {verdict}")
    return 0 if best >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
