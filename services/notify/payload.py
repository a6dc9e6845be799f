"""The webhook payload of design.md §8, built once so every destination agrees."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from shared.models import Alert


def webhook_payload(alert: Alert, now: datetime | None = None) -> dict[str, object]:
    data = alert.model_dump(mode="json", exclude={"schema_version", "destination", "trace_id"})
    return {
        "type": alert.type,
        "timestamp": (now or alert.created_at).astimezone(UTC).isoformat(),
        "data": data,
    }


def webhook_body(alert: Alert) -> bytes:
    """The exact bytes sent (and signed): stable for one alert across retries."""
    return orjson.dumps(webhook_payload(alert))
