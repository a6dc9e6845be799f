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
from typing import Literal

from services.classify.model import Classifier
from services.classify.vocabulary import load_vocabulary
from services.config import read_routing_file
from services.notify.routing import Route
from shared.errors import ConfigError
from shared.settings import LenientEnv, environ, read_yaml

RulesKind = Literal["vocabulary", "config"]


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


def kind_of(path: Path) -> RulesKind:
    """A vocabulary (it has ``minerals``) or a config (``routes``/``destinations``…)."""
    data = read_yaml(path, LenientEnv(environ()))
    if "minerals" in data:
        return "vocabulary"
    if {"routes", "destinations", "classify", "namespace"} & set(data):
        return "config"
    raise ConfigError(
        f"{path}: neither a vocabulary (no 'minerals' key) nor a config file "
        "(no 'routes' or 'destinations' key)"
    )


def classifier_for(path: Path | None) -> tuple[Classifier, str]:
    vocabulary = load_vocabulary(path)
    label = str(path) if path is not None else "built-in"
    return Classifier(vocabulary), f"{label} (version {vocabulary.version})"


def load_rules(config: Path | None, vocabulary: Path | None = None) -> RuleSet:
    """Routes and story window from ``config`` (None: the built-in default); the vocabulary
    from ``vocabulary``, else the one the config names, else the built-in one."""
    routes = read_routing_file(config)
    classifier, vocab_label = classifier_for(vocabulary or routes.classify.vocabulary)
    return RuleSet(
        vocabulary_label=vocab_label,
        routes_label=str(config) if config is not None else "built-in",
        classifier=classifier,
        routes=tuple(routes.routes),
        destinations=routes.destination_ids,
        story_window=routes.classify.story_window,
    )


def with_routes(base: RuleSet, path: Path) -> RuleSet:
    """``base`` with the routes and destinations of the config file ``path``."""
    routes = read_routing_file(path)
    return replace(
        base,
        routes_label=str(path),
        routes=tuple(routes.routes),
        destinations=routes.destination_ids,
    )


def with_file(base: RuleSet, path: Path) -> RuleSet:
    """``base`` with one file's rules in place: a vocabulary replaces the classifier; a
    config replaces routes, destinations and story window (and the vocabulary, if it
    names one)."""
    if kind_of(path) == "vocabulary":
        classifier, label = classifier_for(path)
        return replace(base, classifier=classifier, vocabulary_label=label)
    routes = read_routing_file(path)
    out = replace(
        base,
        routes_label=str(path),
        routes=tuple(routes.routes),
        destinations=routes.destination_ids,
        story_window=routes.classify.story_window,
    )
    if routes.classify.vocabulary is not None:
        classifier, label = classifier_for(routes.classify.vocabulary)
        out = replace(out, classifier=classifier, vocabulary_label=label)
    return out
