"""Send the messages of one destination's outbox (alerts, ops notices, digests), with
retries, the ledger and dead letters.

Each destination has its own outbox stream and consumer, so one slow or failing
receiver never delays another. An entry is acked only when the receiver took it, the
ledger says it was already delivered, or it was dead-lettered with the reason. The
deadline runs from the first attempt recorded in the ledger.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Literal

import structlog
from pydantic import ValidationError
from redis.asyncio import Redis

from services.notify import destination_state
from services.notify.audit import delivery_record, publish_records
from services.notify.destinations.base import Destination, SendResult
from services.notify.ledger import Ledger
from services.notify.notices import Outgoing, decode_outgoing
from services.notify.retry import next_wait_s
from shared import bus, metrics
from shared.errors import DeliveryError
from shared.logging import get_logger
from shared.models import Alert, DeliveryOutcome
from shared.names import Names

log = get_logger("notify.sender")

Result = tuple[Literal["done", "failed", "poison"], str]
KEEP_CLAIM_EVERY_S = 5.0


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
        self._lock_ms = int(destination.config.timeout_s * 1000) + 10_000

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
            msg = decode_outgoing(entry.fields)
        except (ValidationError, ValueError) as exc:
            return "poison", f"undecodable outbox entry: {exc}"
        with structlog.contextvars.bound_contextvars(
            trace_id=msg.trace_id, alert_id=msg.id, destination=self.destination.id
        ):
            return await self._deliver(entry, msg)

    async def _deliver(self, entry: bus.Entry, msg: Outgoing) -> Result:
        # the owner is per entry: two entries with one alert id never share the lock
        owner = f"{self.consumer}:{entry.id}"
        while True:
            state = await self.ledger.state(msg.id)
            if state == "delivered":
                await self.record(msg, "duplicate")
                return "done", ""
            if state == "dead":
                why = await self.ledger.error(msg.id) or "unknown error"
                return "poison", f"already dead-lettered: {why}"
            reason = await destination_state.disabled_reason(
                self.redis, self.names, self.destination.id
            )
            if reason:
                await self.record(msg, "disabled", error=reason)
                return "poison", f"destination {self.destination.id} is disabled: {reason}"
            if await self.ledger.lock(msg.id, owner, self._lock_ms):
                # look again under the lock: another copy may have been sent since
                if await self.ledger.state(msg.id) in ("delivered", "dead"):
                    await self.ledger.unlock(msg.id)
                    continue
                return await self._send_with_retries(entry, msg, owner)
            # another consumer is sending it: wait for its verdict, then look again
            if not await self.ledger.wait_unlocked(msg.id, self._lock_ms / 1000):
                return "failed", "being sent by another consumer"

    async def _send_with_retries(self, entry: bus.Entry, msg: Outgoing, owner: str) -> Result:
        while True:
            attempt, first_at = await self.ledger.record_attempt(msg.id)
            deadline = first_at + self.destination.config.deadline
            try:
                result = await self._send(msg)
            except DeliveryError as exc:
                verdict = await self._after_failure(msg, exc, attempt, deadline, entry.id, owner)
                if verdict is not None:
                    return verdict
                continue
            await self.ledger.mark_delivered(msg.id, result.status, by=self.consumer)
            latency: float | None = None
            if isinstance(msg, Alert):
                latency = max(0.0, (datetime.now(UTC) - msg.seen_at).total_seconds())
                metrics.DELIVERY_LATENCY.labels(self.destination.id).observe(latency)
            await self.record(
                msg, "delivered", attempt=attempt, status=result.status, latency_s=latency
            )
            log.info("delivered", type=msg.type, attempt=attempt, status=result.status)
            return "done", ""

    async def _send(self, msg: Outgoing) -> SendResult:
        if isinstance(msg, Alert):
            return await self.destination.send(msg)
        return await self.destination.send_notice(msg)

    async def _after_failure(
        self,
        msg: Outgoing,
        exc: DeliveryError,
        attempt: int,
        deadline: datetime,
        msg_id: str,
        owner: str,
    ) -> Result | None:
        """Decide after a failed attempt: wait and retry (None), or give up (a Result)."""
        reason = str(exc)
        if exc.disable:
            await destination_state.disable(self.redis, self.names, self.destination.id, reason)
            log.error("destination disabled", reason=reason)
        if not exc.retryable:
            await self.ledger.mark_dead(msg.id, reason)
            await self.record(
                msg, "dead_lettered", attempt=attempt, status=exc.status, error=reason
            )
            return "poison", reason
        wait = next_wait_s(attempt, exc.retry_after_s)
        if datetime.now(UTC).timestamp() + wait > deadline.timestamp():
            why = f"gave up after {attempt} attempt(s) (deadline passed): {reason}"
            await self.ledger.mark_dead(msg.id, why)
            await self.record(msg, "dead_lettered", attempt=attempt, status=exc.status, error=why)
            return "poison", why
        await self.record(msg, "retrying", attempt=attempt, status=exc.status, error=reason)
        metrics.DELIVERY_RETRIES.labels(self.destination.id).inc()
        log.warning(
            "delivery failed; retrying", attempt=attempt, wait_s=round(wait, 2), error=reason
        )
        if await self._sleep(wait, msg.id, msg_id, owner):
            await self.ledger.unlock(msg.id)
            return "failed", f"stopping; will retry: {reason}"
        return None

    async def _sleep(self, seconds: float, alert_id: str, msg_id: str, owner: str) -> bool:
        """Wait before a retry, keeping the entry and the lock ours. True when stopping."""
        end = asyncio.get_running_loop().time() + seconds
        while True:
            left = end - asyncio.get_running_loop().time()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.stop.wait(), timeout=min(left, KEEP_CLAIM_EVERY_S))
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
            await self.ledger.lock(alert_id, owner, self._lock_ms)

    async def record(
        self,
        msg: Outgoing,
        outcome: DeliveryOutcome,
        *,
        attempt: int = 0,
        status: int | None = None,
        error: str | None = None,
        latency_s: float | None = None,
    ) -> None:
        rec = delivery_record(
            msg.id,
            self.destination.id,
            outcome,
            msg.trace_id,
            attempt=attempt,
            status=status,
            error=error,
            latency_s=latency_s,
        )
        await publish_records(self.redis, self.names, [rec], maxlen=self.maxlen)
