"""Routing: which destinations an event reaches and why, and ``rarewatch routes test``."""

from __future__ import annotations

import argparse
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from services.cli import routes as routes_cli
from services.notify.routing import (
    Route,
    RouteMatch,
    RoutingFacts,
    check_routes,
    explain,
    route,
    unknown_minerals,
)
from shared.errors import ConfigError
from shared.models import (
    Classification,
    ClassifiedEvent,
    Direction,
    Level,
    RawItem,
    StoryRef,
)

EVAL_FILE = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "news-dev.jsonl"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def event(
    *,
    level: Level = Level.HIGH,
    story_level: Level | None = None,
    score: int = 70,
    direction: Direction = Direction.TIGHTENING,
    minerals: tuple[str, ...] = ("dysprosium",),
    countries: tuple[str, ...] = ("china",),
    instruments: tuple[str, ...] = ("export_control",),
    source: str = "fedreg",
    sources: tuple[str, ...] = (),
) -> ClassifiedEvent:
    """An event written in our own words: a licence rule for a heavy rare earth."""
    item = RawItem(
        id="item-1",
        title="Commerce ministry adds heavy rare earth to export licence list",
        summary="Exporters will need a licence for each shipment from next month.",
        url="https://example.org/policy/licence-list",
        source=source,
        sources=sources,
        seen_at=NOW,
        trace_id="trace-1",
    )
    classification = Classification(
        level=level,
        score=score,
        direction=direction,
        minerals=minerals,
        countries=countries,
        instruments=instruments,
        classifier_version="test",
    )
    story = StoryRef(
        id="story-1",
        item_ids=("item-1",),
        sources_count=1,
        official=False,
        level=story_level or level,
    )
    return ClassifiedEvent(item=item, classification=classification, story=story, classified_at=NOW)


def routes_of(*specs: dict[str, Any]) -> list[Route]:
    return [Route.model_validate(s) for s in specs]


def reached(ev: ClassifiedEvent | RoutingFacts, routes: list[Route]) -> list[str]:
    return [d.destination for d in route(ev, routes)]


# --- levels and scores ---------------------------------------------------------------


def test_min_level_compares_the_story_level_not_the_item_level() -> None:
    routes = routes_of({"match": {"min_level": "high"}, "to": ["desk"]})
    corroborated = event(level=Level.MEDIUM, story_level=Level.HIGH)
    downgraded = event(level=Level.HIGH, story_level=Level.MEDIUM)
    assert reached(corroborated, routes) == ["desk"]
    assert reached(downgraded, routes) == []
    [outcome] = explain(downgraded, routes)
    assert outcome.reasons == ("level medium is below min_level high",)


@pytest.mark.parametrize(("score", "expected"), [(59, []), (60, ["desk"]), (100, ["desk"])])
def test_min_score_is_inclusive(score: int, expected: list[str]) -> None:
    routes = routes_of({"match": {"min_score": 60}, "to": ["desk"]})
    assert reached(event(score=score), routes) == expected


# --- minerals and groups ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("route_minerals", "event_minerals", "matches"),
    [
        (["rare_earths"], ("dysprosium",), True),
        (["rare_earths"], ("rare_earths",), True),
        (["rare_earths"], ("rare_earth_magnets",), True),
        (["rare_earths"], ("yttrium",), True),
        (["rare_earths"], ("gallium",), False),
        (["dysprosium"], ("dysprosium",), True),
        (["dysprosium"], ("rare_earths",), False),  # the group is wider than the route
        (["dysprosium"], ("terbium",), False),
        (["rare_earth_magnets"], ("samarium",), True),
        (["rare_earth_magnets"], ("lanthanum",), False),
        (["rare_earth_magnets"], ("cobalt",), False),  # SmCo's cobalt is not a rare earth
        (["rare_earth_magnets"], ("rare_earths",), False),
        (["critical_minerals"], ("gallium",), True),
        (["critical_minerals"], ("neodymium",), True),
        (["critical_minerals"], ("copper",), True),
        (["critical_minerals"], ("superhard_materials",), True),
        (["critical_minerals"], ("gold",), False),
        (["gold"], ("gold",), True),  # unknown names still match exactly
        (["gallium", "germanium"], ("germanium", "lithium"), True),
        (["rare_earths"], (), False),
    ],
)
def test_mineral_groups(
    route_minerals: list[str], event_minerals: tuple[str, ...], matches: bool
) -> None:
    routes = routes_of({"match": {"minerals": route_minerals}, "to": ["desk"]})
    assert reached(event(minerals=event_minerals), routes) == (["desk"] if matches else [])


