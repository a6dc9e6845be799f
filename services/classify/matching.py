"""Phrase matching in one pass over the words: the classifier's only look at the text.

A text is split into sentences (the title is sentence 0) and words. At each word the longest
vocabulary phrase that starts there wins, and all the tags it carries are recorded as
:class:`Hit` s; then matching continues after it. Phrases are indexed by their first word, so
most words cost one dictionary lookup; words matching a ``prefix*`` are cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

Tag = tuple[str, str]
Unit = tuple[str, bool]  # (word, is_prefix)

_WORDS = re.compile(r"[^\W_]+")
_PHRASE_WORDS = re.compile(r"[^\W_]+\*?")
# A sentence ends at . ! ? followed by space and a capital or quote; "U.S. Commerce" does not
# split because the letter before the dot is a capital.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)\]\"”'’…][.!?])\s+(?=[\"“‘'(]?[A-Z])")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
_CACHE_LIMIT = 200_000

IGNORE = "ignore"
INSTR = "instr"  # hits of this category are also indexed by key


class Hit(NamedTuple):
    cat: str
    key: str
    start: int  # word index in the sentence
    end: int  # exclusive
    text: str  # the words as written


@dataclass(slots=True)
class Sentence:
    index: int  # 0 = title, 1 = first sentence of the summary, ...
    text: str
    words: list[str]
    hits: list[Hit] = field(default_factory=list)
    by_cat: dict[str, list[Hit]] = field(default_factory=dict)
    by_key: dict[str, list[Hit]] = field(default_factory=dict)  # instrument key -> hits

    def get(self, cat: str) -> list[Hit]:
        return self.by_cat.get(cat, _EMPTY)

    def has(self, cat: str) -> bool:
        return cat in self.by_cat


_EMPTY: list[Hit] = []


def phrase_units(phrase: str) -> tuple[Unit, ...]:
    words = _PHRASE_WORDS.findall(phrase.lower())
    return tuple((w[:-1], True) if w.endswith("*") else (w, False) for w in words)


def split_sentences(text: str) -> list[str]:
    text = text.strip()
    return [s for s in _SENTENCE_END.split(text) if s] if text else []


class _Phrase(NamedTuple):
    units: tuple[Unit, ...]
    tags: tuple[Tag, ...]


class Tagger:
    """Built once per vocabulary; ``tag()`` is pure and thread-safe (the cache only grows)."""

    def __init__(self) -> None:
        self._phrases: dict[tuple[Unit, ...], list[Tag]] = {}
        self._symbols: dict[str, list[Tag]] = {}
        self._bracketed: dict[str, list[Tag]] = {}
        self._exact: dict[str, list[_Phrase]] = {}
        self._prefix: dict[str, list[_Phrase]] = {}
        self._prefix_lens: tuple[int, ...] = ()
        self._cache: dict[str, tuple[_Phrase, ...]] = {}
        self._symbol_words: frozenset[str] = frozenset()

    # ---- building -------------------------------------------------------------------------
    def add(self, phrases: Iterable[str], tag: Tag) -> None:
        for phrase in phrases:
            units = phrase_units(phrase)
            tags = self._phrases.setdefault(units, [])
            if tag not in tags:
                tags.append(tag)

    def add_symbols(self, symbols: Iterable[str], tag: Tag, *, bracketed: bool = False) -> None:
        table = self._bracketed if bracketed else self._symbols
        for symbol in symbols:
            tags = table.setdefault(symbol, [])
            if tag not in tags:
                tags.append(tag)

    def freeze(self) -> Tagger:
        exact: dict[str, list[_Phrase]] = {}
        prefix: dict[str, list[_Phrase]] = {}
        for units, tags in self._phrases.items():
            entry = _Phrase(units, tuple(tags))
            word, is_prefix = units[0]
            (prefix if is_prefix else exact).setdefault(word, []).append(entry)
        self._exact, self._prefix = exact, prefix
        self._prefix_lens = tuple(sorted({len(w) for w in prefix}))
        self._symbol_words = frozenset(w.lower() for w in (*self._symbols, *self._bracketed))
        self._cache = {}
        return self

    def _candidates(self, word: str) -> tuple[_Phrase, ...]:
        found = list(self._exact.get(word, ()))
        for n in self._prefix_lens:
            if n > len(word):
                break
            found.extend(self._prefix.get(word[:n], ()))
        found.sort(key=lambda p: (-len(p.units), any(pre for _, pre in p.units)))
        result = tuple(found)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = result
        return result

    # ---- matching -------------------------------------------------------------------------
    def tag_sentence(self, text: str, index: int) -> Sentence:
        text = _POSSESSIVE.sub("", text)
        lower = text.lower()
        if len(lower) != len(text):  # rare Unicode case changes that alter the length
            lower = "".join(c.lower()[:1] or c for c in text)
        matches = list(_WORDS.finditer(lower))
        words = [m.group() for m in matches]
        sent = Sentence(index, text, words)
        hits = sent.hits
        cache = self._cache
        symbols = self._symbol_words
        n = len(words)
        i = 0
        while i < n:
            word = words[i]
            cands = cache.get(word)
            if cands is None:
                cands = self._candidates(word)
            if cands:
                matched = 0
                found: list[Tag] = []
                for units, tags in cands:
                    size = len(units)
                    if size < matched:
                        break  # candidates come longest first; same-length matches merge
                    if i + size > n:
                        continue
                    for k in range(1, size):
                        w, pre = units[k]
                        other = words[i + k]
                        if (other != w) if not pre else (not other.startswith(w)):
                            break
                    else:
                        matched = size
                        found.extend(t for t in tags if t not in found)
                if matched:
                    if found[0][0] != IGNORE:
                        span = text[matches[i].start() : matches[i + matched - 1].end()]
                        for cat, key in found:
                            hits.append(Hit(cat, key, i, i + matched, span))
                    i += matched
                    continue
            if word in symbols:
                self._symbol(text, matches[i].start(), matches[i].end(), i, hits)
            i += 1
        by_cat = sent.by_cat
        for hit in hits:
            lst = by_cat.get(hit.cat)
            if lst is None:
                by_cat[hit.cat] = [hit]
            else:
                lst.append(hit)
            if hit.cat == INSTR:
                sent.by_key.setdefault(hit.key, []).append(hit)
        return sent

    def _symbol(self, text: str, s: int, e: int, i: int, hits: list[Hit]) -> None:
        original = text[s:e]
        tags = self._symbols.get(original)
        bracketed = text[s - 1 : s] == "(" and text[e : e + 1] == ")"
        if tags is None and bracketed:
            tags = self._bracketed.get(original)
        for cat, key in tags or ():
            hits.append(Hit(cat, key, i, i + 1, original))

    def tag(self, title: str, summary: str = "") -> list[Sentence]:
        sentences = [self.tag_sentence(title, 0)]
        for i, part in enumerate(split_sentences(summary), start=1):
            sentences.append(self.tag_sentence(part, i))
        return sentences
