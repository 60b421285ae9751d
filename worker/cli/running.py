"""`anmalan watch | worker | beat | run | demo`: the service's processes, started the way operators start them."""

from __future__ import annotations

import os
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


def _folder(svc, event) -> str:
    from worker.bootstrap import mailbox_settings

    return mailbox_settings(svc.settings, event).mailbox_name()


@app.command()
@friendly
def watch() -> None:
    """Läs brevlådan (IMAP med IDLE, eller Maildir) / watch the mailbox and queue new messages."""
    svc = service(every=True)
    from worker.tasks import process_message
    from worker.watch import run_all, watchers

    on_stop_signals()
    try:
        run_all(watchers(svc, enqueue=lambda i: process_message.delay(i), ring_once=True))
    except KeyboardInterrupt:
        out.print("anmalan watch: stopped")


@app.command()
@friendly
def worker(
    concurrency: Annotated[int | None, typer.Option(help="worker processes")] = None,
) -> None:
    """Kör Celery-arbetaren / run a Celery worker."""
    svc = service(every=True)
    extra = ["--concurrency", str(concurrency)] if concurrency else []
    os.execv(sys.executable, _celery_argv("worker", svc.settings, *extra))


@app.command()
@friendly
def beat() -> None:
    """Kör schemaläggaren / run Celery beat (digest, reminders, sweeps)."""
    svc = service(every=True)
    os.execv(sys.executable, _celery_argv("beat", svc.settings))


@app.command()
@friendly
def run() -> None:
    """Allt i ett: bevakning, arbetare och schemaläggare / watcher, worker and beat in one command."""
    svc = service(every=True)
    from worker.supervisor import CRASH_LIMIT, CRASH_WINDOW, Child, CrashLoop
    from worker.tasks import process_message
    from worker.watch import run_all, watchers

    child = Child(_celery_argv("worker", svc.settings, "--beat")).start()
    crashes = CrashLoop()
    stop = threading.Event()
    on_stop_signals()
    found = watchers(svc, enqueue=lambda i: process_message.delay(i), stop=stop, ring_once=True)
    # The watchers run beside the main thread, which keeps an eye on both parts: a crashed worker is
    # started again; a crash loop, or a watcher that stopped, stops the whole command with an error.
    thread = threading.Thread(target=run_all, args=(found,), name="watcher", daemon=True)
    for watcher in found:
        s = watcher.settings
        names = ", ".join(e.name for e in svc.events.values() if watcher.mailbox == _folder(svc, e))
        out.print(
            f"anmalan: {names} — läser {s.mailbox_name() if s.uses_imap else s.maildir}; stoppa med Ctrl-C"
        )
    thread.start()
    status = 0
    try:
        while True:
            code = child.exit_status()
            if code is not None:
                child.stop(grace=0)  # whatever it left behind goes too: never two workers
                if crashes.crashed(time.monotonic()):
                    err.print(
                        f"anmalan: the Celery worker crashed {CRASH_LIMIT} times within "
                        f"{CRASH_WINDOW:.0f} s (last exit {code}); stopping"
                    )
                    status = 1
                    break
                err.print(f"anmalan: the Celery worker stopped (exit {code}); starting it again")
                child.start()
            if not thread.is_alive():
                err.print("anmalan: the mailbox watcher stopped; see the log above")
                status = 1
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        child.stop()
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
