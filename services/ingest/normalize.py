"""Pure normalisation: text, URLs, ids, times, publishers -> one :class:`RawItem`.

Nothing here does I/O or reads the clock; the caller passes ``now`` and the trace id.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit, urlunsplit

from url_normalize import url_normalize

from shared.models import RawItem

TITLE_MAX_CHARS = 500
SUMMARY_MAX_CHARS = 4000
UNTITLED = "(untitled)"

# Query parameters that only track the click; dropping them lets the same article
# reached from two newsletters dedupe to one URL.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "mkt_tok", "_hsenc", "_hsmi", "oly_anon_id",
        "oly_enc_id", "vero_id", "wickedid", "ncid", "cmpid", "smid", "ocid",
        "__twitter_impression", "wt_mc", "wt_zmc", "at_medium", "at_campaign", "cmp", "ito",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_campaign", "pk_kwd", "pk_source", "pk_medium")

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})
_BLOCK_TAGS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def fold_whitespace(text: str) -> str:
    return " ".join(text.translate(_INVISIBLE).split())


def clean_text(text: str | None, max_chars: int = SUMMARY_MAX_CHARS) -> str:
    """Markup and entities out, whitespace folded, cut to ``max_chars`` on a word boundary."""
    if not text:
        return ""
    if "<" in text or "&" in text:
        parser = _TextExtractor()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    text = fold_whitespace(text)
    if len(text) > max_chars:
        text = text[: max_chars - 1].rsplit(" ", 1)[0] + "…"
    return text


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;:!?])(?=\s|$)")


def clean_tokenised_title(text: str) -> str:
    """Undo tokeniser spacing (``"a , b ; c"`` -> ``"a, b; c"``) as GDELT titles carry it."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", fold_whitespace(text))


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str | None) -> str | None:
    """Normalised http(s) URL: scheme/host lower-case, default port and fragment dropped,
    tracking parameters removed. ``None`` for anything that is not an http(s) URL."""
    if not url:
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        normal = url_normalize(url)
        if normal is None:
            return None
        parts = urlsplit(normal)
        if not parts.hostname:
            return None
    except (ValueError, UnicodeError):
        return None
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and not _is_tracking(unquote(pair.split("=", 1)[0]))
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def host_of(url: str | None) -> str | None:
    """The URL's host, lower-case, without a leading ``www.``."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def item_id(source_id: str, key: str) -> str:
    """Stable short id: the same source and guid (or canonical URL) always give the same id."""
    digest = hashlib.blake2b(f"{source_id}\x1f{key}".encode(), digest_size=10).hexdigest()
    return digest


def to_utc(value: datetime | date | None) -> datetime | None:
    """Aware datetimes converted to UTC; naive ones taken as UTC; a date is its UTC midnight."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0, 0), tzinfo=UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def language_tag(value: str | None) -> str | None:
    """``"en-US"`` / ``"EN_us"`` -> ``"en-us"``; empty -> None."""
    if not value:
        return None
    tag = value.strip().replace("_", "-").lower()
    return tag if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", tag) else None


def build_item(
    *,
    source_id: str,
    guid: str | None,
    title: str | None,
    summary: str | None,
    url: str | None,
    published: datetime | None,
    now: datetime,
    trace_id: str,
    publisher: str | None = None,
    language: str | None = None,
    official: bool = False,
) -> RawItem:
    """One normalised item. Nothing is dropped: a missing title falls back to the summary,
    then the URL, then ``"(untitled)"``; a missing date falls back to ``now`` (flagged)."""
    clean_summary = clean_text(summary)
    canonical = canonical_url(url)
    clean_title = (
        clean_text(title, TITLE_MAX_CHARS)
        or clean_text(clean_summary, TITLE_MAX_CHARS)
        or canonical
        or UNTITLED
    )
    key = (guid or "").strip() or canonical or f"{clean_title}\x1f{clean_summary}"
    published_at = to_utc(published)
    seen_at = to_utc(now) or now
    return RawItem(
        id=item_id(source_id, key),
        title=clean_title,
        summary=clean_summary,
        url=canonical,
        source=source_id,
        publisher=fold_whitespace(publisher) if publisher else host_of(canonical),
        published_at=published_at or seen_at,
        published_is_fallback=published_at is None,
        seen_at=seen_at,
        language=language_tag(language),
        official=official,
        trace_id=trace_id,
    )
