"""Settings: the environment (pydantic-settings) and the YAML file with ``${VAR}`` substitution.

Only this module reads the process environment. Everything else gets a typed settings
object built once at start-up and passed in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.errors import ConfigError

M = TypeVar("M", bound=BaseModel)

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class EnvSettings(BaseSettings):
    """Process settings from the environment; they win over the config file."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    redis_url: str | None = None
    rarewatch_namespace: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    rarewatch_config: Path | None = None
    log_level: Literal["debug", "info", "warning", "error", "DEBUG", "INFO", "WARNING", "ERROR"] = (
        "info"
    )
    log_format: Literal["json", "console", "auto"] = "auto"
    hostname: str | None = None


def env_settings() -> EnvSettings:
    try:
        return EnvSettings()
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, "environment")) from None


def environ() -> Mapping[str, str]:
    """The environment, for ``${VAR}`` substitution (kept here: one reader of os.environ)."""
    return os.environ


class LenientEnv(Mapping[str, str]):
    """``${VAR}`` lookups that never fail, for tools that read a config without needing
    its secrets (an unset variable reads as ``<VAR unset>``)."""

    def __init__(self, env: Mapping[str, str]):
        self._env = env

    def __getitem__(self, key: str) -> str:
        return self._env.get(key) or f"<{key} unset>"

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._env)

    def __len__(self) -> int:
        return len(self._env)


def substitute(value: Any, env: Mapping[str, str], path: str = "") -> Any:
    """Replace ``${VAR}`` and ``${VAR:-default}`` in every string of a parsed YAML tree."""
    if isinstance(value, str):

        def repl(m: re.Match[str]) -> str:
            name, default = m.group(1), m.group(2)
            if name in env and env[name] != "":
                return env[name]
            if default is not None:
                return default
            raise ConfigError(
                f"{path or 'config'}: environment variable {name} is not set "
                f"(set it, or write ${{{name}:-default}} in the file)"
            )

        return _VAR.sub(repl, value)
    if isinstance(value, list):
        return [substitute(v, env, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: substitute(v, env, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    return value


def read_yaml(path: Path, env: Mapping[str, str]) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: the top level must be a mapping of keys, not {type(data).__name__}"
        )
    result: dict[str, Any] = substitute(data, env)
    return result


def format_validation_error(exc: ValidationError, where: str) -> str:
    lines = [f"{where}: {exc.error_count()} invalid setting(s)"]
    for err in exc.errors(include_url=False):
        loc = _format_loc(err["loc"])
        msg = err["msg"]
        ctx = err.get("ctx") or {}
        if err["type"] == "extra_forbidden":
            msg = "unknown key (remove it or check its spelling)"
        elif err["type"] == "union_tag_invalid":
            msg = f"unknown kind {ctx.get('tag')!r}; allowed: {ctx.get('expected_tags')}"
        elif err["type"] == "union_tag_not_found":
            msg = f"missing 'kind'; allowed: {ctx.get('expected_tags', 'see docs')}"
        lines.append(f"  {loc}: {msg}")
    return "\n".join(lines)


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out and part in _DISCRIMINATOR_VALUES:
            continue  # pydantic inserts the union tag into the location; readers don't need it
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


_DISCRIMINATOR_VALUES: set[str] = set()


def register_discriminators(*tags: str) -> None:
    """Union tags (``rss``, ``webhook``…) that pydantic puts into error locations."""
    _DISCRIMINATOR_VALUES.update(tags)


def validate_file(model: type[M], data: dict[str, Any], where: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, where)) from None
