"""Silences: matching (pure) and the Redis store (expiry, pruning, the dispatcher's cache)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from redis.asyncio import Redis

from services.notify.routing import RoutingFacts
from services.notify.silences import (
    Silence,
    SilenceMatch,
    describe,
    matches,
    new_silence,
    silenced_by,
)
from services.notify.silences_store import SilenceStore
from shared.models import Direction, Level
from shared.names import Names

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def silence(ends_in: timedelta = timedelta(hours=2), **match: Any) -> Silence:
    return new_silence(
        SilenceMatch.model_validate(match),
        ends_at=NOW + ends_in,
        comment="maintenance",
        author="ops",
        now=NOW,
    )


def facts(**fields: Any) -> RoutingFacts:
    base: dict[str, Any] = {
        "level": "low",
        "direction": "tightening",
        "minerals": ["gallium"],
        "countries": ["china"],
        "instruments": ["export_control"],
        "sources": ["mining-news"],
    }
    return RoutingFacts.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("match", "event", "silenced"),
    [
        ({"minerals": ["gallium"]}, {}, True),
        ({"minerals": ["germanium"]}, {}, False),
        ({"minerals": ["rare_earths"]}, {"minerals": ["dysprosium"]}, True),  # group token
        ({"minerals": ["Rare Earths"]}, {"minerals": ["terbium"]}, True),
        ({"minerals": ["dysprosium"]}, {"minerals": ["rare_earths"]}, False),  # narrower
        ({"levels": ["low"]}, {}, True),
        ({"levels": ["low"]}, {"level": "high"}, False),  # exact, not "at least"
        ({"min_level": "high"}, {"level": "critical"}, True),
        ({"min_level": "high"}, {"level": "medium"}, False),
        ({"countries": ["china"], "direction": "easing"}, {}, False),  # AND across fields
        ({"direction": ["easing", "tightening"]}, {}, True),  # OR inside a field
        ({"instruments": ["tariff"]}, {}, False),
        ({"sources": ["mining-news"]}, {}, True),
    ],
)
def test_matchers_speak_the_route_vocabulary(
    match: dict[str, Any], event: dict[str, Any], silenced: bool
) -> None:
    assert matches(silence(**match), facts(**event), "risk", NOW) is silenced


def test_destination_matcher_limits_a_silence_to_its_destinations() -> None:
    s = silence(minerals=["gallium"], destinations=["desk"])
    assert matches(s, facts(), "desk", NOW)
    assert not matches(s, facts(), "risk", NOW)


def test_a_silence_holds_only_until_it_ends() -> None:
    s = silence(ends_in=timedelta(minutes=30), minerals=["gallium"])
    assert matches(s, facts(), "risk", NOW + timedelta(minutes=29))
    assert not matches(s, facts(), "risk", NOW + timedelta(minutes=30))
    assert not matches(s, facts(), "risk", NOW - timedelta(seconds=1))  # not started


def test_silenced_by_returns_the_first_matching_silence() -> None:
    other, hit = silence(minerals=["antimony"]), silence(levels=["low"])
    assert silenced_by([other, hit], facts(), "risk", NOW) == hit
    assert silenced_by([other], facts(), "risk", NOW) is None


def test_an_empty_or_backwards_silence_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least one condition"):
        silence()
    with pytest.raises(ValidationError, match="ends_at must be after"):
        silence(ends_in=timedelta(0), levels=["low"])
    with pytest.raises(ValidationError, match="direction"):
        silence(direction=["sideways"])


def test_describe_names_only_the_conditions_given() -> None:
    s = silence(minerals=["Gallium", "rare-earths"], levels="low", destinations="risk")
    assert describe(s.match) == "minerals=gallium,rare_earths levels=low destinations=risk"
    assert s.match.direction == () and Direction.EASING not in s.match.direction


async def test_store_keeps_current_silences_and_prunes_expired(redis: Redis, names: Names) -> None:
    store = SilenceStore(redis, names)
    now = datetime.now(UTC)
    live = new_silence(
        SilenceMatch(minerals=("gallium",)),
        ends_at=now + timedelta(hours=1),
        comment="c",
        author="a",
        now=now,
    )
    old = Silence(
        id="sil-old",
        match=SilenceMatch(levels=(Level.LOW,)),
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
        comment="c",
        author="a",
    )
    await store.add(live)
    await store.add(old)
    assert [s.id for s in await store.current(now)] == [live.id]
    assert await redis.hkeys(names.silences()) == [live.id.encode()]  # pruned
    assert await store.remove(live.id) is True
    assert await store.remove(live.id) is False
    assert await store.current(now) == []


async def test_active_reads_redis_at_most_once_per_cache_period(redis: Redis, names: Names) -> None:
    tick = [0.0]
    store = SilenceStore(redis, names, cache_s=1.0, clock=lambda: tick[0])
    now = datetime.now(UTC)
    assert await store.active(now) == []
    s = new_silence(
        SilenceMatch(levels=(Level.LOW,)),
        ends_at=now + timedelta(hours=1),
        comment="c",
        author="a",
        now=now,
    )
    await store.add(s)
    tick[0] = 0.5
    assert await store.active(now) == []  # still the cached read
    tick[0] = 1.0
    assert await store.active(now) == [s]
    assert await store.active(now + timedelta(hours=2)) == []  # ended, even while cached


MATCHES = [
    {},
    {"min_level": "medium"},
    {"min_score": 70},
    {"minerals": ["rare_earths", "gallium"]},
    {"minerals": ["critical_minerals"]},
    {"minerals": ["terbium"]},
    {"countries": ["China", "united states"]},
    {"direction": ["easing"]},
    {"instruments": ["export_control"], "sources": ["fedreg"]},
]
FACTS = [
    {},
    {"level": "high", "score": 90, "minerals": ["Rare Earths"], "sources": ["fedreg"]},
    {"level": "medium", "score": 60, "minerals": ["rare_earth_magnets"], "countries": []},
    {"minerals": ["terbium", "graphite"], "countries": ["United-States"], "direction": "easing"},
    {"minerals": [], "instruments": [], "sources": []},
]


@pytest.mark.parametrize("match", MATCHES)
def test_the_fast_matcher_agrees_with_routing(match: dict[str, Any]) -> None:
    from services.notify.routing import RouteMatch, check
    from services.notify.silences import accepts

    route_match = RouteMatch.model_validate(match)
    for event in FACTS:
        f = facts(**event)
        assert accepts(route_match, f) is check(route_match, f)[0], (match, event)
