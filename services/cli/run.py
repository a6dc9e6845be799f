"""``rarewatch run ingest|classify|notify``: one service in the foreground (what
docker-compose runs)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from services.app import Resources, open_resources
from services.cli.common import add_config_arg, load
from services.config import Config
from shared.errors import ConfigError
from shared.runner import ServiceRunner, ServiceSpec

SERVICES = ("ingest", "classify", "notify")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("run", help="run one service")
    p.add_argument("service", choices=SERVICES)
    add_config_arg(p)
    p.add_argument("--port", type=int, default=None, help="HTTP port (overrides the config)")
    p.set_defaults(func=main)


def _builder(name: str) -> Callable[[Resources], ServiceSpec]:
    if name == "ingest":
        from services.ingest.service import build_ingest

        return build_ingest
    if name == "classify":
        from services.classify.service import build_classify

        return build_classify
    from services.notify.service import build_notify

    return build_notify


async def build_spec(name: str, config: Config) -> ServiceSpec:
    res = await open_resources(config, name)
    try:
        return _builder(name)(res)
    except BaseException:
        await res.close()
        raise


async def run_service(name: str, config: Config, port: int | None = None) -> None:
    spec = await build_spec(name, config)
    if port is not None:
        spec.port = port
    await ServiceRunner(spec).run_forever()


def main(args: argparse.Namespace) -> int:
    config, _env = load(args, args.service)
    try:
        asyncio.run(run_service(args.service, config, args.port))
    except ConfigError as exc:  # e.g. an invalid vocabulary file, found while building
        print(f"rarewatch: configuration error: {exc}", file=sys.stderr)
        return 2
    return 0
