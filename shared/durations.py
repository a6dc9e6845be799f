"""Durations in config files: ``30s``, ``5m``, ``1h30m``, ``2d`` or a number of seconds."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)", re.IGNORECASE)
_DURATION_UNITS_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: object) -> object:
    """``"30s"``, ``"5m"``, ``"1h30m"``, ``"2d"`` or a number of seconds -> timedelta.

    ISO 8601 (``"PT5M"``) and ``"00:05:00"`` are handed to pydantic's own timedelta parsing;
    any other string raises ``ValueError`` naming the accepted forms.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return timedelta(seconds=float(text))
        if text and re.fullmatch(rf"(?:{_DURATION_PART.pattern})+", text, re.IGNORECASE):
            seconds = sum(
                float(n) * _DURATION_UNITS_S[u.lower()] for n, u in _DURATION_PART.findall(text)
            )
            return timedelta(seconds=seconds)
        if not (text[:1].upper() == "P" or ":" in text):
            raise ValueError(f"{value!r} is not a duration; use e.g. 30s, 5m, 1h, 1h30m or seconds")
    return value


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
