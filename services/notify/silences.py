"""Silences: hold back the alerts that match, until an expiry. Pure: no Redis, time passed in.

A silence speaks the matcher vocabulary of a route's ``match`` (``min_level``, ``minerals``
with group tokens, ``countries``, ``direction``, ``instruments``, ``sources``; see
:mod:`services.notify.routing`), plus ``levels`` (exact levels, e.g. only ``low``) and
``destinations``. As in routes, a list is OR and the fields are AND. A silence must name at
least one condition: an empty one would hold back everything.

A silenced alert is not sent and does not count as sent for story grouping, so once the
silence ends (or is removed) the next item of the same story alerts as new.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.notify import minerals
from services.notify.routing import RouteMatch, RoutingFacts
from shared.models import Level

ID_PREFIX = "sil-"


def _as_tuple(value: object) -> object:
    return (value,) if isinstance(value, str) else value


class SilenceMatch(RouteMatch):
    """A route's conditions plus exact ``levels`` and the ``destinations`` it applies to."""

    levels: tuple[Level, ...] = ()
    destinations: tuple[str, ...] = ()

    _more_one_or_many = field_validator("levels", "destinations", mode="before")(_as_tuple)

    def is_empty(self) -> bool:
        return not self.model_dump(exclude_defaults=True)


class Silence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    match: SilenceMatch
    starts_at: datetime
    ends_at: datetime
    comment: str = Field(min_length=1, max_length=1000)
    author: str = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Silence:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.match.is_empty():
            raise ValueError("a silence needs at least one condition")
        return self

    def active(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


def new_silence(
    match: SilenceMatch, *, ends_at: datetime, comment: str, author: str, now: datetime
) -> Silence:
    return Silence(
        id=ID_PREFIX + secrets.token_hex(4),
        match=match,
        starts_at=now,
        ends_at=ends_at,
        comment=comment,
        author=author,
    )


def holds(silence: Silence, facts: RoutingFacts, now: datetime) -> bool:
    """Whether ``silence`` is in force at ``now`` and its conditions, destinations aside,
    accept ``facts``."""
    if not silence.active(now):
        return False
    m = silence.match
    if m.levels and facts.level not in m.levels:
        return False
    return accepts(m, facts)


def applies_to(silence: Silence, destination: str) -> bool:
    return not silence.match.destinations or destination in silence.match.destinations


def matches(silence: Silence, facts: RoutingFacts, destination: str, now: datetime) -> bool:
    """Whether ``silence`` holds back an alert with ``facts`` for ``destination`` at ``now``."""
    return applies_to(silence, destination) and holds(silence, facts, now)


@cache
def _covered(tokens: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(minerals.covers(t) for t in tokens))


def _any_listed(wanted: tuple[str, ...], have: Iterable[str]) -> bool:
    return any(minerals.normalise(h) in wanted for h in have)


def accepts(m: RouteMatch, facts: RoutingFacts) -> bool:
    """``routing.check(m, facts)[0]``, without building the reasons: the dispatcher asks
    this for every alert and every silence."""
    if m.min_level is not None and facts.level.rank < m.min_level.rank:
        return False
    if m.min_score is not None and facts.score < m.min_score:
        return False
    if m.direction and facts.direction not in m.direction:
        return False
    if m.sources and not any(s in m.sources for s in facts.sources):
        return False
    if m.countries and not _any_listed(m.countries, facts.countries):
        return False
    if m.instruments and not _any_listed(m.instruments, facts.instruments):
        return False
    covered = _covered(m.minerals)
    return not m.minerals or any(minerals.normalise(e) in covered for e in facts.minerals)


def silenced_by(
    silences: Iterable[Silence], facts: RoutingFacts, destination: str, now: datetime
) -> Silence | None:
    """The first silence that holds back this alert, if any."""
    for silence in silences:
        if matches(silence, facts, destination, now):
            return silence
    return None


def first_for(held: Iterable[Silence], destination: str) -> Silence | None:
    """Of the silences that hold an event (:func:`holds`), the first for ``destination``."""
    return next((s for s in held if applies_to(s, destination)), None)


def describe(match: SilenceMatch) -> str:
    """``minerals=gallium,germanium min_level=high`` (what ``silence list`` shows)."""
    parts = []
    for key, value in match.model_dump(mode="json", exclude_defaults=True).items():
        shown = ",".join(str(v) for v in value) if isinstance(value, list) else str(value)
        parts.append(f"{key}={shown}")
    return " ".join(parts)
