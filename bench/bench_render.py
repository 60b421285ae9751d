"""Cost of rendering one decision's mail (a confirmation with two .ics files) to the bytes that are sent.

Usage: python bench/bench_render.py [--mails N] [--profile]
The first mail is timed apart (templates compiled, time zones loaded); the rest show the steady cost per
mail of one worker process. The mail is the one `render_all` makes in the decision path.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit" / "rules"))

from rulekit import LUDVIKA, T0, Desk, msg, person  # noqa: E402

from rules.decision import OutgoingMail  # noqa: E402
from rules.event import Event  # noqa: E402
from worker.render import mail_bytes  # noqa: E402


def confirmation() -> tuple[OutgoingMail, Event]:
    desk = Desk()
    decision = desk.send(
        msg(
            sender="åsa.öberg@ludvika.se",
            org=LUDVIKA,
            people=[person("Åsa Öberg", "asa.oberg@ludvika.se", role="manager", diet=["vegetarian"])],
            message_id="bench@mail.ludvika.se",
        )
    )
    mail = decision.mails[0]
    return mail.model_copy(update={"calendar_meetings": [1, 2]}), desk.event


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mails", type=int, default=300)
    ap.add_argument("--profile", action="store_true", help="print where the time goes")
    args = ap.parse_args()
    mail, event = confirmation()

    def one(n: int) -> float:
        start = time.perf_counter()
        mail_bytes(mail, event, message_id=f"bench{n}@regiondalarna.se", sent_at=T0)
        return (time.perf_counter() - start) * 1000

    first = one(0)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [one(n) for n in range(args.mails)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        return 0
    cpu = time.process_time()
    times = [one(n) for n in range(1, args.mails + 1)]
    cpu_ms = (time.process_time() - cpu) * 1000 / args.mails
    print(f"first mail: {first:.1f} ms")
    # CPU time is what a shared machine disturbs least; wall time shows what a worker waits.
    print(f"CPU per mail: {cpu_ms:.2f} ms")
    print(
        f"per mail over {args.mails}: mean {statistics.fmean(times):.2f} ms, "
        f"p50 {statistics.median(times):.2f} ms, "
        f"p95 {statistics.quantiles(times, n=20)[18]:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
