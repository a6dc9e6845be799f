"""What every destination kind shares: its config base and the one ``send`` method."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
from pydantic import BaseModel, ConfigDict, Field

from shared.durations import Duration
from shared.models import Alert


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


@dataclass(frozen=True, slots=True)
class SendResult:
    status: int | None = None


class Destination(ABC):
    """One configured destination. ``send`` delivers one alert or raises DeliveryError."""

    config: DestinationConfig
    replay_by_default: bool = False

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

    @abstractmethod
    async def send(self, alert: Alert) -> SendResult:
        """Deliver ``alert`` once; raise :class:`shared.errors.DeliveryError` on failure."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release anything the destination holds."""
