"""One stored message through parse → decide → one transaction; the tasks stay thin around this."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from rules.decide import decide
from rules.decision import Decision, ReviewItem
from rules.model import State
from rules.refs import seed
from store import inbox
from store.conversation import conversation
from store.registrations import apply_decision
from worker import bounces, confirm, organiser
from worker.bootstrap import Service
from worker.transaction import decision_transaction, locked

log = logging.getLogger(__name__)

# Failed tries before a message is set aside: one more than a passing fault (a lost connection) needs.
POISON_AFTER = 2


def process(svc: Service, inbox_id: int) -> list[int]:
    """Decide about one inbox row, after any that arrived before it and still wait; returns the outbox
    ids to deliver. Safe to run twice: a second run finds the rows no longer `new` and does nothing.

    First come, first served is about arrival, not about which worker picked up which task first: so
    earlier messages are decided first, whichever worker gets there.
    """
    with svc.db.unit_of_work() as session:
        earlier = inbox.waiting_before(session, inbox_id)
    return [outbox_id for one in [*earlier, inbox_id] for outbox_id in _process_one(svc, one)]


def _process_one(svc: Service, inbox_id: int) -> list[int]:
    try:
        with svc.db.unit_of_work() as session:
            row = inbox.claim(session, inbox_id)
            if row is None:
                return []
            now = svc.clock.now()
            parsed = confirm.reading(svc, row.raw or b"")
            bounces.attribute(session, svc.event.slug, svc.event.mailbox, parsed)
            tx = locked(svc, session, now=now)
            state = tx.state
            state.conversation = conversation(session, svc.event.slug, parsed, now)
            key = seed(svc.settings.secret(), f"{row.mailbox}/{row.uidvalidity}/{row.uid}")
            waiting = confirm.waiting_request(svc, session, parsed, now)
            if organiser.is_command_mail(svc, session, parsed):
                decision, _ = organiser.carry_out(svc, session, parsed, state, now=now, message_key=key)
            elif waiting is not None:
                # A reply confirming a request: the request is decided now, with the confirmed authority.
                request, ref = waiting
                decision = decide(
                    svc.event,
                    state,
                    request,
                    received_at=row.received_at,
                    now=now,
                    message_key=key,
                    confirmed=ref,
                )
            else:
                decision = decide(
                    svc.event, state, parsed, received_at=row.received_at, now=now, message_key=key
                )
            confirm.sign_requests(svc, decision, row.id, now)
            outbox_ids = tx.apply(decision, inbox_id=row.id)
            row.intent, row.sender, row.subject = parsed.intent, parsed.sender, parsed.subject[:500]
            row.parsed = parsed.record()
            acted = decision.registrations or decision.mails or decision.reviews or decision.failing_addresses
            status = "processed" if acted else "ignored"
            inbox.mark(session, row.id, status, "; ".join(parsed.review_reasons) or None, now)
            log.info("inbox %s: %s → %s, %d mail(s)", row.id, parsed.intent, status, len(outbox_ids))
            return outbox_ids
    except OperationalError:
        # The database is away, not the message at fault: the row stays `new`, for the sweeper.
        raise
    except Exception as exc:  # kept with its reason and shown to organisers; never dropped
        # The error's text can quote the message (SQL parameters), and logs carry references, never bodies.
        log.error("inbox %s could not be processed: %s", inbox_id, _error_kind(exc))
        _count_failure(svc, inbox_id, _error_kind(exc))
        return []


def _error_kind(exc: Exception) -> str:
    """The kind of error, without its text: the text may hold the message's own content."""
    original = getattr(exc, "orig", None)
    return type(original).__name__ if original is not None else type(exc).__name__


def _count_failure(svc: Service, inbox_id: int, kind: str) -> None:
    """Count a failed try; the second sets the message aside as poison, kept raw for the organisers.

    Nothing here reads the message: whatever its content, this write succeeds, so a message that cannot be
    processed never blocks the ones after it (each later message would otherwise try it first, forever).
    """
    try:
        with svc.db.unit_of_work() as session:
            row = inbox.claim(session, inbox_id)
            if row is None:
                return
            row.attempts = (row.attempts or 0) + 1
            if row.attempts < POISON_AFTER:
                return  # stays new: the next message or the sweeper tries once more
            now = svc.clock.now()
            inbox.mark(session, inbox_id, "poison", f"{kind} ({row.attempts} försök)", now)
            review = ReviewItem(
                kind="poison",
                summary=(
                    f"Meddelande nr {inbox_id} kunde inte behandlas efter {row.attempts} försök ({kind}) "
                    "och är undanlagt; det finns kvar som det kom"
                ),
            )
            apply_decision(
                session, svc.event.slug, Decision(reviews=[review]), [], now=now, inbox_id=inbox_id
            )
    except Exception as exc:  # the database itself is away: the sweeper brings the message back later
        log.error("inbox %s: the failure could not be recorded: %s", inbox_id, _error_kind(exc))


def run_scheduled(svc: Service, job: Callable[[Session, State, datetime], Decision]) -> list[int]:
    """Run a scheduled job's pure function over the state under the event lock, and write its decision
    in the same transaction (reminders, follow-ups, notices); returns outbox ids to deliver."""
    with decision_transaction(svc) as tx:
        return tx.apply(job(tx.session, tx.state, tx.now))
