"""The one wire codec: a model as orjson bytes in a stream entry's ``data`` field."""

from __future__ import annotations

from typing import TypeVar

import orjson
from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

DATA_FIELD = "data"
TYPE_FIELD = "type"


def dumps(model: BaseModel) -> bytes:
    return orjson.dumps(model.model_dump(mode="json"))


def loads(model: type[M], data: bytes | str) -> M:
    return model.model_validate_json(data)


def to_fields(model: BaseModel) -> dict[str, bytes | str]:
    return {TYPE_FIELD: type(model).__name__, DATA_FIELD: dumps(model)}


def from_fields(model: type[M], fields: dict[str, str] | dict[bytes, bytes]) -> M:
    data = fields.get(DATA_FIELD) or fields.get(DATA_FIELD.encode())  # type: ignore[call-overload]
    if data is None:
        raise ValueError(f"stream entry has no {DATA_FIELD!r} field")
    return loads(model, data)
