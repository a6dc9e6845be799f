"""Source configs: the kind-discriminated union, durations, errors that name the key, and
the bundled default sources."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from services.ingest.sources import (
    FederalRegisterSource,
    GdeltSource,
    RssSource,
    build_source,
    default_sources,
    parse_sources,
)
from shared.durations import parse_duration

DESIGN_EXAMPLE = [  # design.md §6
    {
        "id": "fedreg",
        "kind": "federal_register",
        "terms": ["rare earth", "critical mineral"],
        "every": "15m",
    },
    {
        "id": "gdelt",
        "kind": "gdelt",
        "query": '"rare earth" OR gallium OR antimony',
        "every": "10m",
    },
    {"id": "mining-news", "kind": "rss", "url": "https://example.org/feed.xml", "every": "5m"},
]


def test_design_example_builds_one_source_per_kind() -> None:
    sources = [build_source(c) for c in parse_sources(DESIGN_EXAMPLE)]
    assert [type(s) for s in sources] == [FederalRegisterSource, GdeltSource, RssSource]
    assert [s.config.every for s in sources] == [
        timedelta(minutes=15),
        timedelta(minutes=10),
        timedelta(minutes=5),
    ]
    assert sources[0].config.official and not sources[2].config.official


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30s", 30),
        ("5m", 300),
        ("1h", 3600),
        ("1h30m", 5400),
        ("2d", 172800),
        (90, 90),
        ("45", 45),
        ("PT2M", 120),
    ],
)
def test_durations(value: object, expected: int) -> None:
    cfg = parse_sources([{**DESIGN_EXAMPLE[2], "every": value}])[0]
    assert cfg.every == timedelta(seconds=expected)
    assert parse_duration("5m") == timedelta(minutes=5)


@pytest.mark.parametrize(
    ("entry", "where", "what"),
    [
        (
            {"id": "x", "kind": "atom", "url": "https://e.org/"},
            "0",
            "'rss', 'federal_register', 'gdelt'",
        ),
        (
            {"id": "x", "kind": "rss", "url": "https://e.org/", "colour": "red"},
            "0.rss.colour",
            "Extra inputs",
        ),
        ({"id": "x", "kind": "rss", "url": "ftp://e.org/"}, "0.rss.url", "http:// or https://"),
        (
            {"id": "x", "kind": "rss", "url": "https://e.org/", "every": "soon"},
            "0.rss.every",
            "not a duration",
        ),
        (
            {"id": "x", "kind": "rss", "url": "https://e.org/", "every": "2s"},
            "0.rss.every",
            "at least 10s",
        ),
        ({"id": "x y", "kind": "rss", "url": "https://e.org/"}, "0.rss.id", "pattern"),
        (
            {"id": "x", "kind": "gdelt", "query": "antimony", "max_records": 900},
            "0.gdelt.max_records",
            "250",
        ),
    ],
)
def test_invalid_entries_name_the_key(entry: dict[str, object], where: str, what: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_sources([entry])
    text = str(err.value)
    assert where in text and what in text


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="repeated: gdelt"):
        parse_sources([DESIGN_EXAMPLE[1], DESIGN_EXAMPLE[1]])


def test_default_sources_cover_the_desk() -> None:
    configs = default_sources()
    kinds = {c.kind for c in configs}
    assert kinds == {"rss", "federal_register", "gdelt"}
    text = " ".join(str(c.model_dump()) for c in configs).lower()
    for topic in (
        "rare",
        "gallium",
        "germanium",
        "antimony",
        "graphite",
        "tungsten",
        "lithium",
        "cobalt",
        "export",
    ):
        assert topic in text, topic
    assert all(c.every >= timedelta(minutes=10) for c in configs)
    assert any(c.official and c.kind == "rss" for c in configs)
    assert all(build_source(c).id == c.id for c in configs)
