"""The watcher's peak memory against a backlog of large messages waiting in a real IMAP folder (issue 8, item 11).

Usage: python bench/bench_backlog_memory.py [--backlogs 5 20 40] [--mb 30] [--code PATH]
Each backlog is N messages of --mb MB (a short sign-up and a PDF) appended to a private Dovecot; one
watcher pass (intake only: fetch and store) runs in a fresh process, which reports its peak RSS.
--code runs another checkout's watcher (e.g. the one before the fix) against the same backlogs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import DovecotServer  # noqa: E402

# One watcher pass, then its own peak RSS and what it stored, as JSON on stdout.
_PASS = """
import json, resource
from sqlalchemy import func, select
from store.tables import InboxMessage
from worker.bootstrap import build
from worker.watch import Watcher
svc = build()
stored = Watcher(svc, enqueue=lambda _id: None).check_once()
with svc.db.unit_of_work() as session:
    largest = session.scalar(select(func.max(func.length(InboxMessage.raw))))
print(json.dumps({"stored": len(stored), "largest": largest,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def large_message(n: int, megabytes: int) -> bytes:
    """A sign-up from a phone with `megabytes` of attachment: the text first, as mail programs write it."""
    message = EmailMessage()
    message["From"] = f"Person Nummer{n} <person{n}@falun.se>"
    message["To"] = "anmalan.dalalab@regiondalarna.se"
    message["Subject"] = "Anmälan"
    message["Message-ID"] = f"<backlog-{n}-{time.time_ns()}@falun.se>"
    message.set_content(f"Hej!\n\nJag anmäler mig till alla träffar.\n\nPerson Nummer{n}\nFalu kommun\n")
    # base64 makes 0.75 × MB of bytes about MB
    message.add_attachment(
        os.urandom(megabytes * 750_000), maintype="image", subtype="jpeg", filename="bilder.jpg"
    )
    return message.as_bytes()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backlogs", type=int, nargs="+", default=[5, 20, 40])
    ap.add_argument("--mb", type=int, default=30)
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose watcher runs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dovecot = DovecotServer(Path(tmp) / "dovecot").start()
        try:
            template = large_message(0, args.mb)
            print(f"message size {len(template) / 1e6:.1f} MB; watcher code: {args.code}")
            for backlog in args.backlogs:
                dovecot.clear()
                for n in range(backlog):
                    dovecot.append(template.replace(b"backlog-0-", f"backlog-{n}-".encode(), 1))
                data = Path(tmp) / f"data-{backlog}"
                env = {
                    **os.environ,
                    "ANMALAN_IMAP_HOST": dovecot.host,
                    "ANMALAN_IMAP_PORT": str(dovecot.port),
                    "ANMALAN_IMAP_USER": dovecot.user,
                    "ANMALAN_IMAP_PASSWORD": dovecot.password,
                    "ANMALAN_IMAP_SSL": "false",
                    "ANMALAN_DATA_DIR": str(data),
                    "ANMALAN_EVENT": str(ROOT / "config/events/dalalab-2024.yaml"),
                    "ANMALAN_LOG_LEVEL": "WARNING",
                    "PYTHONPATH": str(args.code),
                }
                start = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-c", _PASS], cwd=args.code, env=env, capture_output=True, text=True
                )
                took = time.perf_counter() - start
                if done.returncode != 0:
                    print(done.stderr[-2000:])
                    return done.returncode
                result = json.loads(done.stdout.strip().splitlines()[-1])
                print(
                    f"backlog {backlog:3d} × {args.mb} MB: stored {result['stored']} in {took:.1f} s, "
                    f"largest stored {(result['largest'] or 0) / 1e3:.0f} kB, watcher peak RSS {result['peak_mib']:.0f} MiB"
                )
        finally:
            dovecot.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
