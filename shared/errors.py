"""One small error tree. Messages say what to fix; none carries a secret."""

from __future__ import annotations


class RarewatchError(Exception):
    """Root of every error rarewatch raises on purpose."""


class ConfigError(RarewatchError):
    """The configuration file or environment is invalid; the message names the key."""


class SourceError(RarewatchError):
    """A source could not be read. ``retryable`` says whether a later poll may succeed."""

    def __init__(self, message: str, *, retryable: bool = True, retry_after_s: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after_s = retry_after_s


class FeedError(SourceError):
    """A fetched document held nothing usable (not a feed, truncated, wrong format)."""

    def __init__(self, message: str):
        super().__init__(message, retryable=False)


class ThrottledError(SourceError):
    """The source asked us to slow down; try again later."""

    def __init__(self, message: str, retry_after_s: float | None = None):
        super().__init__(message, retryable=True, retry_after_s=retry_after_s)


class DeliveryError(RarewatchError):
    """A destination did not take an alert.

    ``retryable``: a later attempt may succeed (429, 5xx, timeout).
    ``disable``: the destination is gone or refuses us for good (410, revoked token).
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after_s: float | None = None,
        disable: bool = False,
    ):
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.retry_after_s = retry_after_s
        self.disable = disable
