"""Messages parsed per second on one core over the labelled corpus, with peak memory.

Usage: python bench/bench_parse.py [CORPUS_DIR] [--rounds N] [--cold]
The corpus defaults to ../shared/corpus/signups beside the checkout. The same messages come round
again each round, so memo caches in the parser (folding, gazetteer words) could flatter the figure:
--cold empties every such cache before each message, the worst case for a mailbox of all-new mail.
Run it pinned to one core (taskset -c 1) and take the best of several runs on a shared machine; the best
round and the CPU-time figure move least with the machine's load.
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


def _parser_caches() -> list:
    """Every functools cache in the parser's modules."""
    import importlib
    import pkgutil

    import parsers

    found = []
    for info in pkgutil.iter_modules(parsers.__path__):
        module = importlib.import_module(f"parsers.{info.name}")
        found += [f for f in vars(module).values() if callable(getattr(f, "cache_clear", None))]
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus" / "signups"))
    ap.add_argument("--rounds", type=int, default=25)
    ap.add_argument("--cold", action="store_true", help="empty the parser's memo caches before each message")
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
    caches = _parser_caches() if args.cold else []
    elapsed = cpu = 0.0
    rounds: list[float] = []  # wall seconds of each round over all the messages
    for _ in range(args.rounds):
        round_wall = 0.0
        for raw in messages:
            for cache in caches:
                cache.cache_clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            parse(raw, meetings)
            round_wall += time.perf_counter() - start
            cpu += time.process_time() - start_cpu
        rounds.append(round_wall)
        elapsed += round_wall
    count = args.rounds * len(messages)
    tracemalloc.start()
    for raw in messages:
        parse(raw, meetings)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mode = " (cold caches)" if args.cold else ""
    print(f"{count} messages in {elapsed:.2f} s: {count / elapsed:.0f} msgs/s on one core{mode}")
    # On a shared machine the wall clock also counts the time other processes had the core: the best
    # round and the process's own CPU time are the steadier figures (compare runs by them).
    best = min(rounds)
    print(
        f"best of {args.rounds} rounds {len(messages) / best:.0f} msgs/s ({1000 * best / len(messages):.2f} ms a"
        f" message); CPU time {count / cpu:.0f} msgs/s ({1000 * cpu / count:.2f} ms a message)"
    )
    print(f"peak traced memory while parsing {peak / 1024 / 1024:.1f} MiB; process max RSS {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
