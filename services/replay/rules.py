"""The rules a backtest runs: a vocabulary (classifier rules) and a route set (routes,
destination ids, story window), each from a file.

A route set is read from any rarewatch config file without building its destinations, so
a backtest needs no secrets: only ``routes``, the destinations' ``id`` and the ``classify``
section are looked at, and ``${VAR}`` is substituted in those parts only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from services.classify.model import Classifier
from services.classify.vocabulary import load_vocabulary
from services.config import DEFAULT_FILE
from services.notify.routing import Route, check_routes
from shared.durations import Duration
from shared.errors import ConfigError
from shared.settings import environ, substitute, validate_file

RulesKind = Literal["vocabulary", "config"]
DEFAULT_STORY_WINDOW = timedelta(hours=72)


class _DestinationId(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str


class _ClassifyPart(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    vocabulary: Path | None = None
    story_window: Duration = DEFAULT_STORY_WINDOW


class RouteFile(BaseModel):
    """The parts of a config file a backtest uses."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    destinations: tuple[_DestinationId, ...] = ()
    routes: tuple[Route, ...] = ()
    classify: _ClassifyPart = Field(default_factory=_ClassifyPart)


@dataclass(frozen=True)
class RuleSet:
    vocabulary_label: str
    routes_label: str
    classifier: Classifier
    routes: tuple[Route, ...]
    destinations: tuple[str, ...]
    story_window: timedelta

    @property
    def label(self) -> str:
        return f"vocabulary {self.vocabulary_label}; routes {self.routes_label}"


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of keys")
    return data


def kind_of(path: Path) -> RulesKind:
    """A vocabulary (it has ``minerals``) or a config (``routes``/``destinations``…)."""
    data = _read(path)
    if "minerals" in data:
        return "vocabulary"
    if {"routes", "destinations", "classify", "namespace"} & set(data):
        return "config"
    raise ConfigError(
        f"{path}: neither a vocabulary (no 'minerals' key) nor a config file "
        "(no 'routes' or 'destinations' key)"
    )


def read_route_file(path: Path | None) -> RouteFile:
    data = dict(DEFAULT_FILE) if path is None else _read(path)
    where = "built-in default config" if path is None else str(path)
    env = environ()
    destinations = data.get("destinations") or []
    if not isinstance(destinations, list):
        raise ConfigError(f"{where}: destinations must be a list")
    part = {
        "destinations": [
            {"id": substitute(d.get("id"), env, f"destinations[{i}].id")}
            for i, d in enumerate(destinations)
            if isinstance(d, dict)
        ],
        "routes": substitute(data.get("routes") or [], env, "routes"),
        "classify": substitute(data.get("classify") or {}, env, "classify"),
    }
    parsed = validate_file(RouteFile, part, where)
    check_routes(parsed.routes, [d.id for d in parsed.destinations])
    return parsed


def classifier_for(path: Path | None) -> tuple[Classifier, str]:
    vocabulary = load_vocabulary(path)
    label = str(path) if path is not None else "built-in"
    return Classifier(vocabulary), f"{label} (version {vocabulary.version})"


def load_rules(config: Path | None, vocabulary: Path | None = None) -> RuleSet:
    """Routes and story window from ``config`` (None: the built-in default); the vocabulary
    from ``vocabulary``, else the one the config names, else the built-in one."""
    routes = read_route_file(config)
    classifier, vocab_label = classifier_for(vocabulary or routes.classify.vocabulary)
    return RuleSet(
        vocabulary_label=vocab_label,
        routes_label=str(config) if config is not None else "built-in",
        classifier=classifier,
        routes=routes.routes,
        destinations=tuple(d.id for d in routes.destinations),
        story_window=routes.classify.story_window,
    )


def with_routes(base: RuleSet, path: Path) -> RuleSet:
    """``base`` with the routes and destinations of the config file ``path``."""
    routes = read_route_file(path)
    return replace(
        base,
        routes_label=str(path),
        routes=routes.routes,
        destinations=tuple(d.id for d in routes.destinations),
    )


def with_file(base: RuleSet, path: Path) -> RuleSet:
    """``base`` with one file's rules in place: a vocabulary replaces the classifier; a
    config replaces routes, destinations and story window (and the vocabulary, if it
    names one)."""
    if kind_of(path) == "vocabulary":
        classifier, label = classifier_for(path)
        return replace(base, classifier=classifier, vocabulary_label=label)
    routes = read_route_file(path)
    out = replace(
        base,
        routes_label=str(path),
        routes=routes.routes,
        destinations=tuple(d.id for d in routes.destinations),
        story_window=routes.classify.story_window,
    )
    if routes.classify.vocabulary is not None:
        classifier, label = classifier_for(routes.classify.vocabulary)
        out = replace(out, classifier=classifier, vocabulary_label=label)
    return out
