"""The one POST every HTTP destination makes: a timeout, no redirects, a capped read of the
answer, and transport failures turned into retryable errors that name no secret."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp

from services.notify.retry import retry_after_s
from shared.errors import DeliveryError

MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    retry_after_s: float | None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


async def post(
    session: aiohttp.ClientSession,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout_s: float,
    where: str,
) -> Answer:
    """POST ``body``; ``where`` (a redacted name of the receiver) is all errors mention."""
    try:
        async with session.post(
            url,
            data=body,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout_s),
            allow_redirects=False,
        ) as resp:
            raw = await resp.content.read(MAX_ANSWER_BYTES)
            return Answer(resp.status, raw, retry_after_s(resp.headers.get("Retry-After")))
    except TimeoutError:
        raise DeliveryError(f"{where} did not answer within {timeout_s}s", retryable=True) from None
    except aiohttp.ClientError as exc:
        raise DeliveryError(f"{where}: {type(exc).__name__}", retryable=True) from None