def test_group_only_event_explains_how_to_catch_group_news() -> None:
    routes = routes_of({"match": {"minerals": ["dysprosium"]}, "to": ["desk"]})
    [outcome] = explain(event(minerals=("rare_earths",)), routes)
    assert not outcome.matched
    assert "names only the group rare_earths" in outcome.reasons[0]
    assert "list the group in the route" in outcome.reasons[0]


def test_match_reason_names_the_group() -> None:
    routes = routes_of({"match": {"minerals": ["rare_earths"]}, "to": ["desk"]})
    [decision] = route(event(minerals=("terbium",)), routes)
    assert decision.reasons == ("mineral terbium is in group rare_earths",)


def test_tokens_are_normalised_on_both_sides() -> None:
    routes = routes_of(
        {"match": {"minerals": ["Rare Earths"], "countries": ["United States"]}, "to": ["d"]}
    )
    assert routes[0].match.minerals == ("rare_earths",)
    ev = event(minerals=("Rare-Earth-Magnets",), countries=("united_states",))
    assert reached(ev, routes) == ["d"]


# --- the other fields ------------------------------------------------------------------


def test_direction_takes_one_value_or_a_list() -> None:
    one = routes_of({"match": {"direction": "tightening"}, "to": ["d"]})
    many = routes_of({"match": {"direction": ["tightening", "easing"]}, "to": ["d"]})
    assert one[0].match.direction == (Direction.TIGHTENING,)
    assert reached(event(direction=Direction.EASING), one) == []
    assert reached(event(direction=Direction.EASING), many) == ["d"]
    assert reached(event(direction=Direction.NEUTRAL), many) == []


def test_fields_are_and_lists_are_or() -> None:
    routes = routes_of(
        {
            "match": {
                "min_level": "high",
                "countries": ["china", "myanmar"],
                "instruments": ["export_control", "quota"],
            },
            "to": ["d"],
        }
    )
    assert reached(event(countries=("myanmar",), instruments=("quota",)), routes) == ["d"]
    outcome = explain(event(level=Level.MEDIUM, countries=("japan",)), routes)[0]
    assert outcome.reasons == (
        "level medium is below min_level high",
        "countries [japan] not in [china, myanmar]",
    )


def test_sources_match_the_item_source_or_any_source_that_carried_it() -> None:
    routes = routes_of({"match": {"sources": ["gdelt"]}, "to": ["d"]})
    assert reached(event(source="fedreg"), routes) == []
    assert reached(event(source="fedreg", sources=("fedreg", "gdelt")), routes) == ["d"]
    assert reached(event(source="gdelt"), routes) == ["d"]


def test_empty_match_accepts_everything() -> None:
    routes = routes_of({"to": ["all"]}, {"match": {}, "to": ["also"], "continue": True})
    assert reached(event(level=Level.NONE, minerals=()), routes) == ["all"]
    [first, _] = explain(event(), routes)
    assert first.reasons == ("no conditions: matches every event",)


# --- walking the routes ----------------------------------------------------------------


