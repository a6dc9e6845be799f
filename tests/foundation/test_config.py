"""Invalid config files fail at start with the key path and what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from services.config import load_config
from shared.errors import ConfigError
from shared.settings import EnvSettings

GOOD = """
namespace: rw-test
ingest: {port: 9001, push_token: "${PUSH_TOKEN}"}
sources: []
destinations:
  - {id: risk, kind: webhook, url: "https://risk.example.org/hook", secret: "${SECRET}"}
  - {id: stdout, kind: console}
routes:
  - {match: {min_level: high, minerals: [rare_earths]}, to: [risk]}
  - {match: {min_level: medium}, to: [stdout]}
"""
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ENV = {"PUSH_TOKEN": "tok-123456", "SECRET": SECRET}


def load(
    tmp_path: Path,
    text: str,
    env: dict[str, str] | None = None,
    settings: EnvSettings | None = None,
):  # type: ignore[no-untyped-def]
    path = tmp_path / "rarewatch.yaml"
    path.write_text(text)
    return load_config(path, settings or EnvSettings(), ENV if env is None else env)


def test_good_file_with_substitution(tmp_path: Path) -> None:
    config = load(tmp_path, GOOD)
    assert config.namespace == "rw-test"
    assert config.ingest.push_token is not None
    assert config.ingest.push_token.get_secret_value() == "tok-123456"
    assert SECRET in config.secrets()
    assert SECRET not in repr(config) and SECRET not in config.model_dump_json()


def test_environment_wins_over_the_file(tmp_path: Path) -> None:
    env = EnvSettings(redis_url="redis://127.0.0.1:6390/2", rarewatch_namespace="other")
    config = load(tmp_path, GOOD, settings=env)
    assert config.namespace == "other" and config.redis_url == "redis://127.0.0.1:6390/2"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (GOOD.replace("port: 9001", "port: nine"), ["ingest.port"]),
        (GOOD.replace("kind: console", "kind: pager"), ["destinations[1]", "pager", "console"]),
        (
            GOOD.replace("min_level: high", "min_level: severe"),
            ["routes[0].match.min_level", "critical"],
        ),
        (GOOD.replace("to: [risk]", "to: [nowhere]"), ["routes[0].to[0]", "nowhere"]),
        (
            GOOD.replace("namespace: rw-test", "namespace: rw-test\nnamesapce: x"),
            ["namesapce", "unknown key"],
        ),
        (
            GOOD.replace('secret: "${SECRET}"', "secret: not-a-secret"),
            ["destinations[0].secret", "whsec_"],
        ),
        (GOOD.replace("${PUSH_TOKEN}", "${MISSING_VAR}"), ["ingest.push_token", "MISSING_VAR"]),
        ("- just\n- a list\n", ["top level must be a mapping"]),
        ("key: [unclosed\n", ["not valid YAML"]),
    ],
)
def test_invalid_files_name_the_key(tmp_path: Path, text: str, names: list[str]) -> None:
    with pytest.raises(ConfigError) as err:
        load(tmp_path, text)
    message = str(err.value)
    for name in names:
        assert name in message, message
    assert SECRET not in message


def test_cli_exits_2_with_the_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("notify: {port: -5}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "services.cli", "run", "notify", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "notify.port" in proc.stderr and "Traceback" not in proc.stderr
