"""`anmalan parse | list | check`: looking at messages, registrations and the set-up without changing anything."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from worker.cli.base import EventOption, app, err, friendly, out, service


@app.command()
@friendly
def parse(
    files: Annotated[list[Path], typer.Argument(help=".eml files")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
    event_slug: EventOption = None,
) -> None:
    """Tolka e-postfiler utan att ändra något / parse .eml files and show what was read."""
    from parsers import parse as parse_message
    from worker.bootstrap import choose_slug, load_events
    from worker.settings import load_settings

    events, _, _ = load_events(load_settings())
    event = events[choose_slug(sorted(events), event_slug)]
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


def registration_json(reg, event: str | None = None) -> dict:
    """The stable JSON of `anmalan list --json` (with `event`, the slug of the event it belongs to)."""
    org = reg.organisation
    return {
        **({"event": event} if event is not None else {}),
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
    event_slug: EventOption = None,
) -> None:
    """Visa anmälningarna, för alla evenemang eller ett / list the registrations, of every event or one."""
    from store.registrations import registrations

    svc = service(every=True)
    views = [svc.choose(event_slug)] if event_slug else svc.each()
    for view in views:
        with view.db.unit_of_work() as session:
            regs = registrations(session, view.event.slug)
        if as_json:
            for reg in regs:
                sys.stdout.write(
                    json.dumps(registration_json(reg, view.event.slug), ensure_ascii=False) + "\n"
                )
        else:
            _table(view.event, regs)


def _table(event, regs) -> None:
    marks = {"confirmed": "✓", "waitlisted": "kö", "cancelled": "–"}
    table = Table(title=f"{event.name} — {event.slug} ({len(regs)} anmälda)")
    for col in (
        "Ref",
        "Namn",
        "E-post",
        "Organisation",
        "Status",
        *[f"T{n}" for n in event.meeting_numbers],
    ):
        table.add_column(col, overflow="fold")  # never cut an address or a name short
    for reg in regs:
        table.add_row(
            reg.ref,
            reg.name or "?",
            reg.email or "",
            reg.organisation.name if reg.organisation else "?",
            reg.status,
            *[marks.get(reg.seat_status(n) or "", "") for n in event.meeting_numbers],
        )
    out.print(table)


@app.command()
@friendly
def check() -> None:
    """Kontrollera inställningar, evenemangsfiler och anslutningar / check settings, event files and connections."""
    from worker.bootstrap import mailbox_settings
    from worker.health import event_problems, probes
    from worker.settings import describe

    svc = service(every=True)
    for view in svc.each():
        folder = mailbox_settings(svc.settings, view.event)
        where = folder.mailbox_name() if folder.uses_imap else str(folder.maildir)
        out.print(
            f"event {view.event.slug}: {view.event_path} ({view.event.name}, {len(view.event.meetings)} träffar; "
            f"läser {where})",
            highlight=False,
        )
    failed = False
    for draft in svc.incomplete:
        # Not a failure: the other events run, and this one joins them once its dates are filled in.
        out.print(
            f"[yellow]TODO[/] event file {draft.path}: not run until it is complete; saknas / missing: "
            f"{', '.join(draft.missing)}",
            highlight=False,
            soft_wrap=True,
        )
    for problem in event_problems(svc):
        out.print(f"[bold red]FAIL[/] events: {problem}", highlight=False, soft_wrap=True)
        failed = True
    for name, value in describe(svc.settings).items():
        out.print(f"  {name}={value}", highlight=False, soft_wrap=True)
    results = probes(svc)
    for probe in results:
        mark = "[green]ok  [/]" if probe.ok else "[bold red]FAIL[/]"
        out.print(f"{mark} {probe.part}: {probe.detail}", highlight=False, soft_wrap=True)
    if failed or not all(p.ok for p in results):
        raise typer.Exit(1)
