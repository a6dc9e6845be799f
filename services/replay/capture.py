"""The capture file: plain JSON lines, readable by any tool.

Line 1 is a header::

    {"format": "rarewatch-capture", "version": 1, "namespace": "rarewatch",
     "stream": "items", "from": "1767225600000-0", "to": "1767229200000-0",
     "from_time": "...", "to_time": "...", "follow": false, "recorded_at": "..."}

then one line per stream entry, in stream order::

    {"id": "1767225600000-0", "time": "2026-01-01T00:00:00.000Z",
     "type": "RawItem", "data": {...the model as JSON...}}

``id`` is the entry's original stream id and ``time`` the time its id encodes; replay and
backtest take time from ``time`` (never from the clock). The reader reports a bad line
(not JSON, not an entry, data that does not fit its model) with its line number and goes
on with the rest; only a missing or unreadable header stops it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.errors import RarewatchError
from shared.models import ClassifiedEvent, DeliveryRecord, RawItem

FORMAT = "rarewatch-capture"
VERSION = 1

StreamKind = Literal["items", "events", "deliveries"]
STREAM_MODELS: dict[str, type[BaseModel]] = {
    "items": RawItem,
    "events": ClassifiedEvent,
    "deliveries": DeliveryRecord,
}
MODEL_BY_TYPE: dict[str, type[BaseModel]] = {m.__name__: m for m in STREAM_MODELS.values()}


class CaptureError(RarewatchError):
    """The file is not a capture this version can read (the message says why)."""


class CaptureHeader(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    format: Literal["rarewatch-capture"] = "rarewatch-capture"
    version: int = VERSION
    namespace: str
    stream: StreamKind
    from_: str | None = Field(default=None, alias="from", description="first id asked for")
    to: str | None = Field(default=None, description="last id asked for; null with --follow")
    from_time: datetime | None = None
    to_time: datetime | None = None
    follow: bool = False
    recorded_at: datetime

    def line(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json", by_alias=True)) + b"\n"


@dataclass(frozen=True, slots=True)
class CapturedEntry:
    line: int
    id: str
    time: datetime
    type: str
    model: BaseModel


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


# -- times and ids ---------------------------------------------------------------------
def id_ms(stream_id: str) -> int:
    return int(stream_id.split("-", 1)[0])


def id_time(stream_id: str) -> datetime:
    return datetime.fromtimestamp(id_ms(stream_id) / 1000, tz=UTC)


def iso(t: datetime) -> str:
    """Millisecond ISO time in UTC with a ``Z``: stable text for ids' times."""
    return t.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- writing ---------------------------------------------------------------------------
def entry_line(stream_id: str, type_: str, data: bytes) -> bytes:
    """One entry line from a stream entry's fields; ``data`` must be a JSON object."""
    parsed = orjson.loads(data)
    if not isinstance(parsed, dict):
        raise ValueError("data is not a JSON object")
    record = {"id": stream_id, "time": iso(id_time(stream_id)), "type": type_, "data": parsed}
    return orjson.dumps(record) + b"\n"


# -- reading ---------------------------------------------------------------------------
def read_header(first: bytes | None) -> CaptureHeader:
    if first is None or not first.strip():
        raise CaptureError("line 1: empty file, no capture header")
    try:
        raw = orjson.loads(first)
    except orjson.JSONDecodeError as exc:
        raise CaptureError(f"line 1: the header is not JSON ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise CaptureError(f'line 1: not a capture header (want "format": "{FORMAT}")')
    if isinstance(raw.get("version"), int) and raw["version"] > VERSION:
        raise CaptureError(
            f"line 1: capture version {raw['version']} is newer than this rarewatch reads "
            f"({VERSION}); upgrade rarewatch"
        )
    try:
        return CaptureHeader.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or "header"
        raise CaptureError(f"line 1: header {where}: {err['msg']}") from None


def parse_entry(number: int, line: bytes) -> CapturedEntry | LineError:
    try:
        raw = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return LineError(number, f"not JSON (truncated or corrupt line?): {exc}")
    if not isinstance(raw, dict):
        return LineError(number, "not a JSON object")
    missing = [k for k in ("id", "time", "type", "data") if k not in raw]
    if missing:
        return LineError(number, f"missing {', '.join(missing)}")
    model = MODEL_BY_TYPE.get(raw["type"]) if isinstance(raw["type"], str) else None
    if model is None:
        return LineError(number, f"unknown type {raw['type']!r}; known: {sorted(MODEL_BY_TYPE)}")
    try:
        when = datetime.fromisoformat(str(raw["time"]))
    except ValueError:
        return LineError(number, f"time {raw['time']!r} is not an ISO time")
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        data = model.model_validate(raw["data"])
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or "data"
        return LineError(number, f"data.{where}: {err['msg']}")
    return CapturedEntry(number, str(raw["id"]), when, raw["type"], data)


def iter_entries(
    lines: IO[bytes], on_error: Callable[[LineError], None]
) -> Iterator[CapturedEntry]:
    """Entries after the header (line 2 onwards); bad lines go to ``on_error``."""
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        parsed = parse_entry(number, line)
        if isinstance(parsed, LineError):
            on_error(parsed)
        else:
            yield parsed


class CaptureReader:
    """``with CaptureReader(path, on_error) as cap:`` then ``cap.header`` and ``cap.entries()``.

    Every bad line is also kept in ``errors`` (in file order)."""

    def __init__(self, path: Path, on_error: Callable[[LineError], None] | None = None):
        self.path = path
        self.errors: list[LineError] = []
        self._on_error = on_error
        try:
            self._fh: IO[bytes] = path.open("rb")
        except OSError as exc:
            raise CaptureError(f"cannot read {path}: {exc.strerror}") from None
        try:
            self.header = read_header(self._fh.readline() or None)
        except CaptureError as exc:
            self._fh.close()
            raise CaptureError(f"{path}: {exc}") from None

    def _error(self, err: LineError) -> None:
        self.errors.append(err)
        if self._on_error is not None:
            self._on_error(err)

    def entries(self) -> Iterator[CapturedEntry]:
        """Entries in file order; bad lines, and entries of another stream's type, are
        reported (and kept in ``errors``) instead."""
        want = STREAM_MODELS[self.header.stream].__name__
        for entry in iter_entries(self._fh, self._error):
            if entry.type != want:
                self._error(
                    LineError(
                        entry.line,
                        f"type {entry.type} does not belong in a "
                        f"{self.header.stream} capture (want {want})",
                    )
                )
                continue
            yield entry

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> CaptureReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
