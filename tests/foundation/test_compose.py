"""docker-compose.yml is valid (checked by docker-compose itself) and has what operators
rely on: Redis with append-only on a volume, /readyz healthchecks, healthy dependencies,
restart policies, and no container_name so workers scale."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import REPO


def compose_config() -> dict:  # type: ignore[type-arg]
    exe = shutil.which("docker-compose")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is not installed (.ci/run installs it)")
        pytest.skip("docker-compose is not installed")
    proc = subprocess.run(
        [exe, "-f", str(REPO / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(proc.stdout)  # type: ignore[no-any-return]


def test_compose_file_is_valid_and_complete() -> None:
    config = compose_config()
    services = config["services"]
    assert set(services) == {"redis", "ingest", "classify", "notify"}
    redis = services["redis"]
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]
    assert any(str(v).split(":")[:2] == ["redis-data", "/data"] for v in redis["volumes"])
    assert "redis-data" in config["volumes"]
    assert "redis-cli" in redis["healthcheck"]["test"]
    ports = {"ingest": 8081, "classify": 8082, "notify": 8083}
    for name, port in ports.items():
        svc = services[name]
        assert svc["command"] == ["run", name]
        assert f"127.0.0.1:{port}/readyz" in " ".join(svc["healthcheck"]["test"])
        assert svc["depends_on"]["redis"]["condition"] == "service_healthy"
        assert svc["restart"] in ("unless-stopped", "always", "on-failure")
        assert "container_name" not in svc


def test_dockerfile_runs_as_non_root() -> None:
    text = (REPO / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in text
    assert "\nUSER " in text and "USER root" not in text


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text().splitlines()
    commands = [line for line in readme[:6] if line.startswith("python3 ")]
    assert len(commands) == 2
    assert commands[1] in (REPO / ".ci" / "run").read_text()
