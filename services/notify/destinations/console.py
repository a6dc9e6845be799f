"""``console``: one readable line per alert on standard output."""

from __future__ import annotations

import sys
from typing import Literal

from services.notify.destinations.base import Destination, DestinationConfig, SendResult
from shared.models import Alert


class ConsoleDestinationConfig(DestinationConfig):
    kind: Literal["console"]


def format_line(alert: Alert) -> str:
    minerals = ",".join(alert.minerals) or "-"
    tag = " [replay]" if alert.replay else ""
    verb = "ESCALATED" if alert.type == "alert.escalated" else "ALERT"
    return (
        f"{verb}{tag} {alert.level.upper():8} {alert.direction:10} {minerals:30} "
        f"{alert.title} ({alert.source}; story {alert.story.id}, "
        f"{alert.story.sources_count} source(s)) {alert.url or ''}".rstrip()
    )


class ConsoleDestination(Destination):
    replay_by_default = True

    async def send(self, alert: Alert) -> SendResult:
        sys.stdout.write(format_line(alert) + "\n")
        sys.stdout.flush()
        return SendResult()
