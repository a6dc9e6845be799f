"""``rarewatch score [FILE|-]``: classify JSON-lines items offline, one result line per input line.

Input fields (design.md §4): ``title`` (required), ``summary`` (alias ``excerpt``), ``url``,
``source``, ``published_at`` (alias ``published``), ``id``; unknown fields are ignored. The id
is kept when given, otherwise derived from the source and the canonical URL exactly as
``POST /v1/items`` derives it. A line that cannot be read gives ``line N: reason`` on stderr
and no output line; the other lines are still scored and the exit status is 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import ValidationError

from services.classify.model import Classifier
from services.classify.vocabulary import VocabularyError, load_vocabulary
from services.ingest.normalize import TITLE_MAX_CHARS, canonical_url, clean_text, item_id
from shared.models import Classification, ItemIn

PUSH_SOURCE = "push"  # the source id POST /v1/items gives an item without one


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "score",
        help="classify JSON-lines items offline (no Redis)",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    p.add_argument("file", nargs="?", default="-", help="JSON-lines file, or - for standard input")
    p.add_argument("--vocabulary", type=Path, default=None, help="a vocabulary file to use instead")
    p.set_defaults(func=run)


def derived_id(item: ItemIn) -> str:
    if item.id:
        return item.id
    canonical = canonical_url(item.url)
    key = canonical or f"{clean_text(item.title, TITLE_MAX_CHARS)}\x1f{clean_text(item.summary)}"
    return item_id(item.source or PUSH_SOURCE, key)


def result_line(item_id_: str, c: Classification) -> dict[str, Any]:
    return {
        "id": item_id_,
        "level": c.level.value,
        "score": c.score,
        "direction": c.direction.value,
        "minerals": list(c.minerals),
        "countries": list(c.countries),
        "instruments": list(c.instruments),
        "evidence": [{"text": e.text, "reason": e.reason} for e in c.evidence],
        "classifier_version": c.classifier_version,
    }


def classify_item(classifier: Classifier, item: ItemIn) -> Classification:
    return classifier.classify(
        clean_text(item.title, TITLE_MAX_CHARS),
        clean_text(item.summary),
        source=item.source,
        url=item.url,
        official=item.official,
    )


def parse_line(raw: bytes) -> ItemIn:
    """One input line as an item; raises ValueError with a readable reason."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    try:
        return ItemIn.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "item"
        raise ValueError(f"{where}: {err['msg']}") from None


def numbered_lines(stream: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            yield number, raw


def score_stream(
    classifier: Classifier, stream: Iterable[bytes], out: IO[str], err: IO[str]
) -> int:
    failed = 0
    for number, raw in numbered_lines(stream):
        try:
            item = parse_line(raw)
        except ValueError as exc:
            failed += 1
            print(f"line {number}: {exc}", file=err)
            continue
        c = classify_item(classifier, item)
        out.write(orjson.dumps(result_line(derived_id(item), c)).decode() + "\n")
    return 1 if failed else 0


def open_input(name: str) -> IO[bytes]:
    return sys.stdin.buffer if name == "-" else Path(name).open("rb")


def run(args: argparse.Namespace) -> int:
    try:
        classifier = Classifier(load_vocabulary(args.vocabulary))
    except VocabularyError as exc:
        print(f"rarewatch score: {exc}", file=sys.stderr)
        return 2
    try:
        stream = open_input(args.file)
    except OSError as exc:
        print(f"rarewatch score: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    with stream:
        code = score_stream(classifier, stream, sys.stdout, sys.stderr)
    sys.stdout.flush()
    return code
