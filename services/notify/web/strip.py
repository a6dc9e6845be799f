"""The console's health strip as pure functions: consumer lag and pending per group, dead
letters per stream, sources down, disabled destinations, and one green/amber/red status.

The thresholds are the readiness thresholds (``health:`` in the config), so the strip
turns amber and red exactly when ``/readyz`` turns warn and fail for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shared.health import HealthThresholds, Status, by_threshold, worst
from shared.models import OpsEvent


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


@dataclass(frozen=True, slots=True)
class GroupState:
    stream: str
    group: str
    lag: int | None
    pending: int


class GroupHealth(_Frozen):
    stream: str
    group: str
    lag: int | None
    pending: int
    status: Status


class DeadLetters(_Frozen):
    stream: str
    count: int


class SourceDown(_Frozen):
    source: str
    since: datetime
    message: str


class DisabledDestination(_Frozen):
    destination: str
    reason: str


class HealthStrip(_Frozen):
    status: Status
    lag: int
    pending: int
    groups: tuple[GroupHealth, ...]
    dead_letters: int
    dead_letter_streams: tuple[DeadLetters, ...]
    sources_down: tuple[SourceDown, ...]
    disabled: tuple[DisabledDestination, ...]
    checked_at: datetime


def sources_down(newest_first: Iterable[OpsEvent]) -> list[SourceDown]:
    """Sources whose latest ``source.*`` notice is ``source.down``, oldest outage first."""
    latest: dict[str, OpsEvent] = {}
    for event in newest_first:
        if event.kind.startswith("source.") and event.subject not in latest:
            latest[event.subject] = event
    down = [
        SourceDown(source=e.subject, since=e.at, message=e.message)
        for e in latest.values()
        if e.kind == "source.down"
    ]
    return sorted(down, key=lambda d: d.since)


def group_health(state: GroupState, th: HealthThresholds) -> GroupHealth:
    lag_status: Status = (
        "pass" if state.lag is None else by_threshold(state.lag, th.lag_warn, th.lag_fail)
    )
    status = worst([lag_status, by_threshold(state.pending, th.pending_warn)])
    return GroupHealth(
        stream=state.stream, group=state.group, lag=state.lag, pending=state.pending, status=status
    )


def health_strip(
    groups: Sequence[GroupState],
    dead_letters: Sequence[DeadLetters],
    down: Sequence[SourceDown],
    disabled: Sequence[DisabledDestination],
    thresholds: HealthThresholds,
    now: datetime,
) -> HealthStrip:
    rows = tuple(group_health(g, thresholds) for g in groups)
    dead = sum(d.count for d in dead_letters)
    statuses: list[Status] = [g.status for g in rows]
    if dead >= thresholds.dead_letters_warn:
        statuses.append("warn")
    if down or disabled:
        statuses.append("warn")
    return HealthStrip(
        status=worst(statuses),
        lag=sum(g.lag or 0 for g in rows),
        pending=sum(g.pending for g in rows),
        groups=rows,
        dead_letters=dead,
        dead_letter_streams=tuple(d for d in dead_letters if d.count),
        sources_down=tuple(down),
        disabled=tuple(disabled),
        checked_at=now,
    )
