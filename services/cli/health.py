"""``rarewatch health``: every service's readiness as a small table; exit 1 when any fails."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

import aiohttp

from services.cli.common import add_config_arg, load
from services.config import Config


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("health", help="every service's readiness; exit 1 when any fails")
    add_config_arg(p)
    p.add_argument(
        "--url",
        action="append",
        default=[],
        metavar="SERVICE=URL",
        help="where a service answers, e.g. notify=http://10.0.0.5:8083 "
        "(default: 127.0.0.1 and the configured port)",
    )
    p.add_argument("--json", action="store_true", help="print the readiness documents as JSON")
    p.set_defaults(func=main)


def service_urls(config: Config, overrides: list[str]) -> dict[str, str]:
    urls = {
        "ingest": f"http://127.0.0.1:{config.ingest.port}",
        "classify": f"http://127.0.0.1:{config.classify.port}",
        "notify": f"http://127.0.0.1:{config.notify.port}",
    }
    for item in overrides:
        name, _, url = item.partition("=")
        if name not in urls or not url:
            raise SystemExit(
                f"rarewatch health: --url takes SERVICE=URL with SERVICE one of "
                f"{', '.join(urls)}; got {item!r}"
            )
        urls[name] = url.rstrip("/")
    return urls


async def fetch(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    try:
        async with session.get(f"{url}/readyz", timeout=aiohttp.ClientTimeout(total=5)) as r:
            body = await r.json(content_type=None)
            return body if isinstance(body, dict) else {"status": "fail", "output": "bad answer"}
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        return {"status": "fail", "output": f"no answer at {url}: {type(exc).__name__}"}


def problems(doc: dict[str, Any]) -> str:
    out = []
    for key, checks in (doc.get("checks") or {}).items():
        for c in checks:
            if c.get("status") != "pass":
                who = f"/{c['componentId']}" if c.get("componentId") else ""
                out.append(
                    f"{key}{who}={c.get('observedValue')} ({c.get('output') or c['status']})"
                )
    if not out and doc.get("output"):
        out.append(str(doc["output"]))
    return "; ".join(out) or "-"


async def gather(urls: dict[str, str]) -> dict[str, dict[str, Any]]:
    async with aiohttp.ClientSession() as s:
        docs = await asyncio.gather(*(fetch(s, u) for u in urls.values()))
    return dict(zip(urls, docs, strict=True))


def main(args: argparse.Namespace) -> int:
    config, _ = load(args)
    urls = service_urls(config, args.url)
    docs = asyncio.run(gather(urls))
    if args.json:
        json.dump(docs, sys.stdout, indent=2)
        print()
    else:
        print(f"{'SERVICE':9} {'STATUS':6} {'URL':28} PROBLEMS")
        for name, doc in docs.items():
            print(f"{name:9} {doc.get('status', 'fail'):6} {urls[name]:28} {problems(doc)}")
    return 1 if any(d.get("status") == "fail" for d in docs.values()) else 0
