"""`anmalan watch | worker | beat | run | demo`: the service's processes, started the way operators start them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Annotated

import typer

from worker.cli.base import app, err, friendly, on_stop_signals, out, service
from worker.processes import celery_argv, root_notice


def _say_if_root() -> None:
    notice = root_notice()
    if notice:
        err.print(notice, highlight=False)


def _celery_argv(kind: str, settings, *extra: str) -> list[str]:
    _say_if_root()
    return celery_argv(kind, settings, *extra)


@app.command()
@friendly
def watch() -> None:
    """Läs brevlådan (IMAP med IDLE, eller Maildir) / watch the mailbox and queue new messages."""
    svc = service()
    from worker.tasks import process_message
    from worker.watch import Watcher

    on_stop_signals()
    try:
        Watcher(svc, enqueue=lambda i: process_message.delay(i)).run()
    except KeyboardInterrupt:
        out.print("anmalan watch: stopped")


@app.command()
@friendly
def worker(
    concurrency: Annotated[int | None, typer.Option(help="worker processes")] = None,
) -> None:
    """Kör Celery-arbetaren / run a Celery worker."""
    svc = service()
    extra = ["--concurrency", str(concurrency)] if concurrency else []
    os.execv(sys.executable, _celery_argv("worker", svc.settings, *extra))


@app.command()
@friendly
def beat() -> None:
    """Kör schemaläggaren / run Celery beat (digest, reminders, sweeps)."""
    svc = service()
    os.execv(sys.executable, _celery_argv("beat", svc.settings))


def _stop_group(child: subprocess.Popen) -> None:
    """Celery's warm shutdown (finish the task at hand), then nothing of the group may be left behind."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)  # e.g. beat, orphaned when the worker was killed
    child.wait()


@app.command()
@friendly
def run() -> None:
    """Allt i ett: bevakning, arbetare och schemaläggare / watcher, worker and beat in one command."""
    svc = service()
    from worker.tasks import process_message
    from worker.watch import Watcher

    # Its own process group: worker and embedded beat are stopped, or cleaned up, together.
    child = subprocess.Popen(_celery_argv("worker", svc.settings, "--beat"), start_new_session=True)
    stop = threading.Event()
    on_stop_signals()
    watcher = Watcher(svc, enqueue=lambda i: process_message.delay(i), stop=stop)
    # The watcher runs beside the main thread, which keeps an eye on both parts: if either stops on its
    # own, the whole command stops with an error instead of half-working.
    thread = threading.Thread(target=watcher.run, name="watcher", daemon=True)
    where = svc.settings.mailbox_name() if svc.settings.uses_imap else svc.settings.maildir
    out.print(f"anmalan: {svc.event.name} — läser {where}; stoppa med Ctrl-C")
    thread.start()
    status = 0
    try:
        while True:
            if child.poll() is not None:
                err.print(f"anmalan: the Celery worker stopped (exit {child.returncode})")
                status = 1
                break
            if not thread.is_alive():
                err.print("anmalan: the mailbox watcher stopped; see the log above")
                status = 1
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        _stop_group(child)
        out.print("anmalan: stopped")
    raise typer.Exit(status)


@app.command()
@friendly
def demo() -> None:
    """Kör exempelanmälningar genom hela flödet / run sample sign-ups through the whole path."""
    from worker.demo import run_demo
    from worker.settings import load_settings

    data_dir = load_settings().data_dir / "demo"
    _say_if_root()
    out.print(f"anmalan demo: exempelanmälningar i {data_dir / 'mailbox'}, en Celery-arbetare startas …")
    try:
        outgoing = run_demo(data_dir)
    except (RuntimeError, TimeoutError) as exc:
        err.print(f"[bold red]anmalan demo:[/] {exc}")
        raise typer.Exit(1) from None
    os.environ["ANMALAN_DATA_DIR"] = str(data_dir)
    from worker.cli.looking import list_registrations

    list_registrations(as_json=False)
    sent = sorted(outgoing.glob("*.eml"))
    out.print(f"{len(sent)} bekräftelser och svar finns som .eml-filer i {outgoing}/")
