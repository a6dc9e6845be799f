"""What every destination kind shares: its config base and the one ``send`` method."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.notify.notices import Notice
from shared.durations import Duration
from shared.errors import DeliveryError
from shared.models import Alert, Level

DIGEST_LEVELS = (Level.LOW, Level.MEDIUM)


class DigestConfig(BaseModel):
    """``digest: {levels: [low], every: 1h}``: alerts at these levels are held and sent as
    one message per interval (at multiples of ``every`` since the epoch, UTC)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    levels: tuple[Level, ...] = Field(default=(Level.LOW,), min_length=1)
    every: Duration = timedelta(hours=1)

    @field_validator("levels", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("levels")
    @classmethod
    def _low_levels_only(cls, value: tuple[Level, ...]) -> tuple[Level, ...]:
        for level in value:
            if level not in DIGEST_LEVELS:
                raise ValueError(
                    f"{level.value!r} cannot be held for a digest; allowed: low, medium"
                    " (high and critical alerts always go out at once)"
                )
        return value

    @field_validator("every")
    @classmethod
    def _sane_interval(cls, value: timedelta) -> timedelta:
        if not timedelta(seconds=1) <= value <= timedelta(days=7):
            raise ValueError("must be between 1s and 7d (e.g. 15m, 1h, 1d)")
        return value


class DestinationConfig(BaseModel):
    """Fields every destination kind has. Each kind subclasses it with ``kind: Literal[...]``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    timeout_s: float = Field(default=10.0, gt=0, le=120)
    deadline: Duration = Field(
        default=timedelta(hours=1), description="give up retrying (dead-letter) after this long"
    )
    concurrency: int = Field(default=4, ge=1, le=64)
    allow_replay: bool | None = Field(
        default=None, description="deliver replayed alerts here (default: console and file only)"
    )
    ops: bool | None = Field(
        default=None,
        description="also send operations notices (source down/recovered, destination"
        " disabled) here (default: console only)",
    )
    digest: DigestConfig | None = Field(
        default=None, description="hold alerts at some low levels for one message per interval"
    )


@dataclass(frozen=True, slots=True)
class SendResult:
    status: int | None = None


class Destination(ABC):
    """One configured destination. ``send`` delivers one alert or raises DeliveryError."""

    config: DestinationConfig
    replay_by_default: bool = False
    ops_by_default: bool = False

    def __init__(self, config: DestinationConfig, session: aiohttp.ClientSession):
        self.config = config
        self.session = session

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def allows_replay(self) -> bool:
        if self.config.allow_replay is None:
            return self.replay_by_default
        return self.config.allow_replay

    @property
    def receives_ops(self) -> bool:
        if self.config.ops is None:
            return self.ops_by_default
        return self.config.ops

    @abstractmethod
    async def send(self, alert: Alert) -> SendResult:
        """Deliver ``alert`` once; raise :class:`shared.errors.DeliveryError` on failure."""

    async def send_notice(self, notice: Notice) -> SendResult:
        """Deliver an operations notice or a digest; kinds that can override this."""
        raise DeliveryError(
            f"destination {self.id} cannot send {notice.type} messages", retryable=False
        )

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release anything the destination holds."""
