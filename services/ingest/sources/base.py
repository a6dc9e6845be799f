"""What every source kind shares: its config base, the poll context, the result."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.models import RawItem

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)", re.IGNORECASE)
_DURATION_UNITS_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: object) -> object:
    """``"30s"``, ``"5m"``, ``"1h30m"``, ``"2d"`` or a number of seconds -> timedelta.

    ISO 8601 (``"PT5M"``) and ``"00:05:00"`` are handed to pydantic's own timedelta parsing;
    any other string raises ``ValueError`` naming the accepted forms.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return timedelta(seconds=float(text))
        if text and re.fullmatch(rf"(?:{_DURATION_PART.pattern})+", text, re.IGNORECASE):
            seconds = sum(
                float(n) * _DURATION_UNITS_S[u.lower()] for n, u in _DURATION_PART.findall(text)
            )
            return timedelta(seconds=seconds)
        if not (text[:1].upper() == "P" or ":" in text):
            raise ValueError(f"{value!r} is not a duration; use e.g. 30s, 5m, 1h, 1h30m or seconds")
    return value


class SourceConfig(BaseModel):
    """Fields every source kind has. Each kind subclasses it with ``kind: Literal[...]``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    every: timedelta = Field(default=timedelta(minutes=10), description="poll interval, e.g. 5m")
    jitter: timedelta = Field(default=timedelta(seconds=30))
    timeout_s: float = Field(default=20.0, gt=0, le=300)
    max_bytes: int = Field(default=5_000_000, gt=0)
    official: bool = False
    enabled: bool = True

    @field_validator("every", "jitter", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value)

    @field_validator("every")
    @classmethod
    def _every_floor(cls, value: timedelta) -> timedelta:
        if value < timedelta(seconds=10):
            raise ValueError("must be at least 10s (e.g. 30s, 5m, 1h)")
        return value

    @field_validator("jitter")
    @classmethod
    def _jitter_non_negative(cls, value: timedelta) -> timedelta:
        if value < timedelta(0):
            raise ValueError("must not be negative")
        return value


class StateStore(Protocol):
    """Per-source persistent state (validators, watermarks), kept in Redis by ingest."""

    async def load(self, source_id: str) -> dict[str, str]: ...

    async def save(self, source_id: str, values: dict[str, str]) -> None: ...


@dataclass(frozen=True, slots=True)
class PollContext:
    session: aiohttp.ClientSession
    state: StateStore
    user_agent: str
    now: Callable[[], datetime]
    trace_id: Callable[[], str]


@dataclass(slots=True)
class PollResult:
    items: list[RawItem] = field(default_factory=list)
    not_modified: bool = False
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    state: dict[str, str] | None = None
    """Values to store with ``ctx.state.save(source_id, state)`` once the items are safely
    published (conditional-GET validators, watermarks). Sources never save state themselves:
    saving before publishing could lose items on a crash (at-least-once)."""


class Source(ABC):
    """One configured source. ``poll`` fetches once and returns normalised items."""

    config: SourceConfig

    def __init__(self, config: SourceConfig):
        self.config = config

    @property
    def id(self) -> str:
        return self.config.id

    @abstractmethod
    async def poll(self, ctx: PollContext) -> PollResult:
        """Fetch once. Raise :class:`shared.errors.SourceError` (or a subclass) on failure."""
