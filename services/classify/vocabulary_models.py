"""The shape of ``vocabulary.yaml``: frozen pydantic models that reject unknown keys and
check cross-references (a mineral's group, an actor's country) with errors naming the key."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

_WORD = r"[^\W_]+(?:['’.&/-][^\W_]+)*\*?"
_PHRASE = re.compile(rf"^\s*{_WORD}(?:[\s_-]+{_WORD})*\s*$")
_TOKEN_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_phrase(value: str) -> str:
    if not _PHRASE.match(value):
        raise ValueError(
            f"{value!r} is not a phrase (words, spaces, hyphens; '*' only ends a word)"
        )
    for word in value.replace("-", " ").split():
        if word.endswith("*") and len(word) < 4:
            raise ValueError(f"{value!r}: a word ending in '*' needs at least 3 letters before it")
    return value


def _check_symbol(value: str) -> str:
    if not re.fullmatch(r"[^\W_]+", value):
        raise ValueError(f"{value!r} is not a symbol (one word, case-sensitive, no spaces)")
    return value


def _check_key(value: str) -> str:
    if not _TOKEN_KEY.match(value):
        raise ValueError(f"{value!r} is not a token (lowercase letters, digits, underscores)")
    return value


Phrase = Annotated[str, AfterValidator(_check_phrase)]
Symbol = Annotated[str, AfterValidator(_check_symbol)]
Token = Annotated[str, AfterValidator(_check_key)]
Phrases = tuple[Phrase, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MineralSpec(_Strict):
    names: Phrases = Field(min_length=1)
    symbols: tuple[Symbol, ...] = Field(default=(), description="counted only in brackets: (Dy)")
    compounds: Phrases = ()
    groups: tuple[Token, ...] = ()


class GroupSpec(_Strict):
    names: Phrases = Field(min_length=1)
    symbols: tuple[Symbol, ...] = ()


class CountrySpec(_Strict):
    names: Phrases = Field(min_length=1)
    symbols: tuple[Symbol, ...] = ()
    major_producer_of: tuple[Token, ...] = ()


class ActorSpec(_Strict):
    names: Phrases = Field(min_length=1)
    symbols: tuple[Symbol, ...] = ()
    country: Token | None = None
    official: bool = True


class InstrumentSpec(_Strict):
    label: str
    names: Phrases = ()
    symbols: tuple[Symbol, ...] = ()


class Instruments(_Strict):
    export_control: InstrumentSpec
    licence: InstrumentSpec
    ban: InstrumentSpec
    tariff: InstrumentSpec
    sanction: InstrumentSpec
    stockpile: InstrumentSpec
    quota: InstrumentSpec
    trade_talks: InstrumentSpec
    investment: InstrumentSpec
    disruption: InstrumentSpec
    state_control: InstrumentSpec
    designation: InstrumentSpec
    project: InstrumentSpec


class Cues(_Strict):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    restrict: Phrases
    enact: Phrases
    enact_headline: Phrases = ()
    effective: Phrases = ()
    ease_hard: Phrases
    ease_soft: Phrases
    toggle: Phrases
    export: Phrases
    import_: Phrases = Field(alias="import")
    technology: Phrases
    require: Phrases = ()
    production: Phrases
    shutdown: Phrases
    restart: Phrases
    new_supply: Phrases = ()
    data_report: Phrases = ()
    legislate: Phrases = ()
    withhold: Phrases = ()
    shortage: Phrases
    up: Phrases
    down: Phrases
    down_severe: Phrases
    price: Phrases
    outcome: Phrases
    breakdown: Phrases
    grant: Phrases
    soft: Phrases
    extend: Phrases
    background: Phrases
    ignore: Phrases = ()
    investment_weak: Phrases
    intent: Phrases = ()
    purchase: Phrases = ()
    stockpile_strong: Phrases
    recycling: Phrases
    route: Phrases = ()
    large_share: Phrases = ()
    partial: Phrases = ()
    exempt: Phrases = ()
    volatile: Phrases = ()
    dispute: Phrases = ()
    ruling: Phrases = ()
    keep: Phrases = ()
    condition: Phrases = ()
    remove: Phrases = ()
    release: Phrases = ()
    distress: Phrases = ()
    lean_up: Phrases = ()
    lean_down: Phrases = ()
    glut: Phrases = ()
    distant: Phrases = ()
    later: Phrases = ()
    far: Phrases = ()
    merger: Phrases = ()
    decline: Phrases = ()


class Hedges(_Strict):
    weak: Phrases
    strong: Phrases
    neutralise: Phrases


class ImpliedTopic(_Strict):
    countries: tuple[Token, ...] = Field(min_length=2)
    minerals: tuple[Token, ...] = Field(min_length=1)
    reason: str


class Relevance(_Strict):
    context: Phrases
    veto: Phrases
    negatives: Phrases
    offtopic: Phrases
    implied: tuple[ImpliedTopic, ...] = ()


class Commentary(_Strict):
    title: Phrases
    lead: Phrases
    url: tuple[str, ...]


class Vocabulary(_Strict):
    version: str = Field(min_length=1)
    minerals: dict[Token, MineralSpec] = Field(min_length=1)
    groups: dict[Token, GroupSpec]
    countries: dict[Token, CountrySpec]
    actors: dict[Token, ActorSpec]
    instruments: Instruments
    cues: Cues
    hedges: Hedges
    negations: Phrases
    relevance: Relevance
    commentary: Commentary
    official_hosts: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _cross_references(self) -> Vocabulary:
        tokens = set(self.minerals) | set(self.groups)
        problems = []
        for name, mineral in self.minerals.items():
            for i, group in enumerate(mineral.groups):
                if group not in self.groups:
                    problems.append(f"minerals.{name}.groups[{i}]: unknown group {group!r}")
        for name, spec in self.countries.items():
            for i, token in enumerate(spec.major_producer_of):
                if token not in tokens:
                    where = f"countries.{name}.major_producer_of[{i}]"
                    problems.append(f"{where}: unknown mineral or group {token!r}")
        for name, actor in self.actors.items():
            if actor.country is not None and actor.country not in self.countries:
                problems.append(f"actors.{name}.country: unknown country {actor.country!r}")
        for i, implied in enumerate(self.relevance.implied):
            for c in implied.countries:
                if c not in self.countries:
                    problems.append(f"relevance.implied[{i}].countries: unknown country {c!r}")
            for token in implied.minerals:
                if token not in tokens:
                    problems.append(f"relevance.implied[{i}].minerals: unknown mineral {token!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self
