"""`anmalan` commands for organisers at a shell: digest, show, approve/reject/cancel, export, backfill."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from parsers.commands import Command, CommandName
from worker.cli.base import EventOption, app, err, friendly, out, service


def deliver_all(svc, ids: list[int]) -> dict[str, int]:
    from worker.send import deliver

    outcomes: dict[str, int] = {}
    for outbox_id in ids:
        outcome = deliver(svc, outbox_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@app.command()
@friendly
def digest(
    send: Annotated[bool, typer.Option("--send", help="skicka sammanställningen nu / send it now")] = False,
    preview: Annotated[
        Path | None, typer.Option(help="skriv HTML-versionen hit / write the HTML here")
    ] = None,
    event_slug: EventOption = None,
) -> None:
    """Dagens sammanställning till arrangörerna / the organisers' digest."""
    if not send and preview is None:
        err.print("anmalan digest: give --send, or --preview FILE.html")
        raise typer.Exit(2)
    svc = service(event_slug)
    from rules.digest import digest_mails
    from rules.token import digest_token
    from worker.organiser import digest_view, export_names
    from worker.render import render_parts

    if preview is not None:
        now = svc.clock.now()
        with svc.db.unit_of_work() as session:
            view = digest_view(svc, session, now=now, since=None)
        token = digest_token(svc.settings.secret(), svc.event.slug, svc.event.local_day(now))
        [mail, *_] = digest_mails(svc.event, view, token=token, attachments=list(export_names(svc, now)))
        _, _, html = render_parts(mail, svc.event, svc.settings.templates_dir)
        try:
            preview.write_text(html, encoding="utf-8")
        except OSError as exc:
            err.print(f"anmalan digest: cannot write {preview}: {exc.strerror}")
            raise typer.Exit(1) from None
        out.print(f"förhandsvisning: {preview}")
    if send:
        from worker.organiser import send_digest

        ids = send_digest(svc, force=True)
        outcomes = deliver_all(svc, ids)
        out.print(f"sammanställning: {len(ids)} mejl, {outcomes.get('sent', 0)} skickade")
        if outcomes.get("failed") or outcomes.get("retry"):
            raise typer.Exit(1)


def find(svc, ref: str):
    from store.registrations import registrations

    with svc.db.unit_of_work() as session:
        regs = {r.ref: r for r in registrations(session, svc.event.slug)}
    reg = regs.get(ref.strip().upper())
    if reg is None:
        err.print(f"anmalan: ingen anmälan med referensen {ref!r} / no registration {ref!r}")
        raise typer.Exit(1)
    return reg


