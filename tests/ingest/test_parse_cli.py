"""``rarewatch parse`` over every corpus file: no tracebacks, every recovered entry printed,
one stderr line per unusable file."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import feedparser
import pytest

from services.cli import main

from .conftest import CORPORA, REPO

ALL_FILES = sorted(
    p for p in CORPORA.rglob("*") if p.is_file() and p.name not in ("README.md", "MANIFEST.json")
)
MANIFEST = {
    m["file"]: m["feedparser_6_0_14"]
    for m in json.loads((CORPORA / "realworld" / "MANIFEST.json").read_text())
}
UNUSABLE_REALWORLD = (
    "rss/reuters_most_read_not_wellformed.xml",
    "rss/edge_jsonfeed_served_as_feed.json",
    "rss/edge_bogus_prefixed_rss_not_wellformed.xml",
    "gdelt/gdelt_error_rate_limited.txt",
    "gdelt/gdelt_error_keyword_too_short.txt",
)


def expected_items(path: Path) -> int:
    """feedparser's own entry count, or the manifest's baseline for the real-world files."""
    if CORPORA / "realworld" in path.parents:
        baseline = MANIFEST[str(path.relative_to(CORPORA / "realworld"))]
        return int(baseline.get("items") or baseline.get("entries") or 0)
    return len(feedparser.parse(io.BytesIO(path.read_bytes())).entries)


def test_every_corpus_file_parses_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(ALL_FILES) == 2107 + 59
    code = main(["parse", *map(str, ALL_FILES)])
    out, err = capsys.readouterr()
    per_file = Counter(json.loads(line)["file"] for line in out.splitlines())
    err_lines = err.splitlines()
    assert "Traceback" not in err and "internal error" not in err
    failed = {line.split(": ", 1)[0] for line in err_lines if "no items (well-formed" not in line}
    assert code == 1 and failed
    wrong = [f"{p}: {per_file[str(p)]} vs {expected_items(p)}" for p in ALL_FILES
             if per_file[str(p)] != expected_items(p)]  # fmt: skip
    assert not wrong, wrong[:10]
    # a file with no items always says why, exactly once, naming the file
    silent = [p for p in ALL_FILES if not per_file[str(p)]]
    assert sorted(line.split(": ", 1)[0] for line in err_lines) == sorted(map(str, silent))
    rw = CORPORA / "realworld"
    for unusable in UNUSABLE_REALWORLD:
        assert str(rw / unusable) in failed


def test_console_command_exit_codes_and_stream_split(tmp_path: Path) -> None:
    good = CORPORA / "realworld" / "gdelt" / "gdelt_artlist_vizhinjam_port_2024.json"
    throttled = CORPORA / "realworld" / "gdelt" / "gdelt_error_rate_limited.txt"
    cmd = [sys.executable, "-m", "services.cli", "parse"]
    ok = subprocess.run([*cmd, str(good)], capture_output=True, text=True, cwd=REPO, check=False)
    assert ok.returncode == 0 and ok.stderr == ""
    rows = [json.loads(line) for line in ok.stdout.splitlines()]
    assert len(rows) == 4 and all(r["file"] == str(good) and r["id"] and r["title"] for r in rows)
    mixed = subprocess.run(
        [*cmd, str(throttled), str(good)], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert mixed.returncode == 1 and len(mixed.stdout.splitlines()) == 4
    assert len(mixed.stderr.splitlines()) == 1
    assert mixed.stderr.startswith(f"{throttled}: GDELT throttled, retry later")
    missing = subprocess.run(
        [*cmd, str(tmp_path / "nope.xml")], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert missing.returncode == 1 and "nope.xml: cannot read" in missing.stderr
