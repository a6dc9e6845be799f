"""Which destinations an event reaches, and why. Pure: no Redis, no clock, no network.

Routes are tried in order. The first route whose ``match`` accepts the event sends it to its
``to`` destinations and stops the walk, unless it says ``continue: true``. Inside a match,
each list is OR (any listed value will do) and the fields are AND; an absent or empty field
accepts anything. The level compared with ``min_level`` is the story's level
(``event.story.level``): the level after corroboration across sources, not the single item's.
Mineral group tokens are explained in :mod:`services.notify.minerals` and ``docs/routing.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.notify import minerals as mineral_groups
from shared.errors import ConfigError
from shared.models import ClassifiedEvent, Direction, Level


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


class RouteMatch(BaseModel):
    """Conditions on an event. Lists are OR within a field, AND across fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_level: Level | None = None
    min_score: int | None = Field(default=None, ge=0, le=100)
    minerals: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    direction: tuple[Direction, ...] = ()
    instruments: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(default=(), description="item source ids, compared as is")

    _one_or_many = field_validator(
        "minerals", "countries", "direction", "instruments", "sources", mode="before"
    )(_as_tuple)

    @field_validator("minerals", "countries", "instruments")
    @classmethod
    def _normalise(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(mineral_groups.normalise(v) for v in values)


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str | None = None
    match: RouteMatch = RouteMatch()
    to: tuple[str, ...] = Field(min_length=1, description="destination ids")
    continue_: bool = Field(default=False, alias="continue")

    _one_or_many = field_validator("to", mode="before")(_as_tuple)


class RoutingFacts(BaseModel):
    """What routing looks at. Built from a ClassifiedEvent or a ``rarewatch score`` line."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str | None = None
    level: Level = Level.NONE
    score: int = Field(default=0, ge=0, le=100)
    direction: Direction = Direction.NEUTRAL
    minerals: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @classmethod
    def from_event(cls, event: ClassifiedEvent) -> RoutingFacts:
        c = event.classification
        sources = tuple(dict.fromkeys((event.item.source, *event.item.sources)))
        return cls(
            id=event.item.id,
            level=event.story.level,
            score=c.score,
            direction=c.direction,
            minerals=c.minerals,
            countries=c.countries,
            instruments=c.instruments,
            sources=sources,
        )


@dataclass(frozen=True, slots=True)
class RouteOutcome:
    """One route's verdict on one event (``rarewatch routes test`` prints these)."""

    index: int
    name: str | None
    matched: bool
    reached: bool  # False when an earlier route matched and did not continue
    reasons: tuple[str, ...]  # why it matched, or why not (failed conditions only)
    to: tuple[str, ...]
    stopped_by: int | None = None

    @property
    def label(self) -> str:
        return f"routes[{self.index}]" + (f" ({self.name})" if self.name else "")


@dataclass(frozen=True, slots=True)
class RouteDecision:
    """One destination reached, by the first route that reached it."""

    destination: str
    route_index: int
    route_name: str | None
    reasons: tuple[str, ...]


def _listed(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _check_list(
    one: str, many: str, wanted: Sequence[str], have: Sequence[str]
) -> tuple[bool, str]:
    have_n = [mineral_groups.normalise(h) for h in have]
    hits = [h for h in have_n if h in wanted]
    if hits:
        return True, f"{one} {hits[0]} is listed"
    if not have_n:
        return False, f"event has no {many}; route wants {_listed(wanted)}"
    return False, f"{many} {_listed(have_n)} not in {_listed(wanted)}"


def _check_minerals(wanted: Sequence[str], have: Sequence[str]) -> tuple[bool, str]:
    pairs = mineral_groups.matching(wanted, have)
    if pairs:
        event_token, route_token = pairs[0]
        if event_token == route_token:
            return True, f"mineral {event_token} is listed"
        return True, f"mineral {event_token} is in group {route_token}"
    if not have:
        return False, f"event has no minerals; route wants {_listed(wanted)}"
    have = [mineral_groups.normalise(h) for h in have]
    reason = f"minerals {_listed(have)} not in {_listed(wanted)}"
    wider = [
        g
        for g in have
        if mineral_groups.is_group(g) and any(w in mineral_groups.covers(g) for w in wanted)
    ]
    if wider:
        reason += (
            f" (the event names only the group {', '.join(wider)}, wider than the route;"
            " list the group in the route to get group-wide news)"
        )
    return False, reason


def check(match: RouteMatch, facts: RoutingFacts) -> tuple[bool, tuple[str, ...]]:
    """Whether ``match`` accepts ``facts``, with the reasons (all if it does, failures if not)."""
    results: list[tuple[bool, str]] = []
    if match.min_level is not None:
        ok = facts.level.rank >= match.min_level.rank
        verb = "is at least" if ok else "is below"
        results.append((ok, f"level {facts.level} {verb} min_level {match.min_level}"))
    if match.min_score is not None:
        ok = facts.score >= match.min_score
        verb = "is at least" if ok else "is below"
        results.append((ok, f"score {facts.score} {verb} min_score {match.min_score}"))
    if match.minerals:
        results.append(_check_minerals(match.minerals, facts.minerals))
    if match.countries:
        results.append(_check_list("country", "countries", match.countries, facts.countries))
    if match.direction:
        ok = facts.direction in match.direction
        wanted = _listed(match.direction)
        verb = "is in" if ok else "not in"
        results.append((ok, f"direction {facts.direction} {verb} {wanted}"))
    if match.instruments:
        results.append(
            _check_list("instrument", "instruments", match.instruments, facts.instruments)
        )
    if match.sources:
        hits = [s for s in facts.sources if s in match.sources]
        if hits:
            results.append((True, f"source {hits[0]} is listed"))
        else:
            have = _listed(facts.sources) if facts.sources else "none"
            results.append((False, f"source {have} not in {_listed(match.sources)}"))
    if not results:
        return True, ("no conditions: matches every event",)
    failed = tuple(reason for ok, reason in results if not ok)
    if failed:
        return False, failed
    return True, tuple(reason for _, reason in results)


def _facts(event: ClassifiedEvent | RoutingFacts) -> RoutingFacts:
    return event if isinstance(event, RoutingFacts) else RoutingFacts.from_event(event)


def explain(event: ClassifiedEvent | RoutingFacts, routes: Sequence[Route]) -> list[RouteOutcome]:
    """Every route's verdict, in order, including routes a stopping route shadowed."""
    facts = _facts(event)
    outcomes: list[RouteOutcome] = []
    stopped_by: int | None = None
    for index, r in enumerate(routes):
        matched, reasons = check(r.match, facts)
        outcomes.append(
            RouteOutcome(index, r.name, matched, stopped_by is None, reasons, r.to, stopped_by)
        )
        if matched and stopped_by is None and not r.continue_:
            stopped_by = index
    return outcomes


def route(event: ClassifiedEvent | RoutingFacts, routes: Sequence[Route]) -> list[RouteDecision]:
    """The destinations ``event`` reaches, each once, in route order then ``to`` order."""
    reached: dict[str, RouteDecision] = {}
    for outcome in explain(event, routes):
        if not (outcome.reached and outcome.matched):
            continue
        for destination in outcome.to:
            if destination not in reached:
                reached[destination] = RouteDecision(
                    destination, outcome.index, outcome.name, outcome.reasons
                )
    return list(reached.values())


def check_routes(routes: Sequence[Route], destination_ids: Iterable[str]) -> None:
    """Raise ConfigError naming ``routes[i].to[j]`` for a destination that is not configured."""
    known = set(destination_ids)
    for i, r in enumerate(routes):
        for j, destination in enumerate(r.to):
            if destination not in known:
                allowed = ", ".join(sorted(known)) or "none configured"
                raise ConfigError(
                    f"routes[{i}].to[{j}]: unknown destination {destination!r};"
                    f" configured destinations: {allowed}"
                )


def unknown_minerals(routes: Sequence[Route]) -> list[str]:
    """Warnings for mineral names in routes that no group knows (likely typos)."""
    return [
        f"routes[{i}].match.minerals[{j}]: {token!r} is not a known mineral or group;"
        " it matches only events naming exactly that"
        for i, r in enumerate(routes)
        for j, token in enumerate(r.match.minerals)
        if not mineral_groups.known(token)
    ]
