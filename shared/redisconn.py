"""Build the one Redis client of a process (only composition roots call this)."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry


def make_redis(url: str, *, block_ms: int = 2000, max_connections: int = 64) -> Redis:
    """A client whose socket timeout is longer than any BLOCK it will be used with.

    A blocking XREADGROUP longer than ``socket_timeout`` fails client-side and, with the
    default retry, is silently re-sent; so the timeout is BLOCK plus a margin.
    """
    timeout_s = block_ms / 1000 + 5.0
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=20,
        socket_timeout=timeout_s,
        socket_connect_timeout=5,
        socket_keepalive=True,
        health_check_interval=30,
        decode_responses=False,
        retry=Retry(ExponentialWithJitterBackoff(0.05, 1.0), retries=3),
    )
    return Redis.from_pool(pool)


def redact_url(url: str) -> str:
    """A Redis URL for logs: the password, if any, replaced."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0] if ":" in creds else ""
    return f"{scheme}://{user}:***@{host}"
