"""The one bounded GET every source uses: timeouts, a size cap, same-host redirects only,
conditional GET and our User-Agent. Errors are :class:`SourceError` without secrets."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from shared.errors import SourceError, ThrottledError

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024
ERROR_SNIPPET_CHARS = 200


@dataclass(frozen=True, slots=True)
class Validators:
    """Conditional-GET validators kept from the last 200 answer."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_state(cls, state: Mapping[str, str]) -> Validators:
        return cls(state.get("etag") or None, state.get("last_modified") or None)

    def to_state(self) -> dict[str, str]:
        return {"etag": self.etag or "", "last_modified": self.last_modified or ""}

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True, slots=True)
class FetchLimits:
    timeout_s: float
    max_bytes: int
    max_redirects: int = 5
    allowed_redirect_hosts: Collection[str] = ()
    connect_timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class Fetched:
    status: int
    body: bytes
    url: str
    headers: CIMultiDictProxy[str] = field(default_factory=lambda: CIMultiDictProxy(CIMultiDict()))

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def validators(self) -> Validators:
        return Validators(self.headers.get("ETag"), self.headers.get("Last-Modified"))

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


def redact_url(url: str | URL) -> str:
    """scheme://host[:port]/path: no user info, no query (tokens live there), no fragment."""
    u = URL(str(url))
    if not u.is_absolute():
        return u.path
    port = f":{u.explicit_port}" if u.explicit_port else ""
    return f"{u.scheme}://{u.host}{port}{u.path}" + ("?…" if u.query_string else "")


def retry_after_s(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _snippet(body: bytes) -> str:
    text = " ".join(body[: ERROR_SNIPPET_CHARS * 4].decode("utf-8", "replace").split())
    return text[:ERROR_SNIPPET_CHARS]


def _status_error(status: int, url: URL, body: bytes, headers: Mapping[str, str]) -> SourceError:
    where = redact_url(url)
    detail = f": {_snippet(body)}" if body else ""
    if status == 429:
        return ThrottledError(
            f"HTTP 429 from {where}: throttled, retry later{detail}",
            retry_after_s=retry_after_s(headers.get("Retry-After")),
        )
    if status >= 500 or status == 408:
        return SourceError(f"HTTP {status} from {where}; the server failed, will retry{detail}")
    return SourceError(
        f"HTTP {status} from {where}; check the source's URL or query{detail}", retryable=False
    )


async def _read_capped(resp: aiohttp.ClientResponse, max_bytes: int, url: URL) -> bytes:
    declared = resp.content_length
    too_big = (
        f"response from {redact_url(url)} is larger than max_bytes={max_bytes}; "
        "raise max_bytes for this source if that size is expected"
    )
    if declared is not None and declared > max_bytes:
        raise SourceError(too_big, retryable=False)
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(too_big, retryable=False)
        chunks.append(chunk)
    return b"".join(chunks)


def _redirect_target(
    resp: aiohttp.ClientResponse, current: URL, origin: URL, allowed: Collection[str]
) -> URL:
    location = resp.headers.get("Location")
    if not location:
        raise SourceError(
            f"HTTP {resp.status} from {redact_url(current)} without a Location header"
        )
    target = current.join(URL(location))
    if target.scheme not in ("http", "https"):
        raise SourceError(
            f"redirect from {redact_url(current)} to a non-HTTP URL refused", retryable=False
        )
    if target.host != origin.host and target.host not in allowed:
        raise SourceError(
            f"redirect from {redact_url(current)} to another host {target.host!r} refused; "
            "add it to allowed_redirect_hosts or use the new URL",
            retryable=False,
        )
    return target


async def fetch(
    session: aiohttp.ClientSession,
    url: str | URL,
    *,
    limits: FetchLimits,
    user_agent: str,
    params: Mapping[str, str] | list[tuple[str, str]] | None = None,
    validators: Validators | None = None,
    accept: str = "*/*",
    ok_statuses: Collection[int] = (200,),
) -> Fetched:
    """GET ``url``; answers 200 (or another of ``ok_statuses``) and 304 as :class:`Fetched`,
    raises :class:`SourceError` (``ThrottledError`` for 429) for everything else."""
    origin = URL(str(url)) if params is None else URL(str(url)).update_query(params)
    headers = {"User-Agent": user_agent, "Accept": accept, **(validators or Validators()).headers()}
    timeout = aiohttp.ClientTimeout(
        total=None,
        sock_connect=min(limits.connect_timeout_s, limits.timeout_s),
        sock_read=limits.timeout_s,
    )
    current = origin
    try:
        async with asyncio.timeout(limits.timeout_s):
            for _hop in range(limits.max_redirects + 1):
                async with session.get(
                    current, headers=headers, allow_redirects=False, timeout=timeout
                ) as resp:
                    if resp.status in REDIRECT_STATUSES:
                        current = _redirect_target(
                            resp, current, origin, limits.allowed_redirect_hosts
                        )
                        continue
                    if resp.status == 304 and validators is not None:
                        return Fetched(304, b"", str(current), resp.headers)
                    body = await _read_capped(resp, limits.max_bytes, current)
                    if resp.status not in ok_statuses:
                        raise _status_error(resp.status, current, body, resp.headers)
                    return Fetched(resp.status, body, str(current), resp.headers)
    except TimeoutError:
        raise SourceError(
            f"no complete answer from {redact_url(current)} within timeout_s={limits.timeout_s:g}"
        ) from None
    except aiohttp.ClientError as exc:
        os_error = getattr(exc, "os_error", None)
        reason = f" ({os_error.strerror})" if os_error is not None and os_error.strerror else ""
        raise SourceError(
            f"could not fetch {redact_url(current)}: {type(exc).__name__}{reason}"
        ) from None
    raise SourceError(
        f"more than {limits.max_redirects} redirects from {redact_url(origin)}; use the final URL",
        retryable=False,
    )
