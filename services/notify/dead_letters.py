"""Dead letters (``<stream>:dlq``) for operators: find, read, retry and drop them.

A dead letter holds the original entry's fields plus ``dlq_stream``, ``dlq_group``,
``dlq_id``, ``dlq_error``, ``dlq_deliveries`` and ``dlq_at``. Retrying one re-publishes the
original fields to ``dlq_stream``, resets the delivery ledger of an outbox message (so it is
attempted afresh, with a fresh deadline) and deletes the dead letter, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import WatchError

from services.notify.notices import Digest, OpsNotice, decode_outgoing
from shared import codec
from shared.models import Alert, ClassifiedEvent, OpsEvent, RawItem
from shared.names import Names

DLQ_SUFFIX = ":dlq"
DLQ_FIELDS = ("dlq_stream", "dlq_group", "dlq_id", "dlq_error", "dlq_deliveries", "dlq_at")
PAGE = 500
RETRY_ATTEMPTS = 5


def _text(raw: bytes | None) -> str:
    return raw.decode(errors="replace") if raw is not None else ""


@dataclass(frozen=True, slots=True)
class DeadLetter:
    dlq: str  # the dead-letter stream's key
    id: str  # the entry's id in it
    fields: dict[bytes, bytes]

    def field(self, name: str) -> str:
        return _text(self.fields.get(name.encode()))

    @property
    def stream(self) -> str:
        return self.field("dlq_stream") or self.dlq.removesuffix(DLQ_SUFFIX)

    @property
    def original(self) -> dict[bytes, bytes]:
        drop = {f.encode() for f in DLQ_FIELDS}
        return {k: v for k, v in self.fields.items() if k not in drop}

    def summary(self) -> tuple[str | None, str | None]:
        """``(message id, title)`` when the original entry can be decoded."""
        kind = self.field(codec.TYPE_FIELD)
        try:
            if kind in ("Alert", "OpsNotice", "Digest", ""):
                msg = decode_outgoing(self.original)
                if isinstance(msg, Alert):
                    return msg.id, msg.title
                if isinstance(msg, OpsNotice):
                    return msg.id, f"{msg.event.kind} {msg.event.subject}: {msg.event.message}"
                if isinstance(msg, Digest):
                    return msg.id, f"digest of {len(msg.alerts)} alert(s)"
            if kind == "ClassifiedEvent":
                event = codec.from_fields(ClassifiedEvent, self.original)
                return event.item.id, event.item.title
            if kind == "RawItem":
                item = codec.from_fields(RawItem, self.original)
                return item.id, item.title
            if kind == "OpsEvent":
                ops = codec.from_fields(OpsEvent, self.original)
                return None, f"{ops.kind} {ops.subject}: {ops.message}"
        except (ValidationError, ValueError):
            pass
        return None, None

    def as_json(self, names: Names) -> dict[str, Any]:
        msg_id, title = self.summary()
        return {
            "id": self.id,
            "stream": relative(names, self.stream),
            "error": self.field("dlq_error"),
            "deliveries": int(self.field("dlq_deliveries") or 0),
            "at": self.field("dlq_at"),
            "group": self.field("dlq_group"),
            "original_id": self.field("dlq_id"),
            "message_id": msg_id,
            "title": title,
        }


def relative(names: Names, key: str) -> str:
    """``ns:outbox:risk`` → ``outbox:risk``."""
    return key.removeprefix(names.namespace + ":")


def dlq_key(names: Names, stream: str) -> str:
    """``outbox:risk``, ``ns:outbox:risk`` or ``outbox:risk:dlq`` → ``ns:outbox:risk:dlq``."""
    stream = relative(names, stream).removesuffix(DLQ_SUFFIX)
    return Names.dead_letters(f"{names.namespace}:{stream}")


def outbox_destination(names: Names, stream: str) -> str | None:
    prefix = names.outbox("")
    return stream.removeprefix(prefix) if stream.startswith(prefix) else None


async def dlq_streams(redis: Redis, names: Names) -> list[str]:
    """Every dead-letter stream under the namespace."""
    found = {
        k.decode() if isinstance(k, bytes) else k
        async for k in redis.scan_iter(
            match=f"{names.namespace}:*{DLQ_SUFFIX}", count=1000, _type="stream"
        )
    }
    return sorted(found)


async def read(redis: Redis, dlqs: Iterable[str], *, limit: int | None = None) -> list[DeadLetter]:
    """The dead letters of each stream, oldest first, at most ``limit`` per stream."""
    out: list[DeadLetter] = []
    for dlq in dlqs:
        start, taken = "-", 0
        while limit is None or taken < limit:
            count = PAGE if limit is None else min(PAGE, limit - taken)
            rows: Any = await redis.xrange(dlq, min=start, max="+", count=count)
            for raw_id, fields in rows:
                out.append(DeadLetter(dlq, _text(raw_id), fields))
            taken += len(rows)
            if len(rows) < count:
                break
            start = "(" + _text(rows[-1][0])
    return out


async def find(redis: Redis, dlqs: Iterable[str], entry_id: str) -> list[DeadLetter]:
    """The dead letters with this entry id (normally one, in one stream)."""
    out = []
    for dlq in dlqs:
        rows: Any = await redis.xrange(dlq, min=entry_id, max=entry_id)
        out += [DeadLetter(dlq, _text(i), f) for i, f in rows]
    return out


async def retry(redis: Redis, names: Names, letter: DeadLetter) -> bool:
    """Re-publish to the original stream, reset the ledger, delete the dead letter, all in
    one transaction. False when the dead letter was gone already (retried by someone else)."""
    reset: list[str] = []
    if outbox_destination(names, letter.stream) is not None:
        try:
            msg_id = decode_outgoing(letter.original).id
            reset = [names.ledger(msg_id), names.sending_lock(msg_id)]
        except (ValidationError, ValueError):
            pass
    for _ in range(RETRY_ATTEMPTS):
        async with redis.pipeline(transaction=True) as pipe:
            await pipe.watch(letter.dlq)
            if not await pipe.xrange(letter.dlq, min=letter.id, max=letter.id):
                return False
            pipe.multi()  # type: ignore[no-untyped-call]
            fields: Any = letter.original
            pipe.xadd(letter.stream, fields)
            if reset:
                pipe.delete(*reset)
            pipe.xdel(letter.dlq, letter.id)
            try:
                await pipe.execute()
            except WatchError:  # another dead letter arrived meanwhile: try again
                continue
            return True
    raise WatchError(f"{letter.dlq} keeps changing; try again")


async def drop(redis: Redis, letters: Iterable[DeadLetter]) -> int:
    n = 0
    for letter in letters:
        n += int(await redis.xdel(letter.dlq, letter.id))
    return n