@app.command()
@friendly
def show(
    ref: Annotated[str, typer.Argument(help="referens, t.ex. K7M2QX")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    event_slug: EventOption = None,
) -> None:
    """Visa en anmälan med historik / show one registration and its history."""
    from sqlalchemy import select

    from store.tables import AuditRow, OutboxRow
    from worker.cli.looking import registration_json

    svc = service(event_slug)
    reg = find(svc, ref)

    def about(table):  # rows of a table that name this registration, oldest first
        return (
            session.execute(
                select(table)
                .where(table.event == svc.event.slug, table.registration_ref == reg.ref)
                .order_by(table.id)
            )
            .scalars()
            .all()
        )

    with svc.db.unit_of_work() as session:
        history, mails = about(AuditRow), about(OutboxRow)
    data = registration_json(reg)
    data["history"] = [{"at": h.at.isoformat(), "rule": h.rule, "detail": h.detail} for h in history]
    data["mails"] = [{"template": m.template, "to": m.recipient, "status": m.status} for m in mails]
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    out.print(f"[bold]{reg.ref}[/] {reg.name or '?'} <{reg.email or '-'}> — {reg.status}")
    out.print(f"organisation: {reg.organisation.name if reg.organisation else '?'}; roll: {reg.role or '-'}")
    out.print("träffar: " + ", ".join(f"{n}: {s}" for n, s in data["meetings"].items()))
    table = Table("när", "vad", "detalj")
    for h in data["history"]:
        table.add_row(h["at"][:16], h["rule"], h["detail"])
    out.print(table)
    for m in data["mails"]:
        out.print(f"  mejl {m['template']} till {m['to']}: {m['status']}")


def organiser_command(name: CommandName, ref: str, reason: str = "", event: str | None = None) -> None:
    from worker.organiser import act_at_shell

    svc = service(event)
    find(svc, ref)
    args = [ref.strip().upper(), *([reason] if reason else [])]
    ids, results = act_at_shell(svc, [Command(name=name, args=args, line=f"{name} {' '.join(args)}")])
    deliver_all(svc, ids)
    for result in results:
        (out if result.ok else err).print(result.message_sv, highlight=False)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


@app.command()
@friendly
def approve(ref: Annotated[str, typer.Argument(help="referens")], event_slug: EventOption = None) -> None:
    """Godkänn en sen anmälan / approve a late sign-up (GODKÄNN)."""
    organiser_command("approve", ref, event=event_slug)


@app.command()
@friendly
def reject(
    ref: Annotated[str, typer.Argument(help="referens")],
    reason: Annotated[str, typer.Option(help="skäl som skickas till deltagaren")] = "",
    event_slug: EventOption = None,
) -> None:
    """Neka en anmälan / reject a sign-up (NEKA)."""
    organiser_command("reject", ref, reason, event=event_slug)


@app.command()
@friendly
def cancel(ref: Annotated[str, typer.Argument(help="referens")], event_slug: EventOption = None) -> None:
    """Avanmäl någon / cancel a registration (AVANMÄL)."""
    organiser_command("cancel", ref, event=event_slug)


@app.command()
@friendly
def export(
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Excel-fil")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="CSV-fil (UTF-8 med BOM, semikolon)")] = None,
    event_slug: EventOption = None,
) -> None:
    """Deltagarlistan som Excel eller CSV / the participant list as .xlsx or .csv."""
    if xlsx is None and csv is None:
        err.print("anmalan export: give --xlsx FILE and/or --csv FILE")
        raise typer.Exit(2)
    from store.registrations import registrations
    from worker.export import write_csv, write_xlsx

    svc = service(event_slug)
    with svc.db.unit_of_work() as session:
        regs = registrations(session, svc.event.slug)
    for path, write in ((xlsx, write_xlsx), (csv, write_csv)):
        if path is None:
            continue
        try:
            path.write_bytes(write(svc.event, regs))
        except OSError as exc:
            err.print(f"anmalan export: cannot write {path}: {exc.strerror}")
            raise typer.Exit(1) from None
        out.print(f"{len(regs)} anmälningar → {path}")


@app.command()
@friendly
def person(
    address: Annotated[str, typer.Argument(help="e-postadress")], event_slug: EventOption = None
) -> None:
    """Allt som sparats om en adress, som JSON / export what is stored about an address."""
    from store.people import export_person

    svc = service(event_slug)
    with svc.db.unit_of_work() as session:
        data = export_person(session, svc.event.slug, address)
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
@friendly
def forget(
    address: Annotated[str, typer.Argument(help="e-postadress")],
    yes: Annotated[bool, typer.Option("--yes", help="utan att fråga / without asking")] = False,
    event_slug: EventOption = None,
) -> None:
    """Glöm en person: anmälningar och sparade mejl / forget a person and their stored mail."""
    from worker.organiser import forget as forget_address

    service(event_slug)  # the event is chosen (or the choice refused) before anyone is asked anything
    if not yes and not typer.confirm(f"Glömma allt om {address}? Det går inte att ångra.", err=True):
        raise typer.Exit(1)
    svc = service(event_slug)
    counts, promoted = forget_address(svc, address)
    deliver_all(svc, promoted)
    out.print(
        f"glömt: {counts['registrations']} anmälningar, {counts['messages']} mottagna och "
        f"{counts['mails']} skickade mejl"
    )


@app.command()
@friendly
def backfill() -> None:
    """Läs in hela brevlådan en gång / read a whole existing mailbox once, with progress."""
    from store import inbox
    from worker.pipeline import process
    from worker.watch import watchers

    svc = service(every=True)  # every folder of every event
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        reading = progress.add_task("läser brevlådan", total=None)
        for watcher in watchers(svc, enqueue=lambda _id: None, on_stored=lambda: progress.advance(reading)):
            watcher.check_once()
        progress.update(reading, total=progress.tasks[reading].completed)
        with svc.db.unit_of_work() as session:
            waiting = inbox.unprocessed_ids(session, events=svc.slugs)
        deciding = progress.add_task("tolkar och beslutar", total=len(waiting))
        queued = 0
        for inbox_id in waiting:
            queued += len(process(svc, inbox_id))
            progress.advance(deciding)
    out.print(
        f"{len(waiting)} meddelanden behandlade; {queued} mejl väntar i utkorgen (skickas av arbetaren)"
    )


@app.command()
@friendly
def route(
    number: Annotated[
        int, typer.Argument(help="meddelandets nummer (i granskningslistan) / the message's number")
    ],
    event_slug: EventOption = None,
) -> None:
    """Ge ett meddelande utan evenemang till ett / hand a message no event could be told for to one."""
    from worker.pipeline import process
    from worker.routing import hand_over

    svc = service(event_slug)
    with svc.db.unit_of_work() as session:
        handed = hand_over(session, number, svc.event.slug, svc.clock.now())
    if not handed:
        err.print(
            f"anmalan route: meddelande {number} väntar inte på ett evenemang / message {number} is not waiting"
        )
        raise typer.Exit(1)
    queued = process(svc, number)
    out.print(f"meddelande {number} → {svc.event.slug}; {len(queued)} mejl väntar i utkorgen")
