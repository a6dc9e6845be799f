"""Poll every configured source on its own APScheduler job (interval plus jitter,
``max_instances=1``, coalesce, first poll at start-up), publish what it finds, keep its
health, and publish an operations event when it goes down or comes back."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.ingest.health_state import SourceHealth
from services.ingest.publisher import ItemPublisher
from services.ingest.sources.base import PollContext, Source
from shared import metrics
from shared.errors import SourceError
from shared.logging import get_logger, redact
from shared.models import OpsEvent

log = get_logger("ingest.scheduler")

OpsSink = Callable[[OpsEvent], Awaitable[None]]


class SourceRunner:
    """One source: poll, publish, and account for the outcome."""

    def __init__(
        self,
        source: Source,
        ctx: PollContext,
        publisher: ItemPublisher,
        ops: OpsSink,
        *,
        down_after: int,
    ):
        self.source = source
        self.ctx = ctx
        self.publisher = publisher
        self.ops = ops
        self.health = SourceHealth(source.id, down_after=down_after)

    async def poll_once(self) -> None:
        sid = self.source.id
        now = self.ctx.now()
        if self.health.should_skip(now):
            log.debug("backing off", source=sid, until=str(self.health.next_poll_not_before))
            return
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(source=sid):
            try:
                result = await self.source.poll(self.ctx)
                published = await self.publisher.publish(result.items, label=sid)
                if result.state is not None:  # validators, watermarks: only once published
                    await self.ctx.state.save(sid, result.state)
            except SourceError as exc:
                await self._failed(now, str(exc), exc.retry_after_s)
                return
            except Exception as exc:  # a bad source never stops the others
                await self._failed(now, f"{type(exc).__name__}: {exc}", None)
                log.exception("source poll crashed", source=sid)
                return
            finally:
                metrics.FETCH_DURATION.labels(sid).observe(time.perf_counter() - started)
            metrics.ITEMS_FETCHED.labels(sid).inc(len(result.items))
            metrics.SOURCE_POLLS.labels(sid, "not_modified" if result.not_modified else "ok").inc()
            metrics.SOURCE_LAST_SUCCESS.labels(sid).set(time.time())
            metrics.SOURCE_CONSECUTIVE_FAILURES.labels(sid).set(0)
            transition = self.health.succeeded(now, len(result.items), len(published.accepted))
            traces = {i.id: i.trace_id for i in result.items}
            for item_id in published.accepted:
                log.info("item published", item_id=item_id, trace_id=traces.get(item_id))
            log.info(
                "source polled",
                items=len(result.items),
                new=len(published.accepted),
                duplicates=len(published.duplicates),
                not_modified=result.not_modified,
                duration_s=round(time.perf_counter() - started, 3),
            )
            if transition == "recovered":
                await self._ops("source.recovered", f"source {sid} is answering again")

    async def _failed(self, now: datetime, error: str, retry_after_s: float | None) -> None:
        sid = self.source.id
        error = redact(error)
        metrics.SOURCE_POLLS.labels(sid, "error").inc()
        transition = self.health.failed(now, error, retry_after_s)
        metrics.SOURCE_CONSECUTIVE_FAILURES.labels(sid).set(self.health.consecutive_failures)
        log.warning(
            "source poll failed",
            error=error,
            consecutive_failures=self.health.consecutive_failures,
            next_poll_not_before=str(self.health.next_poll_not_before or ""),
        )
        if transition == "down":
            await self._ops(
                "source.down",
                f"source {sid} failed {self.health.consecutive_failures} times in a row: {error}",
            )

    async def _ops(self, kind: str, message: str) -> None:
        event = OpsEvent(
            kind=kind,  # type: ignore[arg-type]
            subject=self.source.id,
            message=message,
            at=self.ctx.now(),
            trace_id=self.ctx.trace_id(),
        )
        try:
            await self.ops(event)
        except Exception:
            log.exception("could not publish operations event", kind=kind)


def schedule(scheduler: AsyncIOScheduler, runners: list[SourceRunner]) -> None:
    """One job per source: interval plus jitter, one at a time, first run now."""
    now = datetime.now(UTC)
    for runner in runners:
        cfg = runner.source.config
        scheduler.add_job(
            runner.poll_once,
            "interval",
            seconds=cfg.every.total_seconds(),
            jitter=cfg.jitter.total_seconds() or None,
            id=f"source:{cfg.id}",
            name=f"poll {cfg.id}",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(30, int(cfg.every.total_seconds() / 2)),
            next_run_time=now,
        )
