"""Run rarewatch services as real subprocesses, the way a user does."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import aiohttp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServiceProcess:
    def __init__(
        self,
        service: str,
        config: Path,
        port: int,
        log_dir: Path,
        env: dict[str, str] | None = None,
    ):
        self.service, self.config, self.port = service, config, port
        self.stdout_path = log_dir / f"{service}.out"
        self.stderr_path = log_dir / f"{service}.err"
        self.env = {**os.environ, "LOG_FORMAT": "json", "LOG_LEVEL": "info", **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self._files: list[IO[bytes]] = []

    def start(self) -> ServiceProcess:
        out, err = open(self.stdout_path, "ab"), open(self.stderr_path, "ab")  # noqa: SIM115
        self._files = [out, err]
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "services.cli",
                "run",
                self.service,
                "--config",
                str(self.config),
                "--port",
                str(self.port),
            ],
            stdout=out,
            stderr=err,
            env=self.env,
        )
        return self

    async def ready(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        async with aiohttp.ClientSession() as s:
            while time.monotonic() < deadline:
                assert self.proc is not None
                if self.proc.poll() is not None:
                    raise AssertionError(f"{self.service} exited: {self.stderr_path.read_text()}")
                try:
                    async with s.get(f"http://127.0.0.1:{self.port}/readyz") as r:
                        if r.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"{self.service} not ready: {self.stderr_path.read_text()[-2000:]}")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._close()

    def stop(self, timeout_s: float = 20.0) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._close()
        return int(self.proc.returncode)

    def _close(self) -> None:
        for f in self._files:
            f.close()
        self._files = []

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")
