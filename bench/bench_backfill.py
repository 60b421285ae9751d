"""`anmalan backfill` over a Maildir of N messages, as an operator runs it: wall time and peak memory.

Usage: python bench/bench_backfill.py [--messages N]
The messages are the pipeline benchmark's sign-ups, each municipality's fourth and later waitlisted.
"""

from __future__ import annotations

import argparse
import mailbox
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_pipeline import signup  # noqa: E402
from parsers.gazetteer import all_entries  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=2000)
    args = ap.parse_args()
    municipalities = [e for e in all_entries() if e.kind == "municipality"]
    with tempfile.TemporaryDirectory() as tmp:
        box = mailbox.Maildir(Path(tmp) / "mailbox", create=True)
        for n in range(args.messages):
            box.add(signup(n, municipalities[n % len(municipalities)]))
        env = {
            **os.environ,
            "ANMALAN_DATA_DIR": tmp,
            "ANMALAN_NOW": "2024-08-12T10:00:00+02:00",
            "ANMALAN_LOG_LEVEL": "WARNING",
        }
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "worker.cli", "backfill"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:])
    print(
        f"{args.messages} messages backfilled in {took:.0f} s ({args.messages / took:.1f} msgs/s), peak RSS {peak:.0f} MiB"
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
