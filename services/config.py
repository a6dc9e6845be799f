"""The whole configuration file (design.md §6) as one validated model, and its loader.

Each source and destination kind keeps its own config model beside its class; this
module only assembles them. Environment settings (``REDIS_URL``, ``RAREWATCH_NAMESPACE``)
win over the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from services.ingest.sources.registry import SourceConfigUnion, default_sources
from services.notify.destinations.registry import KIND_NAMES as DESTINATION_KINDS
from services.notify.destinations.registry import DestinationConfigUnion
from services.notify.routing import Route, check_routes
from shared.bus import BusSettings
from shared.durations import Duration
from shared.errors import ConfigError
from shared.health import HealthThresholds
from shared.settings import (
    EnvSettings,
    LenientEnv,
    environ,
    read_yaml,
    register_discriminators,
    substitute,
    validate_file,
)

register_discriminators(*DESTINATION_KINDS, "rss", "federal_register", "gdelt")


STORY_WINDOW = timedelta(hours=72)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestConfig(_Section):
    host: str = "0.0.0.0"
    port: int = Field(default=8081, ge=0, le=65535)
    push_token: SecretStr | None = Field(
        default=None, description="Bearer token for POST /v1/items; unset = push disabled"
    )
    max_body_bytes: int = Field(default=1_000_000, gt=0)
    max_items_per_push: int = Field(default=1_000, gt=0)
    contact_url: str = "https://github.com/rarewatch/rarewatch"
    dedup_ttl: Duration = timedelta(days=30)
    down_after_failures: int = Field(default=3, ge=1)

    @field_validator("push_token")
    @classmethod
    def _empty_is_unset(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not v.get_secret_value().strip():
            return None
        if v is not None and len(v.get_secret_value()) < 8:
            raise ValueError("use at least 8 characters (or leave it unset to disable push)")
        return v


class ClassifyConfig(_Section):
    host: str = "0.0.0.0"
    port: int = Field(default=8082, ge=0, le=65535)
    vocabulary: Path | None = Field(default=None, description="a vocabulary file to use instead")
    story_window: Duration = STORY_WINDOW


class NotifyConfig(_Section):
    host: str = "0.0.0.0"
    port: int = Field(default=8083, ge=0, le=65535)
    ledger_ttl: Duration = timedelta(days=30)
    drain_timeout_s: float = Field(default=10.0, gt=0)


class BusConfig(_Section):
    batch: int = Field(default=200, ge=1, le=10_000)
    block_ms: int = Field(default=2000, ge=10, le=60_000)
    claim_idle_ms: int = Field(default=60_000, ge=10)
    claim_every_s: float = Field(default=5.0, gt=0)
    max_deliveries: int = Field(default=5, ge=1)
    maxlen: int = Field(default=100_000, ge=100)

    def settings(self) -> BusSettings:
        return BusSettings(**self.model_dump())


class Config(_Section):
    namespace: str = Field(default="rarewatch", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    redis_url: str | None = None
    consumer: str | None = Field(
        default=None, description="consumer name in the groups (default: the host name)"
    )
    ingest: IngestConfig = IngestConfig()
    classify: ClassifyConfig = ClassifyConfig()
    notify: NotifyConfig = NotifyConfig()
    bus: BusConfig = BusConfig()
    health: HealthThresholds = HealthThresholds()
    sources: list[SourceConfigUnion] = Field(default_factory=list)
    destinations: list[DestinationConfigUnion] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_check(self) -> Config:
        _unique("sources", [s.id for s in self.sources])
        _unique("destinations", [d.id for d in self.destinations])
        try:
            check_routes(self.routes, [d.id for d in self.destinations])
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return self

    def secrets(self) -> list[str]:
        """Every secret value in the config, so logs can redact them."""
        out: list[str] = []
        if self.ingest.push_token:
            out.append(self.ingest.push_token.get_secret_value())
        for d in self.destinations:
            for name in ("url", "secret", "previous_secret"):
                v = getattr(d, name, None)
                if isinstance(v, SecretStr):
                    out.append(v.get_secret_value())
        if self.redis_url and "@" in self.redis_url:
            out.append(self.redis_url.split("://", 1)[-1].rsplit("@", 1)[0])
        return out


def _unique(where: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, v in enumerate(ids):
        if v in seen:
            raise ValueError(f"{where}[{i}].id: {v!r} is used twice; ids must be unique")
        seen.add(v)


DEFAULT_FILE = {
    "ingest": {"push_token": "${RAREWATCH_PUSH_TOKEN:-}"},
    "destinations": [{"id": "console", "kind": "console"}],
    "routes": [{"match": {"min_level": "medium"}, "to": ["console"]}],
}


class _DestinationId(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str


class _ClassifyPart(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    vocabulary: Path | None = None
    story_window: Duration = STORY_WINDOW


class RoutingFile(BaseModel):
    """The parts of a config file that routing tools use (``routes test``, ``backtest``):
    routes, destination ids and the classify section; no destination is built, so the
    secrets need not be in the environment."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    destinations: list[_DestinationId] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list)
    classify: _ClassifyPart = Field(default_factory=_ClassifyPart)

    @property
    def destination_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.destinations)


def read_routing_file(path: Path | None) -> RoutingFile:
    """Routes, destination ids and classify settings of ``path`` (None: the built-in
    default), with unset ``${VAR}`` tolerated and routes checked against destinations."""
    env = LenientEnv(environ())
    if path is None:
        data, where = substitute(DEFAULT_FILE, env), "built-in default config"
    else:
        data, where = read_yaml(path, env), str(path)
    parsed = validate_file(RoutingFile, data, where)
    check_routes(parsed.routes, parsed.destination_ids)
    return parsed


def load_config(
    path: Path | None, env: EnvSettings, environment: Mapping[str, str] | None = None
) -> Config:
    """Read, substitute and validate the config; environment settings win over the file."""
    path = path or env.rarewatch_config
    if path is None:
        data: dict[str, Any] = substitute(
            DEFAULT_FILE, environ() if environment is None else environment
        )
        where = "built-in default config"
    else:
        data = read_yaml(Path(path), environ() if environment is None else environment)
        where = str(path)
    if "sources" not in data:
        data["sources"] = default_sources()
    if env.redis_url:
        data["redis_url"] = env.redis_url
    if env.rarewatch_namespace:
        data["namespace"] = env.rarewatch_namespace
    return validate_file(Config, data, where)
