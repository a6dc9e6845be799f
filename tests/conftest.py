"""Shared fixtures: the real Redis (REDIS_URL, default 127.0.0.1:6379), a unique namespace
per test (deleted afterwards), and paths to the shared corpora."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from shared.names import Names
from shared.redisconn import make_redis

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


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
