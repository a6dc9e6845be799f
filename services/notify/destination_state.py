"""A destination's state in Redis (``names.destination_state(id)``): ``disabled`` holds the
reason when a receiver refused us for good (410, a revoked Slack hook). A disabled
destination takes no alerts until an operator clears the flag
(``rarewatch dlq enable-destination ID``)."""

from __future__ import annotations

from datetime import UTC, datetime

from redis.asyncio import Redis

from shared import bus, metrics
from shared.models import OpsEvent
from shared.names import Names

OPS_MAXLEN = 10_000


async def disabled_reason(redis: Redis, names: Names, destination: str) -> str | None:
    raw = await redis.hget(names.destination_state(destination), "disabled")
    reason = raw.decode() if isinstance(raw, bytes) else raw
    metrics.DESTINATION_ENABLED.labels(destination).set(0 if reason else 1)
    return reason


async def disable(redis: Redis, names: Names, destination: str, reason: str) -> None:
    """Mark the destination disabled and tell operations (``{ns}:ops``)."""
    now = datetime.now(UTC)
    await redis.hset(
        names.destination_state(destination),
        mapping={"disabled": reason, "at": now.isoformat()},
    )
    metrics.DESTINATION_ENABLED.labels(destination).set(0)
    event = OpsEvent(
        kind="destination.disabled", subject=destination, message=reason, at=now, trace_id="ops"
    )
    await bus.publish(redis, names.ops, [event], maxlen=OPS_MAXLEN)


async def enable(redis: Redis, names: Names, destination: str) -> bool:
    """Clear the disabled flag; False when it was not set."""
    removed = await redis.hdel(names.destination_state(destination), "disabled", "at")
    metrics.DESTINATION_ENABLED.labels(destination).set(1)
    return bool(removed)
