"""Readiness in ``application/health+json`` (draft-inadarei-api-health-check):
``status`` pass|warn|fail and ``checks`` keyed ``component:measurement``."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from redis.asyncio import Redis

from shared import metrics
from shared.bus import group_stats
from shared.names import Names

Status = Literal["pass", "warn", "fail"]
_RANK: dict[Status, int] = {"pass": 0, "warn": 1, "fail": 2}
CONTENT_TYPE = "application/health+json"


class HealthThresholds(BaseModel):
    """When a readiness check turns warn or fail (the ``health:`` section of the config)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    redis_rtt_warn_s: float = Field(default=0.1, gt=0)
    lag_warn: int = Field(default=1_000, ge=0)
    lag_fail: int = Field(default=50_000, ge=0)
    pending_warn: int = Field(default=1_000, ge=0)
    dead_letters_warn: int = Field(default=1, ge=0)
    source_failures_warn: int = Field(default=1, ge=0)
    source_failures_fail: int = Field(default=10, ge=0)


@dataclass(frozen=True, slots=True)
class Check:
    key: str  # component:measurement
    status: Status
    observed_value: Any = None
    observed_unit: str | None = None
    component_type: str = "component"
    output: str | None = None
    component_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "componentType": self.component_type,
            "status": self.status,
            "time": datetime.now(UTC).isoformat(),
        }
        if self.component_id is not None:
            out["componentId"] = self.component_id
        if self.observed_value is not None:
            out["observedValue"] = self.observed_value
        if self.observed_unit:
            out["observedUnit"] = self.observed_unit
        if self.output:
            out["output"] = self.output
        return out


def worst(statuses: Sequence[Status]) -> Status:
    return max(statuses, key=lambda s: _RANK[s], default="pass")


def report(service: str, version: str, checks: Sequence[Check]) -> dict[str, Any]:
    status = worst([c.status for c in checks])
    grouped: dict[str, list[dict[str, Any]]] = {}
    for c in checks:
        grouped.setdefault(c.key, []).append(c.to_json())
    body: dict[str, Any] = {
        "status": status,
        "version": version,
        "serviceId": service,
        "description": f"rarewatch {service}",
        "checks": grouped,
    }
    failing = [
        f"{c.key}{'/' + c.component_id if c.component_id else ''}: {c.output}"
        for c in checks
        if c.status != "pass" and c.output
    ]
    if failing:
        body["output"] = "; ".join(failing)
    return body


def http_status(status: Status) -> int:
    return 503 if status == "fail" else 200


def by_threshold(value: float, warn: float, fail: float | None = None) -> Status:
    if fail is not None and value >= fail:
        return "fail"
    if value >= warn:
        return "warn"
    return "pass"


# -- checks shared by every service ------------------------------------------------------
async def redis_check(redis: Redis, thresholds: HealthThresholds) -> Check:
    started = time.perf_counter()
    try:
        await redis.ping()
    except Exception as exc:
        return Check(
            "redis:responseTime",
            "fail",
            component_type="datastore",
            output=f"Redis did not answer PING: {type(exc).__name__}",
        )
    rtt = time.perf_counter() - started
    metrics.REDIS_RTT.set(rtt)
    return Check(
        "redis:responseTime",
        by_threshold(rtt, thresholds.redis_rtt_warn_s),
        round(rtt, 6),
        "s",
        "datastore",
    )


async def group_checks(
    redis: Redis, stream: str, group: str, thresholds: HealthThresholds
) -> list[Check]:
    try:
        lag, pending = await group_stats(redis, stream, group)
        dead = int(await redis.xlen(Names.dead_letters(stream)))
    except Exception as exc:
        return [
            Check(
                "consumer:lag",
                "fail",
                component_id=f"{stream}/{group}",
                output=f"cannot read group state: {type(exc).__name__}",
            )
        ]
    metrics.STREAM_PENDING.labels(stream, group).set(pending)
    if lag is not None:
        metrics.STREAM_LAG.labels(stream, group).set(lag)
    cid = f"{stream}/{group}"
    lag_status: Status = (
        "pass" if lag is None else by_threshold(lag, thresholds.lag_warn, thresholds.lag_fail)
    )
    return [
        Check(
            "consumer:lag",
            lag_status,
            lag,
            "entries",
            component_id=cid,
            output=None if lag_status == "pass" else f"{lag} entries waiting",
        ),
        Check(
            "consumer:pending",
            by_threshold(pending, thresholds.pending_warn),
            pending,
            "entries",
            component_id=cid,
        ),
        Check(
            "deadLetters:count",
            by_threshold(dead, thresholds.dead_letters_warn),
            dead,
            "entries",
            component_id=Names.dead_letters(stream),
            output=None
            if dead < thresholds.dead_letters_warn
            else f"{dead} dead letters: inspect with `rarewatch dlq list`",
        ),
    ]


CheckFn = Callable[[], Awaitable[list[Check]]]
