"""What several commands share: loading the config with a clear error, logging set-up."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.config import Config, load_config
from shared.errors import ConfigError
from shared.logging import configure_logging, register_secrets
from shared.redisconn import make_redis, redact_url
from shared.settings import DEFAULT_REDIS_URL, EnvSettings, env_settings


class UsageError(Exception):
    """An operator command was given words it cannot act on; the message says which."""


def add_config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        "-c",
        type=Path,
        default=None,
        help="the YAML config file (default: $RAREWATCH_CONFIG, else built-in)",
    )


def load(args: argparse.Namespace, service: str | None = None) -> tuple[Config, EnvSettings]:
    """Settings and config, or exit 2 with the message naming what to fix."""
    try:
        env = env_settings()
        config = load_config(getattr(args, "config", None), env)
    except ConfigError as exc:
        print(f"rarewatch: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    register_secrets(config.secrets())
    configure_logging(env.log_level, env.log_format, service)
    return config, env


def run_with_redis(prog: str, config: Config, work: Callable[[Redis], Awaitable[int]]) -> int:
    """Run an operator command against the configured Redis: its exit code, 2 for a usage
    error, 1 when Redis cannot be used (named without its password)."""

    async def go() -> int:
        redis = make_redis(config.redis_url or DEFAULT_REDIS_URL)
        try:
            return await work(redis)
        finally:
            await redis.aclose()

    try:
        return asyncio.run(go())
    except UsageError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except (RedisError, OSError) as exc:
        where = redact_url(config.redis_url or DEFAULT_REDIS_URL)
        print(f"{prog}: cannot use Redis at {where}: {exc}", file=sys.stderr)
        return 1
