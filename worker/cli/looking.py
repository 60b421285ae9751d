"""`anmalan parse | list | check`: looking at messages, registrations and the set-up without changing anything."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from worker.cli.base import app, err, friendly, out, service


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

    svc = service()
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

    svc = service()
    out.print(f"event file: {svc.event_path} ({svc.event.name}, {len(svc.event.meetings)} träffar)")
    for name, value in describe(svc.settings).items():
        out.print(f"  {name}={value}", highlight=False, soft_wrap=True)
    results = probes(svc)
    for probe in results:
        mark = "[green]ok  [/]" if probe.ok else "[bold red]FAIL[/]"
        out.print(f"{mark} {probe.part}: {probe.detail}", highlight=False, soft_wrap=True)
    if not all(p.ok for p in results):
        raise typer.Exit(1)
