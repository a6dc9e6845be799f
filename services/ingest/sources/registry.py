"""Source kinds by name: the config union discriminated on ``kind`` and the builder."""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any

import yaml
from pydantic import Field, TypeAdapter

from services.ingest.sources.base import Source, SourceConfig
from services.ingest.sources.federal_register import (
    FederalRegisterSource,
    FederalRegisterSourceConfig,
)
from services.ingest.sources.gdelt import GdeltSource, GdeltSourceConfig
from services.ingest.sources.rss import RssSource, RssSourceConfig

SourceConfigUnion = Annotated[
    RssSourceConfig | FederalRegisterSourceConfig | GdeltSourceConfig,
    Field(discriminator="kind"),
]
SOURCE_KINDS: dict[type[SourceConfig], type[Source]] = {
    RssSourceConfig: RssSource,
    FederalRegisterSourceConfig: FederalRegisterSource,
    GdeltSourceConfig: GdeltSource,
}
SOURCES_ADAPTER: TypeAdapter[list[SourceConfigUnion]] = TypeAdapter(list[SourceConfigUnion])
DEFAULT_SOURCES_FILE = "default_sources.yaml"


def build_source(config: SourceConfig) -> Source:
    """The source object for one validated config (its class is chosen by ``kind``)."""
    try:
        kind = SOURCE_KINDS[type(config)]
    except KeyError:
        raise TypeError(f"no source kind registered for {type(config).__name__}") from None
    return kind(config)


def parse_sources(raw: Any) -> list[SourceConfigUnion]:
    """Validate a ``sources:`` list; a bad entry raises pydantic's ValidationError whose
    location names the index, the kind and the key (e.g. ``2.gdelt.max_records``)."""
    configs = SOURCES_ADAPTER.validate_python(raw)
    ids = [c.id for c in configs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"source ids must be unique; repeated: {', '.join(duplicates)}")
    return configs


def default_sources() -> list[SourceConfigUnion]:
    """The bundled sources a critical-minerals desk would watch (``default_sources.yaml``)."""
    text = resources.files("services.ingest").joinpath(DEFAULT_SOURCES_FILE).read_text("utf-8")
    return parse_sources(yaml.safe_load(text)["sources"])
