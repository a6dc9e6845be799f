"""Send the alerts of one destination's outbox, with retries, the ledger and dead letters.

Each destination has its own outbox stream and consumer, so one slow or failing
receiver never delays another. An alert is acked only when the receiver took it, the
ledger says it was already delivered, or it was dead-lettered with the reason.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Literal

import structlog
from pydantic import ValidationError
from redis.asyncio import Redis

from services.notify.destinations.base import Destination
from services.notify.ledger import Ledger
from services.notify.retry import next_wait_s
from shared import bus, metrics
from shared.errors import DeliveryError
from shared.logging import get_logger
from shared.models import Alert, DeliveryOutcome, DeliveryRecord, OpsEvent
from shared.names import Names

log = get_logger("notify.sender")

Result = tuple[Literal["done", "failed", "poison"], str]


class Sender:
    def __init__(
        self,
        redis: Redis,
        names: Names,
        destination: Destination,
        ledger: Ledger,
        consumer: str,
        stop: asyncio.Event,
        *,
        maxlen: int,
    ):
        self.redis = redis
        self.names = names
        self.destination = destination
        self.ledger = ledger
        self.consumer = consumer
        self.stop = stop
        self.maxlen = maxlen
        self.stream = names.outbox(destination.id)
        self._sem = asyncio.Semaphore(destination.config.concurrency)
        self._disabled: str | None = None

    async def handle(self, entries: list[bus.Entry]) -> bus.Outcome:
        results = await asyncio.gather(*(self._guarded(e) for e in entries))
        outcome = bus.Outcome()
        for entry, (kind, why) in zip(entries, results, strict=True):
            if kind == "done":
                outcome.done.append(entry.id)
            elif kind == "poison":
                outcome.poison[entry.id] = why
            else:
                outcome.failed[entry.id] = why
        return outcome

    async def _guarded(self, entry: bus.Entry) -> Result:
        async with self._sem:
            return await self.deliver(entry)

    async def deliver(self, entry: bus.Entry) -> Result:
        try:
            alert = entry.model(Alert)
        except (ValidationError, ValueError) as exc:
            return "poison", f"undecodable alert: {exc}"
        with structlog.contextvars.bound_contextvars(
            trace_id=alert.trace_id, alert_id=alert.id, destination=self.destination.id
        ):
            return await self._deliver(entry, alert)

    async def _deliver(self, entry: bus.Entry, alert: Alert) -> Result:
        if await self.ledger.is_delivered(alert.id):
            await self.record(alert, "duplicate")
            return "done", ""
        if await self.disabled_reason():
            return "poison", f"destination {self.destination.id} is disabled: {self._disabled}"
        lock_ms = int(self.destination.config.timeout_s * 1000) + 10_000
        if not await self.ledger.lock(alert.id, self.consumer, lock_ms):
            return "failed", "being sent by another consumer"
        deadline = alert.created_at + self.destination.config.deadline
        while True:
            attempt = await self.ledger.record_attempt(alert.id)
            try:
                result = await self.destination.send(alert)
            except DeliveryError as exc:
                verdict = await self._after_failure(alert, exc, attempt, deadline, entry.id)
                if verdict is not None:
                    return verdict
                continue
            await self.ledger.mark_delivered(alert.id, result.status)
            latency = (datetime.now(UTC) - alert.seen_at).total_seconds()
            await self.record(
                alert, "delivered", attempt=attempt, status=result.status, latency_s=latency
            )
            metrics.DELIVERY_LATENCY.labels(self.destination.id).observe(max(0.0, latency))
            log.info("alert delivered", attempt=attempt, status=result.status)
            return "done", ""

    async def _after_failure(
        self, alert: Alert, exc: DeliveryError, attempt: int, deadline: datetime, msg_id: str
    ) -> Result | None:
        """Decide after a failed attempt: wait and retry (None), or give up (a Result)."""
        reason = str(exc)
        if exc.disable:
            await self.disable(reason)
        if not exc.retryable:
            await self.ledger.mark_dead(alert.id, reason)
            await self.record(
                alert, "dead_lettered", attempt=attempt, status=exc.status, error=reason
            )
            return "poison", reason
        wait = next_wait_s(attempt, exc.retry_after_s)
        if datetime.now(UTC).timestamp() + wait > deadline.timestamp():
            why = f"gave up after {attempt} attempt(s) (deadline passed): {reason}"
            await self.ledger.mark_dead(alert.id, why)
            await self.record(alert, "dead_lettered", attempt=attempt, status=exc.status, error=why)
            return "poison", why
        await self.record(alert, "retrying", attempt=attempt, status=exc.status, error=reason)
        metrics.DELIVERY_RETRIES.labels(self.destination.id).inc()
        log.warning(
            "delivery failed; retrying", attempt=attempt, wait_s=round(wait, 2), error=reason
        )
        if await self._sleep(wait, alert.id, msg_id):
            await self.ledger.unlock(alert.id)
            return "failed", f"stopping; will retry: {reason}"
        return None

    async def _sleep(self, seconds: float, alert_id: str, msg_id: str) -> bool:
        """Wait before a retry, keeping the entry and the lock ours. True when stopping."""
        end = asyncio.get_running_loop().time() + seconds
        while True:
            left = end - asyncio.get_running_loop().time()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.stop.wait(), timeout=min(left, 5.0))
                return True
            except TimeoutError:
                pass
            await self.redis.xclaim(
                self.stream,
                self.names.GROUP_SENDER,
                self.consumer,
                min_idle_time=0,
                message_ids=[msg_id],
                justid=True,
            )
            lock_ms = int(self.destination.config.timeout_s * 1000) + 10_000
            await self.ledger.lock(alert_id, self.consumer, lock_ms)

    async def disabled_reason(self) -> str | None:
        raw = await self.redis.hget(self.names.destination_state(self.destination.id), "disabled")  # type: ignore[misc]
        self._disabled = raw.decode() if isinstance(raw, bytes) else raw
        metrics.DESTINATION_ENABLED.labels(self.destination.id).set(0 if self._disabled else 1)
        return self._disabled

    async def disable(self, reason: str) -> None:
        await self.redis.hset(
            self.names.destination_state(self.destination.id),
            mapping={"disabled": reason, "at": datetime.now(UTC).isoformat()},
        )  # type: ignore[misc]
        metrics.DESTINATION_ENABLED.labels(self.destination.id).set(0)
        event = OpsEvent(
            kind="destination.disabled",
            subject=self.destination.id,
            message=reason,
            at=datetime.now(UTC),
            trace_id="ops",
        )
        await bus.publish(self.redis, self.names.ops, [event], maxlen=10_000)
        log.error("destination disabled", reason=reason)

    async def record(
        self,
        alert: Alert,
        outcome: DeliveryOutcome,
        *,
        attempt: int = 0,
        status: int | None = None,
        error: str | None = None,
        latency_s: float | None = None,
    ) -> None:
        rec = DeliveryRecord(
            alert_id=alert.id,
            destination=self.destination.id,
            outcome=outcome,
            attempt=attempt,
            status=status,
            error=error,
            at=datetime.now(UTC),
            latency_s=latency_s,
            trace_id=alert.trace_id,
        )
        metrics.DELIVERIES.labels(self.destination.id, outcome).inc()
        await bus.publish(self.redis, self.names.deliveries, [rec], maxlen=self.maxlen)
