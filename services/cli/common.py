"""What several commands share: loading the config with a clear error, logging set-up."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from services.config import Config, load_config
from shared.errors import ConfigError
from shared.logging import configure_logging, register_secrets
from shared.settings import EnvSettings, env_settings


def add_config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        "-c",
        type=Path,
        default=None,
        help="the YAML config file (default: $RAREWATCH_CONFIG, else built-in)",
    )


def load(args: argparse.Namespace, service: str | None = None) -> tuple[Config, EnvSettings]:
    """Settings and config, or exit 2 with the message naming what to fix."""
    try:
        env = env_settings()
        config = load_config(getattr(args, "config", None), env)
    except ConfigError as exc:
        print(f"rarewatch: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    register_secrets(config.secrets())
    configure_logging(env.log_level, env.log_format, service)
    return config, env
