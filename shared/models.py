"""The messages that cross service boundaries, one frozen pydantic model each.

Every model carries ``schema_version`` so a consumer can tell an old entry from a new
one when a stream outlives a deploy. Streams hold these models serialised with
:mod:`shared.codec`; nothing untyped crosses a service boundary.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Level(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return LEVEL_ORDER.index(self)

    def raised(self, steps: int = 1) -> Level:
        return LEVEL_ORDER[min(len(LEVEL_ORDER) - 1, self.rank + steps)]


LEVEL_ORDER: tuple[Level, ...] = (
    Level.NONE,
    Level.LOW,
    Level.MEDIUM,
    Level.HIGH,
    Level.CRITICAL,
)


class Direction(StrEnum):
    TIGHTENING = "tightening"
    EASING = "easing"
    NEUTRAL = "neutral"


class RawItem(Frozen):
    """One news or policy item as ingest saw it, normalised."""

    schema_version: int = SCHEMA_VERSION
    id: str
    title: str
    summary: str = ""
    url: str | None = None
    source: str = Field(description="id of the source that produced it (or the pusher's name)")
    sources: tuple[str, ...] = Field(
        default=(), description="every source that carried the same canonical URL"
    )
    publisher: str | None = Field(default=None, description="the outlet, e.g. the URL's host")
    published_at: datetime | None = None
    published_is_fallback: bool = Field(
        default=False, description="True when published_at is the first-seen time"
    )
    seen_at: datetime
    language: str | None = None
    official: bool = Field(default=False, description="a government or regulator source")
    trace_id: str
    replay: bool = False


class Evidence(Frozen):
    text: str
    reason: str


class Classification(Frozen):
    """What classify decided about one item, with the reasons."""

    level: Level
    score: int = Field(ge=0, le=100)
    direction: Direction
    minerals: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    classifier_version: str


class StoryRef(Frozen):
    """The story an item belongs to, as known when the item was classified."""

    id: str
    item_ids: tuple[str, ...]
    sources_count: int = Field(description="distinct independent publishers")
    official: bool = Field(description="an official source confirms the story")
    level: Level = Field(description="the story's level after corroboration")


class ClassifiedEvent(Frozen):
    schema_version: int = SCHEMA_VERSION
    item: RawItem
    classification: Classification
    story: StoryRef
    classified_at: datetime

    @property
    def trace_id(self) -> str:
        return self.item.trace_id


class ItemRef(Frozen):
    id: str
    title: str
    url: str | None = None
    source: str


AlertType = Literal["alert.created", "alert.escalated"]


class Alert(Frozen):
    """One alert for one destination: the webhook payload's ``data``."""

    schema_version: int = SCHEMA_VERSION
    id: str
    type: AlertType
    destination: str
    level: Level
    score: int
    direction: Direction
    minerals: tuple[str, ...]
    countries: tuple[str, ...]
    instruments: tuple[str, ...]
    title: str
    url: str | None
    source: str
    published_at: datetime | None
    evidence: tuple[Evidence, ...]
    item: ItemRef
    story: StoryRef
    classifier_version: str
    seen_at: datetime = Field(description="when ingest first saw the item")
    created_at: datetime
    trace_id: str
    replay: bool = False


DeliveryOutcome = Literal[
    "delivered",
    "retrying",
    "failed",
    "dead_lettered",
    "duplicate",
    "silenced",
    "disabled",
]


class DeliveryRecord(Frozen):
    """One attempt (or decision) about one alert at one destination."""

    schema_version: int = SCHEMA_VERSION
    alert_id: str
    destination: str
    outcome: DeliveryOutcome
    attempt: int = 0
    status: int | None = None
    error: str | None = None
    at: datetime
    latency_s: float | None = Field(
        default=None, description="seconds from the item being seen to the receiver's answer"
    )
    trace_id: str
    silence_id: str | None = Field(default=None, description="the silence that held it back")


class OpsEvent(Frozen):
    """An operations notice (a source down or back, a destination disabled)."""

    schema_version: int = SCHEMA_VERSION
    kind: Literal["source.down", "source.recovered", "destination.disabled"]
    subject: str
    message: str
    at: datetime
    trace_id: str


class ItemIn(BaseModel):
    """An item as a partner pushes it (``POST /v1/items``) or ``rarewatch score`` reads it.

    Unknown fields are ignored; ``excerpt`` and ``published`` are accepted as aliases.
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    title: str = Field(min_length=1, max_length=2000)
    summary: str = Field(
        default="", max_length=20000, validation_alias=AliasChoices("summary", "excerpt")
    )
    url: str | None = Field(default=None, max_length=4000)
    source: str | None = Field(default=None, max_length=200)
    published_at: datetime | None = Field(
        default=None, validation_alias=AliasChoices("published_at", "published")
    )
    id: str | None = Field(default=None, min_length=1, max_length=200)
    official: bool = False
