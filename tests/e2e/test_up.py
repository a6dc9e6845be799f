"""The README's first command as a newcomer runs it: ``rarewatch up --demo`` shows alerts on
the console within seconds and stops cleanly on Ctrl-C, on an embedded Valkey when no
Redis answers (checked in a fresh network namespace) and on the Redis of REDIS_URL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import yaml

from tests.proc import free_port

pytestmark = pytest.mark.slow
RAREWATCH = str(Path(sys.executable).with_name("rarewatch"))


def run_up(cmd: list[str], cwd: Path, env: dict[str, str], alerts: int = 3) -> tuple[str, str]:
    out, err = cwd / "up.out", cwd / "up.err"
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=o, stderr=e, start_new_session=True)
        try:
            deadline = time.monotonic() + 90
            while out.read_text().count("ALERT") < alerts:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"no alerts: {out.read_text()}\n{err.read_text()[-3000:]}")
                time.sleep(0.2)
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
            assert proc.wait(timeout=40) == 0
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return out.read_text(), err.read_text()


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="needs root and unshare for a network namespace without Redis",
)
def test_up_demo_on_an_embedded_valkey_when_no_redis_answers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "RAREWATCH_CONFIG")}
    cmd = ["unshare", "-n", "sh", "-c", f"ip link set lo up && exec {RAREWATCH} up --demo"]
    out, err = run_up(cmd, tmp_path, env)
    assert "started an embedded Valkey" in out
    assert (tmp_path / ".rarewatch" / "valkey").is_dir()
    assert "Traceback" not in err


def test_up_demo_on_the_redis_of_redis_url(tmp_path: Path, redis_url: str) -> None:
    config = tmp_path / "rarewatch.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "sources": [],
                "ingest": {"port": free_port()},
                "classify": {"port": free_port()},
                "notify": {"port": free_port()},
                "destinations": [{"id": "stdout", "kind": "console"}],
                "routes": [{"match": {"min_level": "medium"}, "to": ["stdout"]}],
            }
        )
    )
    env = {**os.environ, "REDIS_URL": redis_url, "RAREWATCH_NAMESPACE": f"up-{tmp_path.name}"}
    try:
        out, err = run_up([RAREWATCH, "up", "--demo", "--config", str(config)], tmp_path, env)
    finally:
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"up-{tmp_path.name}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
    assert "embedded" not in out and not (tmp_path / ".rarewatch").exists()
    assert "Traceback" not in err
