"""Stored messages routed to their event before they are parsed: the clues found, the rules applied.

A folder read for one event gives its messages to that event. A folder several events share gives each
message to the event rules.routing points at, or sets it aside (status `unrouted`) in the review list of
every event reading the folder; the message stays stored either way, and `anmalan route` hands it over.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from parsers.autoreply import header_says_auto, is_bulk
from parsers.bounce import looks_like_bounce
from parsers.mime import Decoded, decode
from rules.refs import refs_in_text
from rules.routing import Clues, names_in
from rules.routing import route as choose
from store import inbox
from store import routing as known
from store.tables import InboxMessage, ReviewRow
from worker import verp
from worker.bootstrap import Service, mailbox_settings

log = logging.getLogger(__name__)

BATCH = 200  # rows routed in one transaction
# A returned copy inside a bounce, or a quoted header block: its Message-ID may be one of ours.
_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*<([^<>\s]{1,900})>", re.IGNORECASE | re.MULTILINE)
_DELIVERY_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To")


def readers(svc: Service) -> dict[str, list[str]]:
    """Each mailbox folder (as the inbox table names it) with the events that read it."""
    out: dict[str, list[str]] = {}
    for slug in svc.slugs:
        out.setdefault(mailbox_settings(svc.settings, svc.events[slug]).mailbox_name(), []).append(slug)
    return out


def route_new(svc: Service) -> int:
    """Route every stored row not routed yet; returns how many were looked at. Safe to run twice, and
    in two workers at once: the rows are locked, and a routed row is not looked at again."""
    if len(svc.events) == 1:
        with svc.db.unit_of_work() as session:
            return inbox.route_all_to(session, svc.slugs[0])
    by_mailbox = readers(svc)
    done = 0
    while True:
        with svc.db.unit_of_work() as session:
            rows = inbox.unrouted(session, limit=BATCH)
            now = svc.clock.now()
            for row_id, mailbox in rows:
                # A folder no event reads any more (its settings changed): every event may claim it.
                candidates = by_mailbox.get(mailbox) or svc.slugs
                # One message's bytes at a time: a batch of large messages is never in memory at once.
                raw = inbox.raws_of(session, [row_id]).get(row_id, b"")
                _route_safely(svc, session, row_id, raw, candidates, now)
        done += len(rows)
        if len(rows) < BATCH:
            return done


def _route_safely(
    svc: Service, session: Session, row_id: int, raw: bytes, candidates: Sequence[str], now: datetime
) -> None:
    """One row routed in a savepoint: a message that breaks routing is set aside for the organisers,
    never dropped, and never tried again and again ahead of the ones after it."""
    try:
        with session.begin_nested():
            _route_one(svc, session, row_id, raw, candidates, now)
    except OperationalError:
        raise  # the database is away: the rows stay as they are, for the next run
    except Exception as exc:
        kind = type(exc).__name__  # not its text: that may quote the message
        log.error("inbox %s could not be routed: %s", row_id, kind)
        reason = f"kunde inte läsas för att välja evenemang ({kind})"
        _set_aside(session, row_id, candidates, now, reason, "", None)


def _route_one(
    svc: Service, session: Session, row_id: int, raw: bytes, candidates: Sequence[str], now: datetime
) -> None:
    decoded = decode(raw)
    found = choose(candidates, clues(svc, session, raw, decoded, candidates))
    row = session.get(InboxMessage, row_id)
    assert row is not None  # locked by inbox.unrouted in this transaction
    if found.event is not None:
        row.event = found.event
        return
    row.sender, row.subject = decoded.sender, decoded.subject[:500]
    if (header_says_auto(decoded) or is_bulk(decoded)) and not looks_like_bounce(decoded):
        # Never answered and never a registration, whichever event it was for: kept, not put before anyone.
        row.status, row.processed_at = "ignored", now
        row.reason = f"automatiskt meddelande; {found.reason}"
        return
    quote = "\n".join([decoded.subject, *decoded.text.strip().splitlines()[:6]])[:600]
    _set_aside(session, row_id, candidates, now, found.reason, quote, decoded.sender)


def _set_aside(
    session: Session,
    row_id: int,
    candidates: Sequence[str],
    now: datetime,
    reason: str,
    quote: str,
    sender: str | None,
) -> None:
    """The row waits, stored, for an organiser to choose its event; each event reading its folder is told."""
    summary = (
        f"Meddelande nr {row_id} {reason}. Det är sparat och väntar på att en arrangör väljer "
        f"evenemang: anmalan route {row_id} --event SLUG"
    )
    row = session.get(InboxMessage, row_id)
    assert row is not None  # locked by inbox.unrouted in this transaction
    row.status, row.reason, row.processed_at = "unrouted", reason, now
    for slug in candidates:  # each event's organisers see it; the first to route it closes it for all
        session.add(
            ReviewRow(
                event=slug,
                created_at=now,
                inbox_id=row_id,
                kind="unrouted",
                summary=summary,
                quote=quote,
                sender=sender,
            )
        )


def clues(svc: Service, session: Session, raw: bytes, decoded: Decoded, candidates: Sequence[str]) -> Clues:
    """What in the message, and in what we stored and sent, points at one of the candidate events."""
    text = f"{decoded.subject}\n{decoded.text}"
    ours = [m.decode("ascii", "replace") for m in _MESSAGE_ID.findall(raw)]
    addresses = {a.lower() for _, a in [*decoded.to, *decoded.cc, *decoded.resent]}
    addresses |= {
        decoded.header(h).strip().strip("<>").lower() for h in _DELIVERY_HEADERS if decoded.header(h)
    }
    verp_ids = [
        mid
        for slug in candidates
        for mid in (verp.message_id_of(a, svc.events[slug].mailbox) for a in addresses)
        if mid
    ]
    threads = [*decoded.in_reply_to, *[m for m in ours if m != decoded.message_id], *verp_ids]
    return Clues(
        reference=known.events_with_refs(session, set(refs_in_text(text)), candidates),
        thread=known.events_of_sent(session, set(threads), candidates),
        address={slug for slug in candidates if svc.events[slug].mailbox in addresses},
        name=names_in(text, {slug: svc.events[slug].names() for slug in candidates}),
    )


def hand_over(session: Session, inbox_id: int, event: str, now: datetime) -> bool:
    """An organiser's choice: a message set aside as unrouted goes to `event` and is decided as if it had
    just come. Its review items are closed. False when the row is not waiting for a choice."""
    row = session.get(InboxMessage, inbox_id)
    if row is None or row.status != "unrouted":
        return False
    row.event, row.status, row.reason, row.processed_at, row.attempts = event, "new", None, None, 0
    for review in session.query(ReviewRow).filter(
        ReviewRow.inbox_id == inbox_id, ReviewRow.kind == "unrouted", ReviewRow.status == "open"
    ):
        review.status, review.resolved_at = "done", now
    return True
