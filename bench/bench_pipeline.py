"""Throughput of the whole decision path on one core: intake, parse + decide + write, render + delivery.

Usage: python bench/bench_pipeline.py [--messages N] [--database URL]
Runs in-process on a fresh SQLite database in a temporary folder (or the given database), with mail
delivered to a folder, so what is measured is our code and the database, not a broker or a network.
Prints messages per second for each stage, the time a decision takes within its batch, and peak memory.
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers.gazetteer import all_entries  # noqa: E402
from store import inbox  # noqa: E402
from worker.bootstrap import build  # noqa: E402
from worker.clock import Clock  # noqa: E402
from worker.pipeline import process  # noqa: E402
from worker.send import deliver_due  # noqa: E402
from worker.settings import Settings  # noqa: E402

FIRST = ["Anna", "Per", "Karin", "Lars", "Eva", "Johan", "Maria", "Erik", "Sara", "Olof", "Helén", "Åsa"]
LAST = ["Lindqvist", "Ek", "Ström", "Berg", "Sandberg", "Grahn", "Lind", "Nygren", "Falk", "Öberg"]
TITLES = [
    "samhällsbyggnadschef",
    "planarkitekt",
    "näringslivsutvecklare",
    "översiktsplanerare",
    "kommundirektör",
]


def signup(n: int, municipality) -> bytes:
    first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
    domain = municipality.domains[0] if municipality.domains else "example.se"
    address = (
        f"{first.lower()}.{last.lower()}{n}@{domain}".replace("é", "e").replace("å", "a").replace("ö", "o")
    )
    return (
        f"From: {first} {last} <{address}>\r\nTo: anmalan.dalalab@regiondalarna.se\r\n"
        f"Subject: =?utf-8?q?Anm=C3=A4lan?=\r\nMessage-ID: <bench-{n}@{domain}>\r\n"
        "Date: Mon, 12 Aug 2024 09:00:00 +0200\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"Hej!\r\n\r\nJag vill anmäla mig till lärprojektet, träff 1 och 2.\r\n\r\n"
        f"Med vänliga hälsningar\r\n{first} {last}\r\n{TITLES[n % len(TITLES)].capitalize()}\r\n{municipality.name}\r\n"
    ).encode()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--database", default=None)
    args = ap.parse_args()
    logging.disable(logging.INFO)  # one line per message would be the benchmark's bottleneck
    municipalities = [e for e in all_entries() if e.kind == "municipality"]
    raws = [signup(n, municipalities[n % len(municipalities)]) for n in range(args.messages)]

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            event=ROOT / "config/events/dalalab-2024.yaml",
            database_url=args.database,
            # The guard against answering a flood (300 an hour by default) would leave most unanswered.
            max_answers_per_hour=1_000_000,
        )
        if args.database:  # start from an empty database, as the SQLite run does
            from sqlalchemy import create_engine

            url = args.database.replace("postgresql://", "postgresql+psycopg://", 1)
            with create_engine(url).begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        svc = build(settings)
        svc.clock = Clock(datetime.fromisoformat("2024-08-12T10:00:00+02:00"))

        start = time.perf_counter()
        ids = []
        for n, raw in enumerate(raws):
            with svc.db.unit_of_work() as session:
                row = inbox.store_raw(
                    session,
                    mailbox="bench",
                    uidvalidity=1,
                    uid=str(n + 1),
                    raw=raw,
                    received_at=svc.clock.now(),
                    now=svc.clock.now(),
                )
                ids.append(row.id)
        intake = time.perf_counter() - start

        # Decisions are made in batches (worker.pipeline.BATCH): a call decides every waiting row up to the
        # one it names, so the per-message figure is a batch's time over the messages it decided.
        per_message, decided = [], 0
        start = time.perf_counter()
        for inbox_id in ids:
            t = time.perf_counter()
            before = decided
            decided += len(process(svc, inbox_id))
            if decided > before:
                per_message += [(time.perf_counter() - t) / (decided - before)] * (decided - before)
        deciding = time.perf_counter() - start

        # As the service sends: every due row over one connection, leased a few at a time (and rendered
        # there, outside the event lock).
        start = time.perf_counter()
        sent = deliver_due(svc)["sent"]
        delivering = time.perf_counter() - start

    n = len(raws)
    q = statistics.quantiles(per_message, n=100)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    db = "PostgreSQL" if args.database else "SQLite"
    print(f"{n} sign-ups from {min(n, len(municipalities))} municipalities, {db}, one process")
    print(f"intake (store raw, one transaction each): {n / intake:8.0f} msgs/s")
    print(
        f"decide (parse+decide+write, in batches): {n / deciding:8.0f} msgs/s  "
        f"per message of a batch p50 {q[49] * 1000:.1f} ms  p95 {q[94] * 1000:.1f} ms"
    )
    print(f"deliver (render + .eml folder):           {sent / delivering:8.0f} mails/s ({sent} mails)")
    print(f"peak RSS: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
