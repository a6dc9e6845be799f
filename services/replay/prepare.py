"""The per-item half of a backtest: classification and the item's story features (its
MinHash signature…). It depends on nothing but the item and the vocabulary, so it can run
in worker processes while the main process, in capture order, does what depends on
earlier items (stories, grouping). Results come back in order: the output is the same
with any number of workers. Items go to workers, and results come back, as plain tuples:
pickling models would cost more than the work it spreads.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from multiprocessing import get_all_start_methods, get_context
from typing import Any

from services.classify.document import url_host
from services.classify.model import Classifier
from services.classify.stories import StoryItem
from services.classify.stories_store import story_item
from services.classify.vocabulary import Vocabulary
from shared.models import Direction, Level, RawItem

CHUNK = 500  # items per task sent to a worker
MAX_JOBS = 4


@dataclass(frozen=True, slots=True)
class Prepared:
    """What routing and stories need from the classification of one item."""

    level: Level
    score: int
    direction: Direction
    minerals: tuple[str, ...]
    countries: tuple[str, ...]
    instruments: tuple[str, ...]
    story: StoryItem | None  # None when the item is not relevant (level none)


def is_official(
    classifier: Classifier, item: RawItem, known: dict[tuple[str, str], bool] | None = None
) -> bool:
    """As the story store decides it: flagged by ingest, or an official host. ``known``
    caches the host check (it depends only on the source and the URL's host)."""
    if item.official:
        return True
    if known is None:
        return classifier.is_official_source(item.source, item.url)
    key = (item.source, url_host(item.url))
    found = known.get(key)
    if found is None:
        found = known[key] = classifier.is_official_source(item.source, item.url)
    return found


def prepare(
    classifier: Classifier,
    at: datetime,
    item: RawItem,
    official_hosts: dict[tuple[str, str], bool] | None = None,
) -> Prepared:
    """What classify does with one item before it looks at stories."""
    c = classifier.classify(
        item.title,
        item.summary,
        source=item.publisher or item.source,
        url=item.url,
        official=item.official,
    )
    story = None
    if c.level != Level.NONE:
        official = is_official(classifier, item, official_hosts)
        story = story_item(item, c, official=official, now=at)
    return Prepared(c.level, c.score, c.direction, c.minerals, c.countries, c.instruments, story)


Timed = tuple[datetime, RawItem]
Row = tuple[datetime, RawItem, tuple[Prepared, ...]]


def prepare_all(classifiers: Sequence[Classifier], items: Iterable[Timed]) -> Iterator[Row]:
    """Each item with its preparation by every classifier, in one process."""
    with_cache: list[tuple[Classifier, dict[tuple[str, str], bool]]] = [
        (c, {}) for c in classifiers
    ]
    for at, item in items:
        yield at, item, tuple(prepare(c, at, item, known) for c, known in with_cache)


# -- worker processes --------------------------------------------------------------------
_WORKER: list[tuple[Classifier, dict[tuple[str, str], bool]]] = []


def _init_worker(vocabularies: Sequence[Vocabulary]) -> None:
    _WORKER[:] = [(Classifier(v), {}) for v in vocabularies]


def _item_out(at: datetime, item: RawItem) -> tuple[Any, ...]:
    return (at.timestamp(), item.id, item.title, item.summary, item.source, item.publisher,
            item.url, item.official)  # fmt: skip


def _item_in(t: tuple[Any, ...]) -> Timed:
    at = datetime.fromtimestamp(t[0], UTC)
    fields = dict(zip(("id", "title", "summary", "source", "publisher", "url", "official"),
                      t[1:], strict=True))  # fmt: skip
    return at, RawItem.model_construct(**fields)


def _pack(p: Prepared) -> tuple[Any, ...]:
    s = p.story
    story = None
    if s is not None:
        story = (s.id, s.publisher, s.official, s.sig, s.level.value, s.direction.value,
                 s.instrument, s.minerals, s.countries, s.seen_at.timestamp())  # fmt: skip
    return (p.level.value, p.score, p.direction.value, p.minerals, p.countries, p.instruments,
            story)  # fmt: skip


def _unpack(t: tuple[Any, ...]) -> Prepared:
    s = t[6]
    story = None
    if s is not None:
        story = StoryItem(s[0], s[1], s[2], s[3], Level(s[4]), Direction(s[5]), s[6], s[7],
                          s[8], datetime.fromtimestamp(s[9], UTC))  # fmt: skip
    return Prepared(Level(t[0]), t[1], Direction(t[2]), t[3], t[4], t[5], story)


def _prepare_chunk(chunk: list[tuple[Any, ...]]) -> list[tuple[tuple[Any, ...], ...]]:
    out = []
    for packed in chunk:
        at, item = _item_in(packed)
        out.append(tuple(_pack(prepare(c, at, item, known)) for c, known in _WORKER))
    return out


def prepare_parallel(
    classifiers: Sequence[Classifier], items: Iterable[Timed], jobs: int
) -> Iterator[Row]:
    """As :func:`prepare_all`, with ``jobs`` worker processes; a bounded number of chunks
    is in flight, so memory stays flat however long the capture."""
    context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
    vocabularies = [c.vocabulary for c in classifiers]
    it = iter(items)
    Task = tuple[list[Timed], Future[list[tuple[tuple[Any, ...], ...]]]]
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(vocabularies,)
    ) as pool:
        pending: deque[Task] = deque()
        while True:
            chunk = list(islice(it, CHUNK))
            if chunk:
                task = [_item_out(at, item) for at, item in chunk]
                pending.append((chunk, pool.submit(_prepare_chunk, task)))
            if pending and (not chunk or len(pending) > 2 * jobs):
                done, future = pending.popleft()
                for (at, item), packed in zip(done, future.result(), strict=True):
                    yield at, item, tuple(_unpack(p) for p in packed)
            if not chunk and not pending:
                return


def default_jobs(size_bytes: int) -> int:
    """Workers worth starting: none for small captures (start-up costs more than it saves)."""
    if size_bytes < 2_000_000:
        return 1
    return max(1, min(MAX_JOBS, os.cpu_count() or 1))
