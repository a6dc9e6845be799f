"""The delivery audit: every attempt and decision about one message at one destination is a
:class:`~shared.models.DeliveryRecord` in ``{ns}:deliveries`` and a count in
``rarewatch_deliveries_total{destination, outcome}``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from redis.asyncio import Redis

from shared import bus, metrics
from shared.models import DeliveryOutcome, DeliveryRecord
from shared.names import Names


def delivery_record(
    msg_id: str,
    destination: str,
    outcome: DeliveryOutcome,
    trace_id: str,
    *,
    attempt: int = 0,
    status: int | None = None,
    error: str | None = None,
    latency_s: float | None = None,
    silence_id: str | None = None,
    at: datetime | None = None,
) -> DeliveryRecord:
    """Build a record and count it in the metrics."""
    metrics.DELIVERIES.labels(destination, outcome).inc()
    return DeliveryRecord(
        alert_id=msg_id,
        destination=destination,
        outcome=outcome,
        attempt=attempt,
        status=status,
        error=error,
        at=at or datetime.now(UTC),
        latency_s=latency_s,
        trace_id=trace_id,
        silence_id=silence_id,
    )


async def publish_records(
    redis: Redis, names: Names, records: Sequence[DeliveryRecord], *, maxlen: int
) -> None:
    await bus.publish(redis, names.deliveries, records, maxlen=maxlen)