def test_first_match_wins_unless_continue() -> None:
    routes = routes_of(
        {"name": "desk", "match": {"min_level": "high"}, "to": ["desk"]},
        {"match": {"min_level": "medium"}, "to": ["risk"]},
    )
    assert reached(event(level=Level.CRITICAL), routes) == ["desk"]
    assert reached(event(level=Level.MEDIUM), routes) == ["risk"]
    outcomes = explain(event(level=Level.CRITICAL), routes)
    assert outcomes[1].matched and not outcomes[1].reached
    assert outcomes[1].stopped_by == 0

    routes_continue = routes_of(
        {"match": {"min_level": "high"}, "to": ["desk"], "continue": True},
        {"match": {"min_level": "medium"}, "to": ["risk"]},
    )
    assert reached(event(level=Level.CRITICAL), routes_continue) == ["desk", "risk"]


def test_a_destination_reached_twice_appears_once_with_the_first_route() -> None:
    routes = routes_of(
        {"name": "a", "match": {"min_level": "high"}, "to": ["desk", "audit"], "continue": True},
        {"name": "b", "match": {}, "to": ["audit", "risk"]},
    )
    decisions = route(event(), routes)
    assert [(d.destination, d.route_name) for d in decisions] == [
        ("desk", "a"),
        ("audit", "a"),
        ("risk", "b"),
    ]


def test_design_example_routes() -> None:
    """The two routes of design.md §6."""
    routes = routes_of(
        {"match": {"min_level": "high", "minerals": ["rare_earths", "dysprosium", "terbium"]},
         "to": ["metals-desk"]},
        {"match": {"min_level": "medium"}, "to": ["risk-feed"]},
    )  # fmt: skip
    assert reached(event(level=Level.HIGH, minerals=("neodymium",)), routes) == ["metals-desk"]
    assert reached(event(level=Level.HIGH, minerals=("gallium",)), routes) == ["risk-feed"]
    assert reached(event(level=Level.LOW), routes) == []


# --- configuration ---------------------------------------------------------------------


def test_route_config_errors_name_the_key() -> None:
    with pytest.raises(ValidationError) as info:
        Route.model_validate({"match": {"mineral": ["x"]}, "to": ["d"]})
    assert info.value.errors()[0]["loc"] == ("match", "mineral")
    with pytest.raises(ValidationError) as info:
        Route.model_validate({"match": {"min_level": "severe"}, "to": ["d"]})
    assert "'high' or 'critical'" in str(info.value)
    with pytest.raises(ValidationError) as info:
        Route.model_validate({"to": []})
    assert info.value.errors()[0]["loc"] == ("to",)
    with pytest.raises(ValidationError):
        RouteMatch.model_validate({"min_score": 101})


def test_continue_is_spelled_continue_in_yaml() -> None:
    r = Route.model_validate({"to": "d", "continue": True})
    assert r.continue_ is True
    assert r.to == ("d",)
    assert r.model_dump(by_alias=True)["continue"] is True


def test_check_routes_names_the_unknown_destination() -> None:
    routes = routes_of({"to": ["a"]}, {"to": ["b"]}, {"to": ["mtals-desk", "a"]})
    check_routes(routes[:2], ["a", "b"])
    with pytest.raises(
        ConfigError, match=r"routes\[2\]\.to\[0\]: unknown destination 'mtals-desk'"
    ):
        check_routes(routes, ["a", "b"])


def test_unknown_minerals_are_flagged_as_likely_typos() -> None:
    routes = routes_of({"match": {"minerals": ["rare_earths", "dysprosum"]}, "to": ["a"]})
    [warning] = unknown_minerals(routes)
    assert warning.startswith("routes[0].match.minerals[1]: 'dysprosum'")


def test_every_mineral_in_the_eval_set_is_known() -> None:
    """The labelled set's vocabulary (../shared/eval) is covered by the group table."""
    tokens = {
        m for line in EVAL_FILE.read_text().splitlines() for m in json.loads(line)["minerals"]
    }
    routes = routes_of({"match": {"minerals": sorted(tokens)}, "to": ["a"]})
    assert unknown_minerals(routes) == []


# --- rarewatch routes test -------------------------------------------------------------

