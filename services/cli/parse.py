"""``rarewatch parse FILE...``: feed and API files in, normalised items out as JSON lines.

Each file is sniffed: RSS/Atom/RDF (feedparser), Federal Register ``documents.json``, GDELT
ArtList JSON, or a GDELT plain-text answer (throttle or refused query). A file that yields
nothing usable gets one line on stderr naming it and the reason; the others still go through.
Exit code 1 if any file failed, else 0 (a well-formed feed with no entries is not a failure).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from services.ingest.sources.federal_register import documents_items, parse_documents
from services.ingest.sources.gdelt import (
    articles_items,
    looks_like_gdelt_text,
    parse_articles,
    text_body_error,
)
from services.ingest.sources.rss import bozo_note, feed_items, parse_feed
from shared.errors import FeedError, RarewatchError
from shared.models import RawItem

_BOM_AND_SPACE = b"\xef\xbb\xbf \t\r\n"


def _json_items(
    doc: Any, body: bytes, source_id: str, now: datetime
) -> tuple[list[RawItem], list[str]]:
    def trace() -> str:
        return uuid.uuid4().hex

    if isinstance(doc, dict) and ("results" in doc or {"count", "description"} <= doc.keys()):
        docs, _next = parse_documents(body)
        return documents_items(docs, source_id=source_id, now=now, trace_id=trace), []
    if isinstance(doc, list) or (isinstance(doc, dict) and "articles" in doc):
        articles, notes = parse_articles(body)
        return articles_items(articles, source_id=source_id, now=now, trace_id=trace), notes
    if isinstance(doc, dict) and str(doc.get("version", "")).startswith("https://jsonfeed.org"):
        raise FeedError(
            "a JSON Feed document; JSON Feed is not supported (use the site's RSS or Atom feed)"
        )
    raise FeedError("JSON that is neither a Federal Register nor a GDELT answer")


def parse_bytes(body: bytes, *, source_id: str, now: datetime) -> tuple[list[RawItem], list[str]]:
    """(items, notes) for one file's bytes; raises a RarewatchError subclass if unusable."""
    head = body.lstrip(_BOM_AND_SPACE)[:1]
    if head in (b"{", b"["):
        try:
            doc = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            doc = None
        if doc is not None:
            return _json_items(doc, body, source_id, now)
    if head and head != b"<":
        text = body[:2000].decode("utf-8", "replace")
        if looks_like_gdelt_text(text):
            raise text_body_error(text)
    parsed = parse_feed(body)
    items = feed_items(parsed, source_id=source_id, now=now, trace_id=lambda: uuid.uuid4().hex)
    return items, bozo_note(parsed)


def source_id_for(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem)[:64] or "file"


def run(args: argparse.Namespace) -> int:
    failed = False
    out = sys.stdout
    for name in args.files:
        path = Path(name)
        try:
            body = path.read_bytes()
            items, notes = parse_bytes(
                body, source_id=args.source or source_id_for(path), now=datetime.now(UTC)
            )
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            failed = True
            continue
        except RarewatchError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            failed = True
            continue
        except (
            Exception
        ) as exc:  # the per-file loop is the boundary: one bad file never stops the rest
            print(
                f"{name}: internal error (please report): {type(exc).__name__}: {exc}",
                file=sys.stderr,
            )
            failed = True
            continue
        if not items:
            print(f"{name}: no items (well-formed, but it holds no entries)", file=sys.stderr)
        elif args.verbose:
            for note in notes:
                print(f"{name}: note: {note}", file=sys.stderr)
        lines = (
            orjson.dumps({**item.model_dump(mode="json"), "file": name}).decode() for item in items
        )
        out.write("".join(line + "\n" for line in lines))
    out.flush()
    return 1 if failed else 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "parse",
        help="print normalised items from feed/API files as JSON lines",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="RSS/Atom/RDF, Federal Register or GDELT file"
    )
    parser.add_argument("--source", help="source id for the items (default: each file's name)")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also report recovered malformed feeds"
    )
    parser.set_defaults(func=run)
