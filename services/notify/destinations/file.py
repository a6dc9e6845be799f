"""``file``: every alert (or notice) as one JSON line appended to a file (audit, tests)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Literal

from services.notify.destinations.base import Destination, DestinationConfig, SendResult
from services.notify.notices import Notice, notice_body
from services.notify.payload import webhook_body
from shared.errors import DeliveryError
from shared.models import Alert


class FileDestinationConfig(DestinationConfig):
    kind: Literal["file"]
    path: Path
    concurrency: int = 1


class FileDestination(Destination):
    replay_by_default = True
    config: FileDestinationConfig

    async def send(self, alert: Alert) -> SendResult:
        return await self._append(webhook_body(alert) + b"\n")

    async def send_notice(self, notice: Notice) -> SendResult:
        return await self._append(notice_body(notice) + b"\n")

    async def _append(self, line: bytes) -> SendResult:
        try:
            await asyncio.to_thread(_append, self.config.path, line)
        except OSError as exc:
            raise DeliveryError(
                f"cannot append to {self.config.path}: {exc.strerror}", retryable=True
            ) from None
        return SendResult()


def _append(path: Path, line: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as fh:
        fh.write(line)
