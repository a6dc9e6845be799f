"""``POST /v1/items``: partners and tests push items (design.md §7).

202 with the accepted and duplicate ids; 400 naming the invalid field; 401 without a
valid bearer token (compared in constant time); 413 over the size limit.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from aiohttp import web
from pydantic import ValidationError
from redis.exceptions import RedisError

from services.ingest.normalize import build_item
from services.ingest.publisher import ItemPublisher
from shared import metrics
from shared.logging import get_logger
from shared.models import ItemIn, RawItem

log = get_logger("ingest.api")

PUSH_SOURCE = "push"


def raw_item_from_push(item: ItemIn, *, now: datetime, trace_id: str) -> RawItem:
    raw = build_item(
        source_id=item.source or PUSH_SOURCE,
        guid=item.id,
        title=item.title,
        summary=item.summary,
        url=item.url,
        published=item.published_at,
        now=now,
        trace_id=trace_id,
        official=item.official,
    )
    if item.id:
        raw = raw.model_copy(update={"id": item.id})
    return raw


def _problem(status: int, title: str, detail: str, **extra: Any) -> web.Response:
    body = {"title": title, "status": status, "detail": detail, **extra}
    return web.json_response(body, status=status, content_type="application/problem+json")


def _field_errors(exc: ValidationError, index: int | None) -> list[dict[str, str]]:
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(item)"
        if index is not None:
            loc = f"[{index}].{loc}"
        out.append({"field": loc, "error": err["msg"]})
    return out


def make_push_handler(
    publisher: ItemPublisher,
    token: str | None,
    *,
    max_body_bytes: int,
    max_items: int,
    new_trace_id: Callable[[], str],
) -> Callable[[web.Request], Any]:
    expected = f"Bearer {token}".encode() if token else None

    async def push(request: web.Request) -> web.Response:
        if expected is None:
            return _problem(
                401, "push disabled", "set ingest.push_token in the config to accept pushed items"
            )
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return _problem(401, "unauthorized", "send Authorization: Bearer <push_token>")
        if request.content_length is not None and request.content_length > max_body_bytes:
            return _problem(413, "too large", f"the body is over {max_body_bytes} bytes")
        try:
            body = await request.content.read(max_body_bytes + 1)
        except Exception:
            return _problem(400, "unreadable body", "the request body could not be read")
        if len(body) > max_body_bytes:
            return _problem(413, "too large", f"the body is over {max_body_bytes} bytes")
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            return _problem(400, "invalid JSON", f"the body is not JSON: {exc}")
        batch = data if isinstance(data, list) else [data]
        if len(batch) > max_items:
            return _problem(413, "too many items", f"at most {max_items} items per request")
        now = datetime.now(UTC)
        items: list[RawItem] = []
        for i, obj in enumerate(batch):
            if not isinstance(obj, dict):
                return _problem(
                    400,
                    "invalid item",
                    "each item must be a JSON object",
                    errors=[
                        {
                            "field": f"[{i}]" if isinstance(data, list) else "(item)",
                            "error": "not an object",
                        }
                    ],
                )
            try:
                item = ItemIn.model_validate(obj)
            except ValidationError as exc:
                errors = _field_errors(exc, i if isinstance(data, list) else None)
                return _problem(
                    400,
                    "invalid item",
                    "; ".join(f"{e['field']}: {e['error']}" for e in errors),
                    errors=errors,
                )
            items.append(raw_item_from_push(item, now=now, trace_id=new_trace_id()))
        metrics.ITEMS_FETCHED.labels(PUSH_SOURCE).inc(len(items))
        try:
            result = await publisher.publish(items, label=PUSH_SOURCE)
        except (RedisError, OSError) as exc:
            log.warning("push not stored: Redis unavailable", error=type(exc).__name__)
            response = _problem(
                503, "unavailable", "items could not be stored (Redis unavailable); send them again"
            )
            response.headers["Retry-After"] = "5"
            return response
        for raw in items:
            log.info(
                "item pushed",
                item_id=raw.id,
                trace_id=raw.trace_id,
                source=raw.source,
                duplicate=raw.id in result.duplicates,
            )
        return web.json_response(
            {"accepted": result.accepted, "duplicates": result.duplicates}, status=202
        )

    return push
