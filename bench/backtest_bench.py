"""How long `rarewatch backtest` takes on 100,000 items (the target: under 30 s).

The items are the bundled sample capture (services/demo/sample_capture.jsonl) cycled: each
cycle has its ids and URLs made unique and its minerals rotated (through thirty names:
dysprosium becomes terbium, then gallium...), and starts 73 hours after the one before,
just past the 72-hour story window. Cycles closer together make every copy of an item a
near-duplicate of the last one, so a handful of stories would absorb all 100,000 items,
which real traffic does not do. Run:

    .venv/bin/python bench/backtest_bench.py [N] [--keep FILE]

It prints the size of the capture, the wall time of the command and items per second.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "services" / "demo" / "sample_capture.jsonl"
CYCLE_SHIFT = timedelta(hours=73)  # past the 72 h story window
ROTATION = [
    "dysprosium", "terbium", "gallium", "germanium", "antimony", "graphite", "cobalt", "lithium",
    "nickel", "tin", "tungsten", "neodymium", "praseodymium", "yttrium", "scandium", "indium",
    "bismuth", "tellurium", "vanadium", "molybdenum", "niobium", "tantalum", "manganese",
    "magnesium", "zirconium", "hafnium", "beryllium", "fluorspar", "chromium", "titanium",
]  # fmt: skip
_MINERAL = re.compile(r"\b(" + "|".join(ROTATION) + r")\b", re.IGNORECASE)


def rotate(text: str, k: int) -> str:
    def repl(m: re.Match[str]) -> str:
        word = ROTATION[(ROTATION.index(m.group(0).lower()) + k) % len(ROTATION)]
        return word.capitalize() if m.group(0)[0].isupper() else word

    return _MINERAL.sub(repl, text)


def generate(n: int, out: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, entries = json.loads(lines[0]), [json.loads(x) for x in lines[1:]]
    with out.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({**header, "from": None, "to": None}) + "\n")
        written, k = 0, 0
        while written < n:
            for e in entries:
                if written == n:
                    break
                at = datetime.fromisoformat(e["time"]) + k * CYCLE_SHIFT
                data = dict(e["data"])
                data["id"] = f"{data['id']}-{k}"
                data["url"] = f"{data['url']}-{k}"
                data["title"] = rotate(data["title"], k)
                data["summary"] = rotate(data["summary"], k)
                shift = at - datetime.fromisoformat(e["time"])
                for field in ("seen_at", "published_at"):
                    data[field] = (datetime.fromisoformat(data[field]) + shift).isoformat()
                ms = int(at.timestamp() * 1000)
                line = {"id": f"{ms}-0", "time": at.isoformat(), "type": e["type"], "data": data}
                fh.write(json.dumps(line) + "\n")
                written += 1
            k += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the generated capture here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        capture = args.keep or Path(tmp) / "bench.jsonl"
        generate(args.n, capture)
        size_mb = capture.stat().st_size / 1e6
        cmd = [sys.executable, "-m", "services.cli", "backtest", str(capture), "--json"]
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=REPO, check=False)
        took = time.perf_counter() - started
    if proc.returncode != 0:
        print(proc.stderr.decode(), file=sys.stderr)
        return 1
    alerts = len(json.loads(proc.stdout)["alerts"])
    print(
        f"rarewatch backtest: {args.n} items ({size_mb:.0f} MB) -> {alerts} alerts "
        f"in {took:.1f} s ({args.n / took:,.0f} items/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
