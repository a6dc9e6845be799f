"""``rarewatch backtest``: the bundled capture against golden output, determinism, and
``--compare`` showing a vocabulary change and a route change. Offline: no Redis."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.classify.vocabulary import DEFAULT_VOCABULARY_PATH
from shared.models import DeliveryRecord, RawItem
from tests.helpers import sample_event
from tests.replay.support import REPO, T0, capture_lines, cycled_items, run_cli

CAPTURE = "services/demo/sample_capture.jsonl"
ROUTES = "tests/replay/golden/routes.yaml"
GOLDEN = REPO / "tests" / "replay" / "golden"
UPDATE = os.environ.get("RAREWATCH_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # paths in the output are as given, relative to the repo
    monkeypatch.delenv("RAREWATCH_CONFIG", raising=False)


def backtest(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    capsys.readouterr()
    assert run_cli("backtest", *args) == code
    out: str = capsys.readouterr().out
    return out


@pytest.mark.parametrize(
    ("name", "extra"), [("sample_backtest.txt", []), ("sample_backtest.json", ["--json"])]
)
def test_the_bundled_capture_matches_the_golden_output(
    capsys: pytest.CaptureFixture[str], name: str, extra: list[str]
) -> None:
    out = backtest(capsys, CAPTURE, "--config", ROUTES, *extra)
    if UPDATE:
        (GOLDEN / name).write_text(out, encoding="utf-8")
    assert out == (GOLDEN / name).read_text(encoding="utf-8"), (
        "the backtest output changed; if the classifier or the sample changed on purpose, "
        "regenerate with RAREWATCH_UPDATE_GOLDEN=1 and review the diff"
    )


def test_the_golden_output_shows_alerts_stories_and_routes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = json.loads(backtest(capsys, CAPTURE, "--config", ROUTES, "--json"))
    alerts = doc["alerts"]
    assert (
        doc["capture"]["items"] == 40 and doc["capture"]["from_time"] == "2026-03-10T07:05:00.000Z"
    )
    assert {a["destination"] for a in alerts} == {"metals-desk", "risk-feed", "console"}
    assert any(a["type"] == "alert.escalated" for a in alerts)  # a story grew
    assert any(a["story_items"] > 1 for a in alerts)  # outlets grouped into one story
    titles = " ".join(a["title"] for a in alerts).lower()
    for noise in ("cobalt strike", "rare disease", "gallium spoon", "bitcoin", "rice exports"):
        assert noise not in titles
    desk = [a for a in alerts if a["destination"] == "metals-desk"]
    assert desk and all(a["level"] in ("high", "critical") for a in desk)
    ids = [a["alert_id"] for a in alerts]
    assert len(ids) == len(set(ids))


def test_the_same_capture_and_rules_give_byte_identical_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capture = tmp_path / "many.jsonl"
    rows = [
        (at, "RawItem", item.model_dump(mode="json")) for at, item in cycled_items(1500, _hours(73))
    ]
    capture.write_text("\n".join(capture_lines("items", rows)) + "\n")
    first = backtest(capsys, str(capture), "--config", ROUTES, "--json", "--jobs", "1")
    again = backtest(capsys, str(capture), "--config", ROUTES, "--json", "--jobs", "1")
    parallel = backtest(capsys, str(capture), "--config", ROUTES, "--json", "--jobs", "2")
    assert first == again == parallel
    assert len(json.loads(first)["alerts"]) > 100


def test_a_capture_of_events_is_backtested_on_the_items_inside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (REPO / CAPTURE).read_text().splitlines()
    rows = []
    for line in lines[1:]:
        entry = json.loads(line)
        event = sample_event().model_copy(update={"item": RawItem.model_validate(entry["data"])})
        rows.append((_time(entry["time"]), "ClassifiedEvent", event.model_dump(mode="json")))
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(capture_lines("events", rows)) + "\n")
    from_items = json.loads(backtest(capsys, CAPTURE, "--config", ROUTES, "--json"))["alerts"]
    from_events = json.loads(backtest(capsys, str(events), "--config", ROUTES, "--json"))["alerts"]
    assert from_events == from_items


def test_a_bad_line_is_reported_and_the_rest_is_backtested(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (REPO / CAPTURE).read_text().splitlines()
    lines[1] = lines[1][:60]  # the first item, cut short
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert run_cli("backtest", str(broken), "--config", ROUTES, "--json") == 1
    captured = capsys.readouterr()
    assert "broken.jsonl: line 2: not JSON" in captured.err
    doc = json.loads(captured.out)
    assert doc["capture"]["items"] == 39 and doc["capture"]["bad_lines"] == 1
    assert doc["alerts"]


def test_a_capture_of_deliveries_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = DeliveryRecord(alert_id="a", destination="d", outcome="delivered", at=T0, trace_id="t")
    path = tmp_path / "deliveries.jsonl"
    path.write_text(
        "\n".join(
            capture_lines("deliveries", [(T0, "DeliveryRecord", record.model_dump(mode="json"))])
        )
    )
    capsys.readouterr()
    assert run_cli("backtest", str(path)) == 2
    assert "capture of deliveries" in capsys.readouterr().err


def test_compare_shows_what_a_vocabulary_without_cobalt_would_not_have_alerted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_cobalt = vocabulary_without_cobalt(tmp_path)
    doc = json.loads(
        backtest(capsys, CAPTURE, "--config", ROUTES, "--compare", str(no_cobalt), "--json")
    )
    assert doc["b"]["vocabulary"].startswith(str(no_cobalt))
    removed = [c["a"] for c in doc["changes"] if c["change"] == "removed"]
    assert removed, "the cobalt alerts should be gone"
    assert all("cobalt" in a["minerals"] for a in removed)
    # an item that A grouped into a cobalt story may now alert on its own, without cobalt
    assert all("cobalt" not in c["b"]["minerals"] for c in doc["changes"] if c["b"])
    table = backtest(capsys, CAPTURE, "--config", ROUTES, "--compare", str(no_cobalt))
    assert f"{len(removed)} removed" in table
    assert "removed" in table and "Flooding halts production at major Congo cobalt mine" in table


def test_rules_and_routes_name_the_rules_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_cobalt = str(vocabulary_without_cobalt(tmp_path))
    base = backtest(capsys, CAPTURE, "--config", ROUTES, "--json")
    by_rules = backtest(capsys, CAPTURE, "--config", ROUTES, "--rules", no_cobalt, "--json")
    by_vocabulary = backtest(
        capsys, CAPTURE, "--config", ROUTES, "--vocabulary", no_cobalt, "--json"
    )
    assert by_rules == by_vocabulary != base
    only_console = tmp_path / "console.yaml"
    only_console.write_text(
        yaml.safe_dump(
            {
                "destinations": [{"id": "console", "kind": "console"}],
                "routes": [{"match": {"min_level": "high"}, "to": ["console"]}],
            }
        )
    )
    doc = json.loads(backtest(capsys, CAPTURE, "--routes", str(only_console), "--json"))
    assert doc["rules"]["destinations"] == ["console"]
    assert doc["alerts"] and all(a["level"] in ("high", "critical") for a in doc["alerts"])


def test_compare_shows_a_route_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    routes = yaml.safe_load((REPO / ROUTES).read_text())
    routes["routes"][0]["match"]["min_level"] = "critical"  # the desk wants less
    routes["routes"][2]["match"]["min_level"] = "medium"  # the console drops low
    stricter = tmp_path / "stricter.yaml"
    stricter.write_text(yaml.safe_dump(routes))
    doc = json.loads(
        backtest(capsys, CAPTURE, "--config", ROUTES, "--compare", str(stricter), "--json")
    )
    changes = [
        (c["change"], (c["a"] or c["b"])["destination"], (c["a"] or c["b"])["level"])
        for c in doc["changes"]
    ]
    assert ("removed", "metals-desk", "high") in changes
    assert ("removed", "console", "low") in changes
    assert {kind for kind, _, _ in changes} == {"removed"}
    assert all(dest != "risk-feed" for _, dest, _ in changes)
    assert all(level == "high" for _, dest, level in changes if dest == "metals-desk")


def test_compare_with_the_same_rules_finds_no_difference(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = backtest(capsys, CAPTURE, "--config", ROUTES, "--compare", ROUTES)
    assert "0 added, 0 removed, 0 changed" in out and out.rstrip().endswith("no differences")


def test_rules_that_are_neither_vocabulary_nor_config_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text("hello: world\n")
    capsys.readouterr()
    assert run_cli("backtest", CAPTURE, "--compare", str(odd)) == 2
    assert "neither a vocabulary" in capsys.readouterr().err


def _hours(n: int) -> Any:
    from datetime import timedelta

    return timedelta(hours=n)


def _time(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def vocabulary_without_cobalt(tmp_path: Path) -> Path:
    vocabulary = yaml.safe_load(DEFAULT_VOCABULARY_PATH.read_text(encoding="utf-8"))
    del vocabulary["minerals"]["cobalt"]
    for country in vocabulary["countries"].values():
        if "cobalt" in country.get("major_producer_of", []):
            country["major_producer_of"].remove("cobalt")
    path = tmp_path / "no-cobalt.yaml"
    path.write_text(yaml.safe_dump(vocabulary))
    return path
