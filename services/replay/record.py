"""``rarewatch record``: copy a stream (or an id/time range of it) into a capture file.

Without ``--follow`` the recording is a snapshot: it ends at the stream's last entry when
recording began (or at ``--to``), and the header names that last id. With ``--follow`` the
header is written first with ``"to": null`` and ``"follow": true``; entries are appended
(and flushed) as they arrive until the stop event is set (Ctrl-C).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from redis.asyncio import Redis

from services.replay.capture import CaptureHeader, StreamKind, entry_line, id_time
from shared.errors import RarewatchError

PAGE = 1000
FOLLOW_BLOCK_MS = 1000


class RangeError(RarewatchError):
    """A --from/--to value is neither a stream id nor an ISO time."""


def parse_bound(value: str) -> str:
    """A stream id (``1767225600000-0`` or ``1767225600000``) or an ISO time, as an id."""
    text = value.strip()
    head, _, seq = text.partition("-")
    if head.isdigit() and (seq == "" or seq.isdigit()):
        return text
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RangeError(
            f"{value!r} is neither a stream id (1767225600000-0) nor an ISO time "
            "(2026-01-01T10:00:00Z)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return str(int(when.timestamp() * 1000))


def id_key(stream_id: str) -> tuple[int, int]:
    ms, _, seq = stream_id.partition("-")
    return int(ms), int(seq or 0)


@dataclass
class RecordResult:
    written: int = 0
    skipped: int = 0


def _decode(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


class Recorder:
    def __init__(
        self,
        redis: Redis,
        stream_key: str,
        out: IO[bytes],
        on_skip: Callable[[str, str], None] = lambda _id, _why: None,
    ):
        self.redis = redis
        self.stream_key = stream_key
        self.out = out
        self.on_skip = on_skip
        self.result = RecordResult()
        self.last_id: str | None = None

    async def header(
        self, namespace: str, stream: StreamKind, start: str | None, end: str | None, follow: bool
    ) -> tuple[str, str]:
        """Write the header; return the XRANGE bounds to read."""
        first: Any = await self.redis.xrange(self.stream_key, count=1)
        last: Any = await self.redis.xrevrange(self.stream_key, count=1)
        lo = start if start is not None else (_decode(first[0][0]) if first else None)
        hi = end if end is not None else (_decode(last[0][0]) if last else None)
        if follow:
            hi = None
        header = CaptureHeader.model_validate(
            {
                "namespace": namespace,
                "stream": stream,
                "from": lo,
                "to": hi,
                "from_time": id_time(lo) if lo else None,
                "to_time": id_time(hi) if hi else None,
                "follow": follow,
                "recorded_at": datetime.now(UTC),
            }
        )
        self.out.write(header.line())
        self.out.flush()
        if follow:
            return (start or "-"), "+"
        return (start or "-"), (hi or "-")  # an empty stream: an empty range

    def _write(self, raw: Any) -> None:
        for msg_id, fields in raw:
            mid = _decode(msg_id)
            self.last_id = mid
            data = fields.get(b"data") if fields else None
            type_ = fields.get(b"type") if fields else None
            if data is None or type_ is None:
                self.result.skipped += 1
                self.on_skip(mid, "the entry has no type/data fields")
                continue
            try:
                self.out.write(entry_line(mid, _decode(type_), data))
            except ValueError as exc:
                self.result.skipped += 1
                self.on_skip(mid, f"data is not a JSON object ({exc})")
                continue
            self.result.written += 1
        self.out.flush()

    async def copy_range(self, lo: str, hi: str) -> None:
        start = lo
        while True:
            raw: Any = await self.redis.xrange(self.stream_key, min=start, max=hi, count=PAGE)
            if not raw:
                return
            self._write(raw)
            if len(raw) < PAGE:
                return
            start = "(" + _decode(raw[-1][0])

    async def follow(self, start: str | None, stop: asyncio.Event) -> None:
        """After the catch-up range: new entries (XREAD BLOCK) until ``stop`` is set."""
        if self.last_id is not None:
            cursor = self.last_id
        else:
            last: Any = await self.redis.xrevrange(self.stream_key, count=1)
            cursor = _decode(last[0][0]) if last else "0-0"
        floor = id_key(start) if start else (0, 0)
        while not stop.is_set():
            reply: Any = await self.redis.xread(
                {self.stream_key: cursor}, count=PAGE, block=FOLLOW_BLOCK_MS
            )
            for _key, raw in reply or []:
                cursor = _decode(raw[-1][0])
                self._write([(i, f) for i, f in raw if id_key(_decode(i)) >= floor])


async def record(
    redis: Redis,
    namespace: str,
    stream: StreamKind,
    stream_key: str,
    out: IO[bytes],
    *,
    start: str | None = None,
    end: str | None = None,
    follow: bool = False,
    stop: asyncio.Event | None = None,
    on_skip: Callable[[str, str], None] = lambda _id, _why: None,
) -> RecordResult:
    """Write header and entries of ``stream_key`` to ``out``; see the module docstring."""
    recorder = Recorder(redis, stream_key, out, on_skip)
    lo, hi = await recorder.header(namespace, stream, start, end, follow)
    await recorder.copy_range(lo, hi)
    if follow:
        await recorder.follow(start, stop or asyncio.Event())
    return recorder.result
