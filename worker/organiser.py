"""The organisers' side, wired: the daily digest from the store, and commands sent by replying to it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from parsers.commands import Command, parse_commands
from parsers.models import ParsedMessage
from rules.decision import Decision
from rules.digest import DigestView, build_digest, digest_mails
from rules.model import State
from rules.organiser import CommandResult, apply_commands
from rules.refs import seed
from rules.token import digest_token, find_token, verify_digest_token
from store import organiser as queries
from store.redact import mail_names
from store.registrations import registrations
from worker.bootstrap import Service
from worker.export import write_csv, write_xlsx
from worker.transaction import decision_transaction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QUIET = {"auto_reply", "bounce"}
# How long a digest answers commands, by its token or by a reply threaded under it.
TOKEN_DAYS = 14


def is_command_mail(svc: Service, session: Session, parsed: ParsedMessage) -> bool:
    """A reply to a digest (its token or its Message-ID), or an organiser writing commands.

    Anyone may send such a mail; whether it is obeyed is apply_commands' decision (organiser address
    AND token), so a forged one is recorded for the next digest instead of being treated as a sign-up.
    """
    if parsed.intent in QUIET:
        return False
    if find_token(parsed.subject) or queries.answers_a_digest(session, svc.event.slug, parsed.in_reply_to):
        return True
    organiser = (parsed.sender or "") in svc.event.organisers
    return organiser and any(c.name != "unknown" for c in parse_commands(parsed.new_text))


def carry_out(
    svc: Service, session: Session, parsed: ParsedMessage, state: State, *, now: datetime, message_key: str
) -> tuple[Decision, list[CommandResult]]:
    token = find_token(parsed.subject)
    sender = (parsed.sender or "").lower()
    today = svc.event.local_day(now)
    secret, slug = svc.settings.secret(), svc.event.slug
    token_ok = bool(token) and verify_digest_token(secret, slug, token, today=today, recipient=sender)
    # Threaded under a digest without a token: only that digest's own organiser, and only while its token
    # would still be valid.
    token_ok = token_ok or any(
        recipient == sender and today - svc.event.local_day(sent) <= timedelta(days=TOKEN_DAYS)
        for recipient, sent in queries.digests_answered(session, slug, parsed.in_reply_to)
    )
    decision, results = apply_commands(
        svc.event,
        state,
        parse_commands(parsed.new_text),
        sender=parsed.sender or "",
        token_ok=token_ok,
        forged=parsed.sender_verified is False,
        now=now,
        message_key=message_key,
        reviews=queries.open_reviews(session, svc.event.slug),
        message_id=parsed.message_id,
        token=token,
    )
    queries.close_reviews(session, [n for r in results for n in r.closes_reviews], now)
    return decision, results


def digest_view(svc: Service, session: Session, *, now: datetime, since: datetime | None) -> DigestView:
    slug = svc.event.slug
    failing = queries.failing_addresses(session)
    if len(svc.events) > 1:  # each event's organisers hear of their own people's addresses only
        ours = queries.addresses_of(session, slug)
        failing = [f for f in failing if f.email.lower() in ours]
    return build_digest(
        svc.event,
        registrations(session, slug),
        queries.changes_since(session, slug, since),
        list(queries.open_reviews(session, slug).values()),
        failing,
        now=now,
        since=since,
    )


def export_names(svc: Service, now: datetime) -> tuple[str, str]:
    stem = f"{svc.event.slug}-deltagare-{svc.event.local_day(now).isoformat()}"
    return f"{stem}.xlsx", f"{stem}.csv"


def send_digest(svc: Service, *, force: bool = False) -> list[int]:
    """The morning digest, once a day from the configured time; `force` sends now whatever the hour.

    Returns the outbox ids to deliver. A day with nothing new sends nothing unless the event asks.
    """
    with decision_transaction(svc) as tx:
        session, row, now = tx.session, tx.event_row, tx.now
        local = svc.event.local(now)
        day = local.date().isoformat()
        if not force and (local.time() < svc.event.digest.time or row.digest_day == day):
            return []
        row.digest_day = day
        view = digest_view(svc, session, now=now, since=row.last_digest_at)
        if view.is_empty and not (force or svc.event.digest.send_when_empty):
            return []
        regs = registrations(session, svc.event.slug)
        xlsx_name, csv_name = export_names(svc, now)
        files = [
            (xlsx_name, write_xlsx(svc.event, regs), XLSX),
            (csv_name, write_csv(svc.event, regs), "text/csv"),
        ]
        secret = svc.settings.secret()
        mails = digest_mails(
            svc.event,
            view,
            token=lambda to: digest_token(secret, svc.event.slug, local.date(), recipient=to),
            attachments=[xlsx_name, csv_name],
        )
        if force:
            for mail in mails:
                mail.key = None  # an operator asked for it: send even if today's went out already
        ids = tx.apply(Decision(mails=mails), files=files)
        row.last_digest_at = now
        return ids


def act_at_shell(
    svc: Service, commands: list[Command], *, not_to: tuple[str, ...] = ()
) -> tuple[list[int], list[CommandResult]]:
    """Organiser commands given at a shell: carried out as the first organiser, answered on the terminal,
    not by mail; mails to `not_to` are dropped (someone being forgotten gets nothing more)."""
    with decision_transaction(svc) as tx:
        now = tx.now
        decision, results = apply_commands(
            svc.event,
            tx.state,
            commands,
            sender=svc.event.organisers[0],
            token_ok=True,
            now=now,
            message_key=seed(svc.settings.secret(), f"shell/{now.isoformat()}"),
            reviews={},
        )
        skip = {a.lower() for a in not_to}
        decision.mails = [
            m for m in decision.mails if not m.template.startswith("organiser_") and m.to.lower() not in skip
        ]
        ids = tx.apply(decision)
    return ids, results


def forget(svc: Service, address: str) -> tuple[dict[str, int], list[int]]:
    """Forget a person: their seats are given up first (the waitlist moves up, and those promoted are
    told), then everything stored about the address is removed. Returns the counts and the outbox ids
    (promotions) to deliver."""
    from store.people import forget_person, person_needles, registrations_of

    with svc.db.unit_of_work() as session:
        live = [r.ref for r in registrations_of(session, svc.event.slug, address) if r.status != "cancelled"]
    ids: list[int] = []
    if live:
        ids, _ = act_at_shell(
            svc, [Command(name="cancel", args=live, line=f"cancel {' '.join(live)}")], not_to=(address,)
        )
    with svc.db.unit_of_work() as session:
        wanted = person_needles(session, svc.event.slug, address)
        counts = forget_person(session, svc.event.slug, address, svc.clock.now())
    counts["mails"] += _forget_sent_files(svc, wanted)
    # What was overwritten must leave the files too: the WAL and free pages still hold it until then.
    svc.db.compact()
    return counts, ids


def _forget_sent_files(svc: Service, wanted: list[str]) -> int:
    """The embedded outgoing folder keeps every sent mail as an .eml file: those naming the person go."""
    gone = 0
    for file in sorted(svc.settings.outgoing_dir.glob("*.eml")) if svc.settings.outgoing_dir.is_dir() else []:
        if mail_names(file.read_bytes(), wanted):
            file.unlink(missing_ok=True)
            gone += 1
    return gone