CONFIG = """\
namespace: rarewatch
destinations:
  - {id: metals-desk, kind: slack, url: "${SLACK_WEBHOOK_URL}"}
  - {id: risk-feed, kind: webhook, url: https://risk.example.org/hooks/rarewatch,
     secret: "${RISK_WEBHOOK_SECRET}"}
  - {id: stdout, kind: console}
routes:
  - {name: desk, match: {min_level: high, minerals: [rare_earths, dysprosium, terbium]},
     to: [metals-desk]}
  - {match: {min_level: medium}, to: [risk-feed]}
"""


def run_cli(
    argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = ""
) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="rarewatch")
    routes_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "stdin", io.StringIO(stdin))
        code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "rarewatch.yaml"
    path.write_text(CONFIG)
    return path


def test_cli_flags_without_the_secrets_in_the_environment(
    config_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SLACK_WEBHOOK_URL", raising=False)
    code, out, err = run_cli(
        ["routes", "test", "--config", str(config_file), "--level", "high",
         "--minerals", "dysprosium", "--country", "china", "--direction", "tightening",
         "--score", "80", "--instrument", "export_control", "--source", "x"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("event: level=high score=80 direction=tightening")
    assert lines[1].split()[:4] == ["reaches", "metals-desk", "via", "routes[0]"]
    assert "mineral dysprosium is in group rare_earths" in lines[1]
    assert "shadowed" in lines[2] and "routes[1]" in lines[2] and "routes[0] (desk)" in lines[2]


def test_cli_reads_a_classified_event_file_as_json(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "event.json"
    path.write_text(event(level=Level.MEDIUM, minerals=("gallium",)).model_dump_json(indent=2))
    code, out, _ = run_cli(
        ["routes", "test", "--config", str(config_file), "--json", str(path)], capsys
    )
    assert code == 0
    answer = json.loads(out)
    assert [d["destination"] for d in answer["destinations"]] == ["risk-feed"]
    desk = answer["routes"][0]
    assert desk["matched"] is False
    assert desk["reasons"] == [
        "level medium is below min_level high",
        "minerals [gallium] not in [rare_earths, dysprosium, terbium]",
    ]


def test_cli_reads_score_lines_from_stdin_and_flags_override(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (
        '{"id": "a", "level": "critical", "score": 90, "direction": "tightening",'
        ' "minerals": ["terbium"], "countries": ["china"], "instruments": [], "evidence": []}\n'
        '{"id": "b", "level": "low", "score": 10, "direction": "neutral", "minerals": []}\n'
    )
    code, out, _ = run_cli(
        ["routes", "test", "--config", str(config_file), "--json", "-"], capsys, lines
    )
    assert code == 0
    answers = [json.loads(line) for line in out.splitlines()]
    assert [[d["destination"] for d in a["destinations"]] for a in answers] == [["metals-desk"], []]

    code, out, _ = run_cli(
        ["routes", "test", "--config", str(config_file), "--json", "--level", "medium", "-"],
        capsys,
        lines,
    )
    assert [json.loads(line)["event"]["level"] for line in out.splitlines()] == ["medium"] * 2


def test_cli_errors_exit_2_with_the_reason(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(
        ["routes", "test", "--config", str(config_file), "-"], capsys, "{}\nnope\n"
    )
    assert code == 2 and "line 2 is not JSON" in err

    code, _, err = run_cli(
        ["routes", "test", "--config", str(config_file), "-"], capsys, '{"level": "severe"}'
    )
    assert code == 2 and "level: Input should be" in err

    bad = tmp_path / "bad.yaml"
    bad.write_text("destinations: [{id: a, kind: console}]\nroutes: [{to: [b]}]\n")
    code, _, err = run_cli(["routes", "test", "--config", str(bad), "--level", "high"], capsys)
    assert code == 2 and "routes[0].to[0]: unknown destination 'b'" in err

    bad.write_text("routes: [{match: {mineral: [x]}, to: [b]}]\n")
    code, _, err = run_cli(["routes", "test", "--config", str(bad), "--level", "high"], capsys)
    assert code == 2 and "routes[0].match.mineral: unknown key" in err
