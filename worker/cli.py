"""The `anmalan` command line: run the service, or look at and act on its registrations."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import OperationalError

from store.db import SchemaError
from worker import cli_admin
from worker.eventfile import EventFileError
from worker.settings import SettingsError

app = typer.Typer(
    name="anmalan",
    help="Anmälningar via e-post / registrations by email.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Whole lines, and tables at full width when piped: operators grep and paste what they see.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)


def friendly(func: Callable) -> Callable:
    """Operators get one clear sentence and exit status 2, never a traceback."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (SettingsError, EventFileError, SchemaError) as exc:
            err.print(f"[bold red]anmalan:[/] {exc}", highlight=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            raise typer.Exit(0) from None
        except OperationalError as exc:
            err.print(
                f"[bold red]anmalan:[/] the database cannot be used: {str(exc.orig).splitlines()[0]}",
                highlight=False,
            )
            raise typer.Exit(2) from None

    return wrapper


def _service():
    from worker.bootstrap import build

    return build()


def _raise_stop(signum, frame):
    raise KeyboardInterrupt


def _on_stop_signals() -> None:
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)


# -- running the service ---------------------------------------------------------------------------


def _celery_argv(kind: str, settings, *extra: str) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "worker.celery_app:app",
        kind,
        "--loglevel",
        settings.log_level,
    ]
    if kind == "worker":
        # One node per host in our deployments: skip the start-up handshake with other workers.
        argv += ["--without-mingle", "--without-gossip"]
    if kind == "worker" and settings.broker().startswith("sqla+"):
        # The serverless broker and SQLite want one process; production scales with Redis instead.
        argv += ["--pool", "solo"]
    return argv + list(extra)


@app.command()
@friendly
def watch() -> None:
    """Läs brevlådan (IMAP med IDLE, eller Maildir) / watch the mailbox and queue new messages."""
    svc = _service()
    from worker.tasks import process_message
    from worker.watch import Watcher

    _on_stop_signals()
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
    svc = _service()
    extra = ["--concurrency", str(concurrency)] if concurrency else []
    os.execv(sys.executable, _celery_argv("worker", svc.settings, *extra))


@app.command()
@friendly
def beat() -> None:
    """Kör schemaläggaren / run Celery beat (digest, reminders, sweeps)."""
    svc = _service()
    os.execv(sys.executable, _celery_argv("beat", svc.settings))


@app.command()
@friendly
def run() -> None:
    """Allt i ett: bevakning, arbetare och schemaläggare / watcher, worker and beat in one command."""
    svc = _service()
    from worker.supervisor import CRASH_LIMIT, CRASH_WINDOW, Child, CrashLoop
    from worker.tasks import process_message
    from worker.watch import Watcher

    child = Child(_celery_argv("worker", svc.settings, "--beat")).start()
    crashes = CrashLoop()
    stop = threading.Event()
    _on_stop_signals()
    watcher = Watcher(svc, enqueue=lambda i: process_message.delay(i), stop=stop)
    # The watcher runs beside the main thread, which keeps an eye on both parts: a crashed worker is
    # started again; a crash loop, or a watcher that stopped, stops the whole command with an error.
    thread = threading.Thread(target=watcher.run, name="watcher", daemon=True)
    where = svc.settings.mailbox_name() if svc.settings.uses_imap else svc.settings.maildir
    out.print(f"anmalan: {svc.event.name} — läser {where}; stoppa med Ctrl-C")
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
    out.print(f"anmalan demo: exempelanmälningar i {data_dir / 'mailbox'}, en Celery-arbetare startas …")
    try:
        outgoing = run_demo(data_dir)
    except (RuntimeError, TimeoutError) as exc:
        err.print(f"[bold red]anmalan demo:[/] {exc}")
        raise typer.Exit(1) from None
    os.environ["ANMALAN_DATA_DIR"] = str(data_dir)
    list_registrations(as_json=False)
    sent = sorted(outgoing.glob("*.eml"))
    out.print(f"{len(sent)} bekräftelser och svar finns som .eml-filer i {outgoing}/")


# -- looking at things -----------------------------------------------------------------------------


@app.command()
@friendly
def parse(
    files: Annotated[list[Path], typer.Argument(help=".eml files")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """Tolka e-postfiler utan att ändra något / parse .eml files and show what was read."""
    from parsers import parse as parse_message
    from worker.eventfile import load_event, locate
    from worker.settings import load_settings

    event = load_event(locate(load_settings().event))
    status = 0
    for file in files:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            err.print(f"anmalan: {file}: {exc.strerror}")
            status = 1
            continue
        parsed = parse_message(raw, event.meeting_dates())
        record = {"file": str(file), **parsed.record()}
        if as_json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            out.print(f"[bold]{file}[/]")
            out.print_json(data=record)
    raise typer.Exit(status)


def registration_json(reg) -> dict:
    """The stable JSON of `anmalan list --json`."""
    org = reg.organisation
    return {
        "ref": reg.ref,
        "name": reg.name,
        "email": reg.email,
        "organisation": {"kind": org.kind, "code": org.code, "name": org.name} if org else None,
        "role": reg.role,
        "status": reg.status,
        "meetings": {str(n): seat.status for n, seat in sorted(reg.seats.items())},
        "diet": reg.diet,
    }


@app.command("list")
@friendly
def list_registrations(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """Visa anmälningarna / list the registrations."""
    from store.registrations import registrations

    svc = _service()
    with svc.db.unit_of_work() as session:
        regs = registrations(session, svc.event.slug)
    if as_json:
        for reg in regs:
            sys.stdout.write(json.dumps(registration_json(reg), ensure_ascii=False) + "\n")
        return
    marks = {"confirmed": "✓", "waitlisted": "kö", "cancelled": "–"}
    table = Table(title=f"{svc.event.name} ({len(regs)} anmälda)")
    for col in (
        "Ref",
        "Namn",
        "E-post",
        "Organisation",
        "Status",
        *[f"T{n}" for n in svc.event.meeting_numbers],
    ):
        table.add_column(col, overflow="fold")  # never cut an address or a name short
    for reg in regs:
        table.add_row(
            reg.ref,
            reg.name or "?",
            reg.email or "",
            reg.organisation.name if reg.organisation else "?",
            reg.status,
            *[marks.get(reg.seat_status(n) or "", "") for n in svc.event.meeting_numbers],
        )
    out.print(table)


@app.command()
@friendly
def check() -> None:
    """Kontrollera inställningar, evenemangsfil och anslutningar / check settings, event file and connections."""
    from worker.health import probes
    from worker.settings import describe

    svc = _service()
    out.print(f"event file: {svc.event_path} ({svc.event.name}, {len(svc.event.meetings)} träffar)")
    for name, value in describe(svc.settings).items():
        out.print(f"  {name}={value}", highlight=False, soft_wrap=True)
    results = probes(svc)
    for probe in results:
        mark = "[green]ok  [/]" if probe.ok else "[bold red]FAIL[/]"
        out.print(f"{mark} {probe.part}: {probe.detail}", highlight=False, soft_wrap=True)
    if not all(p.ok for p in results):
        raise typer.Exit(1)


cli_admin.register(app, friendly, _service, out, err)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
