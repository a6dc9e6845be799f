"""What every service's composition root shares: the Redis client, the HTTP session,
the consumer name, and the readiness checks every service has."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass

import aiohttp
from redis.asyncio import Redis

from services.config import Config
from shared.health import Check, group_checks, redis_check
from shared.names import Names
from shared.redisconn import make_redis
from shared.settings import DEFAULT_REDIS_URL
from shared.version import VERSION


@dataclass
class Resources:
    config: Config
    redis: Redis
    session: aiohttp.ClientSession
    names: Names
    consumer: str

    async def close(self) -> None:
        await self.session.close()
        await self.redis.aclose()


def user_agent(config: Config) -> str:
    return f"rarewatch/{VERSION} (+{config.ingest.contact_url})"


async def open_resources(config: Config, service: str) -> Resources:
    redis = make_redis(config.redis_url or DEFAULT_REDIS_URL, block_ms=config.bus.block_ms)
    session = aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=60, sock_connect=10, sock_read=30),
        headers={"User-Agent": user_agent(config)},
    )
    consumer = config.consumer or f"{socket.gethostname()}-{service}"
    return Resources(config, redis, session, Names(config.namespace), consumer)


def new_trace_id() -> str:
    return uuid.uuid4().hex[:16]


async def stream_checks(res: Resources, *groups: tuple[str, str]) -> list[Check]:
    """Redis round trip (first), then lag, pending and dead letters of each (stream, group)."""
    checks = [await redis_check(res.redis, res.config.health)]
    if checks[0].status != "fail":
        for stream, group in groups:
            checks += await group_checks(res.redis, stream, group, res.config.health)
    return checks
