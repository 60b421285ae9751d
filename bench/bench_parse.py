"""Messages parsed per second on one core over the labelled corpus, with peak memory.

Usage: python bench/bench_parse.py [CORPUS_DIR] [--rounds N]
The corpus defaults to ../shared/corpus/signups beside the checkout.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers import parse  # noqa: E402
from rules.event import Event  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus" / "signups"))
    ap.add_argument("--rounds", type=int, default=25)
    args = ap.parse_args()
    import yaml

    event = Event.model_validate(yaml.safe_load((ROOT / "config/events/dalalab-2024.yaml").read_text()))
    meetings = event.meeting_dates()
    messages = [p.read_bytes() for p in sorted(Path(args.corpus).glob("*.eml"))]
    if not messages:
        print(f"no .eml files in {args.corpus}")
        return 1
    for raw in messages:  # warm-up: imports, compiled patterns, gazetteer load
        parse(raw, meetings)
    start = time.perf_counter()
    for _ in range(args.rounds):
        for raw in messages:
            parse(raw, meetings)
    elapsed = time.perf_counter() - start
    count = args.rounds * len(messages)
    tracemalloc.start()
    for raw in messages:
        parse(raw, meetings)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} messages in {elapsed:.2f} s: {count / elapsed:.0f} msgs/s on one core")
    print(f"peak traced memory while parsing {peak / 1024 / 1024:.1f} MiB; process max RSS {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
