"""``rarewatch up``: the Redis it picks, and the embedded Valkey when none answers."""

from __future__ import annotations

from pathlib import Path

import redis as sync_redis

from services.cli.up import choose_redis
from services.config import Config
from tests.proc import free_port


def test_configured_redis_wins(redis_url: str, tmp_path: Path) -> None:
    url, server = choose_redis(Config(redis_url=redis_url), data_dir=tmp_path / "d")
    assert url == redis_url and server is None
    assert not (tmp_path / "d").exists()


def test_default_redis_is_used_when_it_answers(redis_url: str, tmp_path: Path) -> None:
    url, server = choose_redis(Config(), default_url=redis_url, data_dir=tmp_path / "d")
    assert url == redis_url and server is None


def test_embedded_valkey_when_nothing_answers(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    nothing = f"redis://127.0.0.1:{free_port()}/0"
    url, server = choose_redis(Config(), default_url=nothing, data_dir=tmp_path / ".rarewatch")
    try:
        assert server is not None and url != nothing
        client = sync_redis.Redis.from_url(url)
        assert client.ping()
        client.xadd("probe", {"a": "1"})
        client.close()
        assert (tmp_path / ".rarewatch" / "valkey").is_dir()
        out = capsys.readouterr().out
        assert out.count("\n") == 1 and "embedded Valkey" in out
    finally:
        server.stop()  # type: ignore[union-attr]
