"""``slack``: one Block Kit message per alert to a Slack incoming webhook.

The webhook URL is a credential: it is held as a ``SecretStr`` and shown only as
``hooks.slack.com/services/***``. We post with the shared aiohttp session rather than
``slack_sdk``'s ``AsyncWebhookClient``, because that client logs the full URL at debug level
and can retry inside ``send()``; retries are the pipeline's job. Sends are paced to one
message per second per webhook URL across the whole process (Slack's documented limit).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Awaitable, Callable
from typing import Literal
from urllib.parse import urlsplit

import aiohttp
import orjson
from pydantic import ConfigDict, Field, SecretStr, field_validator

from services.notify.destinations.base import Destination, DestinationConfig, SendResult
from services.notify.destinations.http import post
from services.notify.notices import Notice
from services.notify.retry import is_retryable
from services.notify.slack_blocks import build_message
from services.notify.slack_notices import slack_message
from shared.errors import DeliveryError
from shared.models import Alert

SLACK_INTERVAL_S = 1.0
DEFAULT_RETRY_AFTER_S = 1.0

# Slack's answers (plain strings). These mean the webhook or its channel is gone for good.
DISABLE_ERRORS = frozenset(
    {
        "invalid_token",
        "no_service",
        "no_service_id",
        "no_active_hooks",
        "team_disabled",
        "channel_not_found",
        "channel_is_archived",
        "action_prohibited",
        "posting_to_general_channel_denied",
    }
)
RETRYABLE_ERRORS = frozenset({"rollup_error"})
_CODE = re.compile(r"^[a-z0-9_]{1,64}$")


class SlackDestinationConfig(DestinationConfig):
    # hide_input_in_errors: a validation error must not echo the webhook URL.
    model_config = ConfigDict(hide_input_in_errors=True)

    kind: Literal["slack"]
    url: SecretStr = Field(description="the incoming-webhook URL (a credential: use ${VAR})")
    concurrency: int = Field(default=1, description="always 1: one message per second anyway")

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: SecretStr) -> SecretStr:
        parts = urlsplit(v.get_secret_value())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an https:// Slack incoming-webhook URL")
        return v

    @field_validator("concurrency")
    @classmethod
    def _one_at_a_time(cls, v: int) -> int:
        if v != 1:
            raise ValueError(
                "must be 1 (or left out): Slack takes one message per second per webhook"
            )
        return v


def redact_url(url: str) -> str:
    """``https://hooks.slack.com/services/T0/B0/xyz`` → ``hooks.slack.com/services/***``."""
    parts = urlsplit(url)
    host = (parts.hostname or "?") + (f":{parts.port}" if parts.port else "")
    return f"{host}/services/***" if parts.path.startswith("/services/") else f"{host}/***"


def classify_slack_error(status: int, body: str) -> tuple[bool, bool]:
    """``(retryable, disable)`` for a Slack answer that is not ``200 ok``."""
    code = body.strip()
    if code in DISABLE_ERRORS:
        return False, True
    if status == 429 or code in RETRYABLE_ERRORS:
        return True, False
    if status == 410:
        return False, True
    return is_retryable(status), False


def error_code(body: str) -> str:
    """Slack's error string, or a neutral description of anything else (never echoed)."""
    first = body.strip().split("\n", 1)[0].strip()
    if _CODE.match(first):
        return first
    return f"an unexpected answer ({len(body)} characters)" if body else "an empty answer"


class Pacer:
    """At most one send per ``interval_s`` for each key, slots handed out in call order."""

    def __init__(
        self,
        interval_s: float = SLACK_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.interval_s = interval_s
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}

    def reserve(self, key: str) -> float:
        """Take the next free slot for ``key``; return the seconds to wait for it."""
        now = self._clock()
        slot = max(now, self._next.get(key, now))
        self._next[key] = slot + self.interval_s
        return slot - now

    def hold(self, key: str, seconds: float) -> None:
        """Push the next slot for ``key`` at least ``seconds`` into the future (a 429)."""
        now = self._clock()
        self._next[key] = max(self._next.get(key, now), now + seconds)

    async def wait(self, key: str) -> None:
        delay = self.reserve(key)
        if delay > 0:
            await self._sleep(delay)


PACER = Pacer()
"""Process-wide: two destinations that share a webhook URL share its pace."""


def _advice(code: str, disable: bool, retryable: bool) -> str:
    if disable:
        return "the webhook or its channel is gone; make a new incoming webhook, update the config"
    if retryable:
        return "Slack had a problem; will retry"
    if code in ("invalid_payload", "invalid_blocks", "invalid_blocks_format", "no_text"):
        return "Slack refused the message format; please report this rarewatch bug"
    return "not retried"


class SlackDestination(Destination):
    config: SlackDestinationConfig

    def __init__(
        self,
        config: SlackDestinationConfig,
        session: aiohttp.ClientSession,
        *,
        pacer: Pacer | None = None,
    ):
        super().__init__(config, session)
        self._url = config.url.get_secret_value()
        self._key = hashlib.sha256(self._url.encode()).hexdigest()
        self._where = f"slack {redact_url(self._url)}"
        self._pacer = pacer or PACER

    def __repr__(self) -> str:
        return f"SlackDestination(id={self.id!r}, url={redact_url(self._url)!r})"

    async def send(self, alert: Alert) -> SendResult:
        return await self._post(orjson.dumps(build_message(alert)))

    async def send_notice(self, notice: Notice) -> SendResult:
        return await self._post(orjson.dumps(slack_message(notice)))

    async def _post(self, body: bytes) -> SendResult:
        await self._pacer.wait(self._key)
        answer = await post(
            self.session,
            self._url,
            body,
            {"content-type": "application/json"},
            timeout_s=self.config.timeout_s,
            where=self._where,
        )
        status, text, retry_after = answer.status, answer.text, answer.retry_after_s
        if status == 200 and text.strip() == "ok":
            return SendResult(status)
        if status == 429:
            wait = DEFAULT_RETRY_AFTER_S if retry_after is None else retry_after
            self._pacer.hold(self._key, wait)
            raise DeliveryError(
                f"{self._where} rate-limited the message (429); retry after {wait:g}s",
                retryable=True,
                status=status,
                retry_after_s=wait,
            )
        retryable, disable = classify_slack_error(status, text)
        code = error_code(text)
        raise DeliveryError(
            f"{self._where} answered {status} {code}: {_advice(code, disable, retryable)}",
            retryable=retryable,
            status=status,
            retry_after_s=retry_after if retryable else None,
            disable=disable,
        )
