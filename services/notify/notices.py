"""What a destination's outbox holds besides alerts: operations notices and digests.

An outbox entry is an :class:`~shared.models.Alert`, an :class:`OpsNotice` or a
:class:`Digest`, told apart by the entry's ``type`` field (the model's name). All three go
through the same sender: ledger, retries, deadline, dead letters. Their webhook payloads
have the shape of design.md §8: ``{"type", "timestamp", "data"}``, signed the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
from pydantic import Field

from services.notify.payload import webhook_payload
from shared import codec
from shared.models import SCHEMA_VERSION, Alert, Frozen, OpsEvent

OpsType = Literal["ops.source.down", "ops.source.recovered", "ops.destination.disabled"]
OPS_TYPES: dict[str, OpsType] = {
    "source.down": "ops.source.down",
    "source.recovered": "ops.source.recovered",
    "destination.disabled": "ops.destination.disabled",
}


def _stable_id(prefix: str, *parts: str) -> str:
    key = "\x1f".join(parts)
    return prefix + hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


class OpsNotice(Frozen):
    """One operations event for one destination."""

    schema_version: int = SCHEMA_VERSION
    id: str
    type: OpsType
    destination: str
    event: OpsEvent
    created_at: datetime
    trace_id: str


class Digest(Frozen):
    """The alerts held for a destination's digest, sent as one message."""

    schema_version: int = SCHEMA_VERSION
    id: str
    type: Literal["alert.digest"] = "alert.digest"
    destination: str
    alerts: tuple[Alert, ...] = Field(min_length=1)
    since: datetime = Field(description="when the oldest alert in it was made")
    until: datetime = Field(description="the end of the digest's period")
    created_at: datetime
    trace_id: str = "digest"


Notice = OpsNotice | Digest
Outgoing = Alert | OpsNotice | Digest
_BY_TYPE: dict[str, type[Outgoing]] = {"Alert": Alert, "OpsNotice": OpsNotice, "Digest": Digest}


def ops_notice(event: OpsEvent, destination: str, now: datetime) -> OpsNotice:
    """Stable id per event and destination: a redelivered ops entry is deduped by the ledger."""
    return OpsNotice(
        id=_stable_id("ops_", event.kind, event.subject, event.at.isoformat(), destination),
        type=OPS_TYPES[event.kind],
        destination=destination,
        event=event,
        created_at=now,
        trace_id=event.trace_id,
    )


def digest_id(destination: str, period: int, part: int) -> str:
    return _stable_id("dgst_", destination, str(period), str(part))


def digests(
    alerts: Sequence[Alert],
    destination: str,
    *,
    period: int,
    until: datetime,
    now: datetime,
    per_message: int,
) -> list[Digest]:
    """The held alerts as digest messages of at most ``per_message`` alerts each."""
    out = []
    for part, start in enumerate(range(0, len(alerts), per_message)):
        chunk = tuple(alerts[start : start + per_message])
        out.append(
            Digest(
                id=digest_id(destination, period, part),
                destination=destination,
                alerts=chunk,
                since=min(a.created_at for a in chunk),
                until=until,
                created_at=now,
            )
        )
    return out


def notice_payload(notice: Notice) -> dict[str, Any]:
    """``{"type": "ops.source.down" | "alert.digest", "timestamp": ..., "data": {...}}``."""
    data: dict[str, Any]
    if isinstance(notice, OpsNotice):
        data = {"id": notice.id, **notice.event.model_dump(mode="json", exclude={"trace_id"})}
        data.pop("schema_version", None)
        when = notice.event.at
    else:
        data = {
            "id": notice.id,
            "since": notice.since.isoformat(),
            "until": notice.until.isoformat(),
            "count": len(notice.alerts),
            "alerts": [{"type": a.type, **webhook_payload(a)["data"]} for a in notice.alerts],  # type: ignore[dict-item]
        }
        when = notice.created_at
    return {"type": notice.type, "timestamp": when.astimezone(UTC).isoformat(), "data": data}


def notice_body(notice: Notice) -> bytes:
    """The exact bytes sent (and signed): stable for one notice across retries."""
    return orjson.dumps(notice_payload(notice))


def decode_outgoing(fields: dict[bytes, bytes]) -> Outgoing:
    """An outbox entry as its model; entries without a ``type`` field are alerts."""
    raw_type = fields.get(codec.TYPE_FIELD.encode(), b"Alert").decode()
    model = _BY_TYPE.get(raw_type)
    if model is None:
        raise ValueError(f"unknown outbox entry type {raw_type!r}")
    return codec.from_fields(model, fields)
