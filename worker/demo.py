"""`anmalan demo`: sample sign-ups through the whole embedded path, with a real Celery worker."""

from __future__ import annotations

import mailbox
import os
import shutil
import subprocess
import time
from importlib.resources import files
from pathlib import Path

from sqlalchemy import func, select

from store.tables import InboxMessage, OutboxRow
from worker.eventfile import DEFAULT_DIR
from worker.processes import celery_argv
from worker.resources import example_event

# The 2024 event is replayed from a day before its deadline unless ANMALAN_NOW says otherwise.
DEMO_NOW = "2024-08-12T12:00:00+02:00"
EMBEDDED_ONLY = ("IMAP_HOST", "SMTP_HOST", "DATABASE_URL", "BROKER_URL")


def demo_environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.removeprefix("ANMALAN_") not in EMBEDDED_ONLY}
    env["ANMALAN_DATA_DIR"] = str(data_dir)
    if "ANMALAN_EVENT" not in env and not any(DEFAULT_DIR.glob("*.y*ml")):
        # Run from any folder after `pip install`: the example event ships with the package.
        env["ANMALAN_EVENT"] = str(example_event())
    env.setdefault("ANMALAN_NOW", DEMO_NOW)
    return env


def samples() -> list[tuple[str, bytes]]:
    folder = files("worker") / "samples"
    return sorted((p.name, p.read_bytes()) for p in folder.iterdir() if p.name.endswith(".eml"))


def fill_maildir(path: Path) -> int:
    box = mailbox.Maildir(path, create=True)
    items = samples()
    for _, raw in items:
        box.add(raw)
    return len(items)


def settled(db) -> bool:
    """Every message decided and every mail out of the queue."""
    with db.unit_of_work() as session:
        waiting = session.scalar(
            select(func.count()).select_from(InboxMessage).where(InboxMessage.status == "new")
        )
        sending = session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.status.in_(("queued", "inflight")))
        )
        stored = session.scalar(select(func.count()).select_from(InboxMessage))
    return stored > 0 and waiting == 0 and sending == 0


def run_demo(data_dir: Path, *, timeout: float = 90.0) -> Path:
    """Returns the folder holding the sent mails."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    env = demo_environment(data_dir)
    os.environ.update(env)
    for name in EMBEDDED_ONLY:
        os.environ.pop(f"ANMALAN_{name}", None)

    from worker.bootstrap import build
    from worker.tasks import process_message
    from worker.watch import Watcher

    svc = build()
    fill_maildir(svc.settings.maildir)
    # The worker's own lines go to a file: the demo's screen is the product's output.
    log = svc.settings.data_dir / "worker.log"
    with log.open("ab") as worker_log:
        worker = subprocess.Popen(
            celery_argv("worker", svc.settings.model_copy(update={"log_level": "WARNING"})),
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
    try:
        Watcher(svc, enqueue=lambda i: process_message.delay(i)).check_once()
        deadline = time.monotonic() + timeout
        while not settled(svc.db):
            if worker.poll() is not None:
                raise RuntimeError(f"the Celery worker stopped (exit {worker.returncode}); see {log}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the demo did not finish within {timeout:.0f} s")
            time.sleep(0.3)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return svc.settings.outgoing_dir
