"""Source kinds: one file per kind with its config model beside it (see ``registry``)."""

from services.ingest.sources.base import (
    PollContext,
    PollResult,
    Source,
    SourceConfig,
    StateStore,
)
from services.ingest.sources.federal_register import (
    FederalRegisterSource,
    FederalRegisterSourceConfig,
)
from services.ingest.sources.gdelt import GdeltSource, GdeltSourceConfig
from services.ingest.sources.registry import (
    SourceConfigUnion,
    build_source,
    default_sources,
    parse_sources,
)
from services.ingest.sources.rss import RssSource, RssSourceConfig

__all__ = [
    "FederalRegisterSource",
    "FederalRegisterSourceConfig",
    "GdeltSource",
    "GdeltSourceConfig",
    "PollContext",
    "PollResult",
    "RssSource",
    "RssSourceConfig",
    "Source",
    "SourceConfig",
    "SourceConfigUnion",
    "StateStore",
    "build_source",
    "default_sources",
    "parse_sources",
]
