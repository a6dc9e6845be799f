"""``console``: one readable line per alert on standard output."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Literal

from services.notify.destinations.base import Destination, DestinationConfig, SendResult
from services.notify.notices import Notice, OpsNotice
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


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def notice_lines(notice: Notice) -> list[str]:
    """An operations notice as one line; a digest as a heading and one line per alert."""
    if isinstance(notice, OpsNotice):
        e = notice.event
        return [f"OPS {e.kind} {e.subject}: {e.message}"]
    head = (
        f"DIGEST {len(notice.alerts)} alert(s) for {notice.destination},"
        f" {_utc(notice.since)} to {_utc(notice.until)}"
    )
    return [head, *("  " + format_line(a) for a in notice.alerts)]


class ConsoleDestination(Destination):
    replay_by_default = True
    ops_by_default = True

    async def send(self, alert: Alert) -> SendResult:
        sys.stdout.write(format_line(alert) + "\n")
        sys.stdout.flush()
        return SendResult()

    async def send_notice(self, notice: Notice) -> SendResult:
        sys.stdout.write("".join(line + "\n" for line in notice_lines(notice)))
        sys.stdout.flush()
        return SendResult()
