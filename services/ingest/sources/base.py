"""What every source kind shares: its config base, the poll context, the result."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.durations import parse_duration
from shared.models import RawItem


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
