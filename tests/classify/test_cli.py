"""``rarewatch score`` and ``rarewatch eval`` as a user runs them, and the dev-set targets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from services.cli import main
from services.cli.score import derived_id
from shared.models import ItemIn

REPO = Path(__file__).resolve().parents[2]
DEV_SET = REPO.parent / "shared" / "eval" / "news-dev.jsonl"

ITEMS = [
    {
        "title": "China bans gallium exports",
        "excerpt": "Beijing halted gallium shipments with immediate effect.",
        "url": "https://www.example.com/a?utm_source=feed",
        "source": "wire",
        "published": "2026-03-02",
    },
    "{not json",
    {"summary": "an item without a title"},
    {"id": "given-id", "title": "Bitcoin mining difficulty climbs", "extra": "ignored"},
    {
        "title": "Cobalt prices slide to a five-year low",
        "summary": "Cobalt prices fell on rising output.",
    },
]


def write_lines(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_score_one_line_out_per_good_line_in_order_bad_lines_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["score", str(write_lines(tmp_path / "in.jsonl", ITEMS))])
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert err.splitlines() == [
        err.splitlines()[0],
        "line 3: title: Field required",
    ] and err.startswith("line 2: not valid JSON")
    assert [r["level"] for r in rows] == ["critical", "none", "medium"]
    first = rows[0]
    assert set(first) == {
        "id",
        "level",
        "score",
        "direction",
        "minerals",
        "countries",
        "instruments",
        "evidence",
        "classifier_version",
    }
    assert first["direction"] == "tightening" and first["minerals"] == ["gallium"]
    assert first["countries"] == ["china"] and first["instruments"][0] == "export_control"
    assert all(set(e) == {"text", "reason"} for e in first["evidence"])
    assert rows[1]["id"] == "given-id"
    assert rows[2]["direction"] == "easing"


def test_derived_ids_follow_the_canonical_url_like_the_push_api() -> None:
    a = ItemIn.model_validate(
        {"title": "x", "url": "https://www.example.com/a?utm_source=feed", "source": "s"}
    )
    b = ItemIn.model_validate({"title": "y", "url": "https://www.example.com/a", "source": "s"})
    c = ItemIn.model_validate({"title": "x", "url": "https://www.example.com/a", "source": "other"})
    no_url = ItemIn.model_validate({"title": "same title"})
    assert derived_id(a) == derived_id(b) != derived_id(c)
    assert derived_id(no_url) == derived_id(ItemIn.model_validate({"title": "same title"}))
    assert len(derived_id(a)) <= 24


def test_score_reads_standard_input() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "services.cli", "score", "-"],
        input=json.dumps({"title": "US slaps tariff on Chinese graphite anodes"}) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["level"] == "high"


def test_eval_on_the_dev_set_meets_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["eval", str(DEV_SET), "--json", "--check"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["n"] == 75
    assert report["actionable"]["recall"] >= 0.90
    assert report["actionable"]["precision"] >= 0.80
    assert report["relevance"]["f1"] >= 0.90
    assert report["exact_accuracy"] >= 0.65
    assert report["within_one_accuracy"] >= 0.90
    assert report["direction_accuracy"] >= 0.80
    assert all(t["met"] for t in report["targets"].values())
    assert sum(sum(row.values()) for row in report["confusion"].values()) == 75


def test_eval_prints_tables_and_reports_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [json.loads(line) for line in DEV_SET.read_text().splitlines()[:6]]
    rows.insert(2, {"title": "no label here"})
    code = main(["eval", str(write_lines(tmp_path / "small.jsonl", rows)), "--errors"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "line 3: impact: must be one of critical, high, medium, low, none" in err
    for heading in (
        "precision",
        "confusion matrix",
        "actionable (critical or high)",
        "relevance (not none)",
        "exact accuracy",
        "within-one accuracy",
        "direction accuracy",
        "targets",
    ):
        assert heading in out
    assert out.startswith("6 items from")
