"""``webhook``: Standard Webhooks (design.md §8), signed with the ``standardwebhooks`` package.

``webhook-id`` is the alert id, so it stays the same across retries and receivers can
dedupe. During a key rotation (``previous_secret`` set) both signatures are sent.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

import aiohttp
from pydantic import Field, SecretStr, field_validator
from standardwebhooks import Webhook

from services.notify.destinations.base import Destination, DestinationConfig, SendResult
from services.notify.destinations.http import post
from services.notify.notices import Notice, notice_body
from services.notify.payload import webhook_body
from services.notify.retry import is_retryable
from shared.errors import DeliveryError
from shared.models import Alert

MIN_KEY_BYTES = 16


class WebhookDestinationConfig(DestinationConfig):
    kind: Literal["webhook"]
    url: SecretStr = Field(description="the receiver's URL (treated as a secret)")
    secret: SecretStr = Field(description="signing secret, whsec_ followed by base64")
    previous_secret: SecretStr | None = Field(
        default=None, description="the old secret during a key rotation: both signatures are sent"
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: SecretStr) -> SecretStr:
        parts = urlsplit(v.get_secret_value())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// URL")
        return v

    @field_validator("secret", "previous_secret")
    @classmethod
    def _whsec(cls, v: SecretStr | None) -> SecretStr | None:
        if v is None:
            return v
        raw = v.get_secret_value()
        try:
            if not raw.startswith("whsec_"):
                raise ValueError
            key = base64.b64decode(raw.removeprefix("whsec_"), validate=True)
            if len(key) < MIN_KEY_BYTES:
                raise ValueError
        except ValueError:
            raise ValueError(
                "must be whsec_ followed by base64 of at least 16 (better 32) random bytes, "
                'e.g. from: python -c "import os,base64;'
                "print('whsec_'+base64.b64encode(os.urandom(32)).decode())\""
            ) from None
        return v


def redacted(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{':' + str(parts.port) if parts.port else ''}/***"


class WebhookDestination(Destination):
    config: WebhookDestinationConfig

    def __init__(self, config: WebhookDestinationConfig, session: aiohttp.ClientSession):
        super().__init__(config, session)
        self._signers = [Webhook(config.secret.get_secret_value())]
        if config.previous_secret is not None:
            self._signers.append(Webhook(config.previous_secret.get_secret_value()))
        self._where = redacted(config.url.get_secret_value())

    def headers(self, msg_id: str, body: bytes, now: datetime) -> dict[str, str]:
        text = body.decode()
        signatures = " ".join(s.sign(msg_id, now, text) for s in self._signers)
        return {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signatures,
        }

    async def send(self, alert: Alert) -> SendResult:
        return await self._post(alert.id, webhook_body(alert))

    async def send_notice(self, notice: Notice) -> SendResult:
        return await self._post(notice.id, notice_body(notice))

    async def _post(self, msg_id: str, body: bytes) -> SendResult:
        now = datetime.now(UTC).replace(microsecond=0)
        answer = await post(
            self.session,
            self.config.url.get_secret_value(),
            body,
            self.headers(msg_id, body, now),
            timeout_s=self.config.timeout_s,
            where=self._where,
        )
        status, retry_after = answer.status, answer.retry_after_s
        if 200 <= status < 300:
            return SendResult(status)
        if status == 410:
            raise DeliveryError(
                f"{self._where} answered 410 Gone: destination disabled",
                retryable=False,
                status=status,
                disable=True,
            )
        raise DeliveryError(
            f"{self._where} answered {status}",
            retryable=is_retryable(status),
            status=status,
            retry_after_s=retry_after,
        )
