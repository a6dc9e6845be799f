"""The dispatcher's pure plan: route → replay filter → group → silence → digest or outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from services.notify.destinations.base import Destination
from services.notify.destinations.registry import DestinationConfigUnion, build_destination
from services.notify.grouping import Alerted
from services.notify.pipeline import Plan, plan, routed, story_dest_pairs
from services.notify.routing import Route
from services.notify.silences import SilenceMatch, new_silence
from shared.models import ClassifiedEvent, Level
from tests.helpers import sample_event

NOW = datetime.now(UTC)
ADAPTER: TypeAdapter[Any] = TypeAdapter(DestinationConfigUnion)


def dests(*configs: dict[str, Any]) -> dict[str, Destination]:
    built = [build_destination(ADAPTER.validate_python(c), None) for c in configs]  # type: ignore[arg-type]
    return {d.id: d for d in built}


DESTS = dests(
    {"id": "desk", "kind": "console"},
    {
        "id": "risk",
        "kind": "file",
        "path": "/tmp/unused",
        "digest": {"levels": ["low"], "every": "1h"},
    },
)
ROUTES = [Route.model_validate({"match": {"min_level": "low"}, "to": ["desk", "risk"]})]


def run(
    events: list[ClassifiedEvent],
    previous: dict[tuple[str, str], Alerted] | None = None,
    silences: list[Any] | None = None,
) -> Plan:
    batch = routed(events, ROUTES, DESTS)
    return plan(batch, DESTS, previous or {}, silences or [], NOW)


def gallium_silence(**extra: Any) -> Any:
    return new_silence(
        SilenceMatch.model_validate({"minerals": ["gallium"], **extra}),
        ends_at=NOW + timedelta(hours=1),
        comment="known noise",
        author="ops",
        now=NOW,
    )


def test_one_alert_per_story_and_destination_even_within_one_batch() -> None:
    p = run([sample_event("a", story_id="s"), sample_event("b", story_id="s")])
    assert sorted(a.destination for a in p.outbox) == ["desk", "risk"]
    assert {a.item.id for a in p.outbox} == {"a"}


def test_low_alerts_are_held_for_the_digest_only_where_configured() -> None:
    p = run([sample_event("a", level=Level.LOW), sample_event("b", level=Level.HIGH)])
    assert [(a.destination, a.item.id) for a in p.digest] == [("risk", "a")]
    assert sorted((a.destination, a.item.id) for a in p.outbox) == [
        ("desk", "a"),
        ("desk", "b"),
        ("risk", "b"),
    ]
    assert len(p.alerted) == 4  # held alerts count as told: grouping state is written


def test_a_silenced_alert_is_recorded_but_not_told() -> None:
    s = gallium_silence(destinations=["risk"])
    p = run([sample_event("a", minerals=("gallium",))], silences=[s])
    assert [(x.alert.destination, x.silence.id) for x in p.silenced] == [("risk", s.id)]
    # grouping state is written only for what was told: the story stays new for risk
    assert [a.destination for a in p.alerted] == ["desk"]


def test_repeated_items_of_a_silenced_story_are_recorded_once_per_batch() -> None:
    events = [sample_event(i, story_id="s", minerals=("gallium",)) for i in ("a", "b", "c")]
    p = run(events, silences=[gallium_silence()])
    assert sorted(x.alert.destination for x in p.silenced) == ["desk", "risk"]
    assert p.alerted == []


def test_an_already_told_story_is_not_recorded_as_silenced() -> None:
    told = {("s", "desk"): Alerted(Level.HIGH, False), ("s", "risk"): Alerted(Level.HIGH, False)}
    p = run([sample_event("a", story_id="s", minerals=("gallium",))], told, [gallium_silence()])
    assert p.silenced == [] and p.alerted == []


def test_replayed_events_skip_destinations_that_do_not_take_replays() -> None:
    webhook = dests(
        {
            "id": "hook",
            "kind": "webhook",
            "url": "https://x.example/h",
            "secret": "whsec_" + "A" * 24,
        }
    )
    route = [Route.model_validate({"to": ["hook"]})]
    assert routed([sample_event("a", replay=True)], route, webhook) == []
    assert story_dest_pairs(routed([sample_event("a")], route, webhook)) == [("st-a", "hook")]


@pytest.mark.parametrize("levels", [["high"], ["critical", "low"]])
def test_high_and_critical_alerts_can_never_be_held_for_a_digest(levels: list[str]) -> None:
    with pytest.raises(ValidationError, match="always go out at once"):
        ADAPTER.validate_python({"id": "x", "kind": "console", "digest": {"levels": levels}})
