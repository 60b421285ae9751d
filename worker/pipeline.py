"""Stored messages through parse → decide → write, a batch per transaction; the tasks stay thin around this."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from parsers.models import ParsedMessage
from rules.decide import decide
from rules.decision import Decision, ReviewItem
from rules.model import State
from rules.refs import seed
from store import inbox, statecache
from store.conversation import conversation
from store.tables import InboxMessage
from worker import bounces, confirm, organiser, routing
from worker.bootstrap import Service
from worker.transaction import DecisionTransaction, decision_transaction, locked

log = logging.getLogger(__name__)

# Failed tries before a message is set aside: one more than a passing fault (a lost connection) needs.
POISON_AFTER = 2
# Messages decided in one transaction: enough that the lock, the state and the commit are paid once for
# many, few enough that the transaction stays short (a burst of 300 is a handful of batches).
BATCH = 50
BATCH_BYTES = 8_000_000  # raw bytes of one batch at most; read one message at a time all the same


def process(svc: Service, inbox_id: int) -> list[int]:
    """Route what is not routed yet, then decide, for each event, every waiting row up to and including
    this one (and as many after it as fit in the same batch), oldest arrival first; returns the outbox ids
    to deliver. Safe to run twice: a second run finds the rows no longer `new` and does nothing.

    First come, first served is about arrival, not about which worker picked up which task first: so
    earlier messages about an event are decided first, whichever worker gets there.
    """
    routing.route_new(svc)
    with svc.db.unit_of_work() as session:
        last = inbox.waiting_by_event(session, inbox_id, svc.slugs)
    outbox_ids: list[int] = []
    for slug, last_id in sorted(last.items()):
        outbox_ids += _process_event(svc.at(slug), last_id)
    return outbox_ids


def _process_event(svc: Service, inbox_id: int) -> list[int]:
    """One event's waiting rows up to this one, a batch per transaction under the event's lock."""
    outbox_ids: list[int] = []
    tried: set[int] = set()  # failed once in this run: the next run or the sweeper tries again
    while inbox_id not in tried and _waiting(svc, inbox_id):
        handled, ids = _decide_batch(svc, tried)
        outbox_ids += ids
        if not handled:
            break
    return outbox_ids


def _waiting(svc: Service, inbox_id: int) -> bool:
    with svc.db.unit_of_work() as session:
        return inbox.is_new(session, inbox_id)


def _decide_batch(svc: Service, tried: set[int]) -> tuple[int, list[int]]:
    """The oldest waiting rows decided one after another in one transaction under the event lock,
    each seeing what the one before it wrote; (rows handled, outbox ids).

    Each message runs in a savepoint: one that fails is rolled back alone, counted (see _count_failure)
    and added to `tried`, and the others are written all the same.
    """
    slug = svc.event.slug
    parsed = _read_ahead(svc, tried)
    try:
        with svc.db.unit_of_work() as session:
            rows = inbox.claim_waiting(session, event=slug, limit=BATCH, budget=BATCH_BYTES, skip=tried)
            if not rows:
                return 0, []
            # Rows first, then the event: the same order as every other writer, so none waits on another.
            tx = locked(svc, session)
            # Rows not read ahead (arrived meanwhile) are read here; the batch's bytes are within BATCH_BYTES.
            raws = inbox.raws_of(session, [row.id for row in rows if row.id not in parsed])
            with statecache.batch(session, slug):
                outbox_ids = _decide_rows(svc, tx, rows, parsed, raws, tried)
            return len(rows), outbox_ids
    except BaseException:
        # Nothing of the batch was written: a memory that followed its writes would be ahead of the
        # database. Forgotten without asking the database, which may be what failed.
        statecache.forget_all()
        raise


def _decide_rows(
    svc: Service,
    tx: DecisionTransaction,
    rows: list[InboxMessage],
    parsed: dict[int, ParsedMessage],
    raws: dict[int, bytes],
    tried: set[int],
) -> list[int]:
    """The claimed rows decided in order, each in a savepoint (see _decide_batch); their outbox ids."""
    session, slug = tx.session, svc.event.slug
    outbox_ids: list[int] = []
    counts = None  # the day's counts, read by the first decision and carried through the batch
    for row in rows:
        try:
            with session.begin_nested():
                one = tx.at(svc.clock.now(), counts)
                outbox_ids += _decide_one(svc, one, row, parsed.pop(row.id, None), raws)
            one.written()
            counts = one.counts
        except OperationalError:
            raise  # the database is away, not the message at fault: all stay `new`, for the sweeper
        except Exception as exc:  # kept with its reason and shown to organisers; never dropped
            # The error's text can quote the message (SQL parameters); logs carry references only.
            log.error("inbox %s could not be processed: %s", row.id, _error_kind(exc))
            statecache.forget(session, slug)  # it may have followed the rolled-back write
            tried.add(row.id)
            _count_failure(svc, tx.at(svc.clock.now()), row.id, _error_kind(exc))
    return outbox_ids


def _read_ahead(svc: Service, tried: set[int]) -> dict[int, ParsedMessage]:
    """The next batch's messages parsed before the event lock is taken (parsing needs no lock), by id.
    What the batch then claims is decided in arrival order as always; a row missing here (it arrived
    meanwhile, or its parse failed) is read under the lock, where a failure is counted against it."""
    with svc.db.unit_of_work() as session:
        ids = inbox.waiting_ids(session, event=svc.event.slug, limit=BATCH, budget=BATCH_BYTES, skip=tried)
        raws = inbox.raws_of(session, ids)
    parsed: dict[int, ParsedMessage] = {}
    for inbox_id, raw in raws.items():
        try:
            parsed[inbox_id] = confirm.reading(svc, raw)
        except Exception:  # parsed again under the lock, where the failure is counted and kept
            continue
    return parsed


def _decide_one(
    svc: Service,
    tx: DecisionTransaction,
    row: InboxMessage,
    read: ParsedMessage | None,
    raws: dict[int, bytes],
) -> list[int]:
    session, now = tx.session, tx.now
    parsed = read if read is not None else confirm.reading(svc, raws.pop(row.id, b""))
    bounces.attribute(session, svc.event.slug, svc.event.mailbox, parsed)
    state = tx.state
    state.conversation = conversation(session, svc.event.slug, parsed, now, tx.counts)
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
        decision = decide(svc.event, state, parsed, received_at=row.received_at, now=now, message_key=key)
    confirm.sign_requests(svc, decision, row.id, now)
    # Rendered by the sender, outside the event lock (worker.render.outgoing).
    outbox_ids = tx.apply(decision, inbox_id=row.id, render_later=True)
    row.intent, row.sender, row.subject = parsed.intent, parsed.sender, parsed.subject[:500]
    row.parsed = parsed.record()
    acted = decision.registrations or decision.mails or decision.reviews or decision.failing_addresses
    status = "processed" if acted else "ignored"
    # On the row itself rather than inbox.mark: one UPDATE with the fields above.
    row.status, row.reason, row.processed_at = status, "; ".join(parsed.review_reasons) or None, now
    log.info("inbox %s: %s → %s, %d mail(s)", row.id, parsed.intent, status, len(outbox_ids))
    return outbox_ids


def _error_kind(exc: Exception) -> str:
    """The kind of error, without its text: the text may hold the message's own content."""
    original = getattr(exc, "orig", None)
    return type(original).__name__ if original is not None else type(exc).__name__


def _count_failure(svc: Service, tx: DecisionTransaction, inbox_id: int, kind: str) -> None:
    """Count a failed try; the second sets the message aside as poison, kept raw for the organisers.

    Nothing here reads the message: whatever its content, this write succeeds, so a message that cannot be
    processed never blocks the ones after it (each later message would otherwise try it first, forever).
    In its own savepoint: should even this fail, the message stays `new` and the batch goes on.
    """
    try:
        with tx.session.begin_nested():
            row = tx.session.get(InboxMessage, inbox_id)
            if row is None or row.status != "new":
                return
            row.attempts = (row.attempts or 0) + 1
            if row.attempts < POISON_AFTER:
                return  # stays new: the next message or the sweeper tries once more
            inbox.mark(tx.session, inbox_id, "poison", f"{kind} ({row.attempts} försök)", tx.now)
            review = ReviewItem(
                kind="poison",
                summary=(
                    f"Meddelande nr {inbox_id} kunde inte behandlas efter {row.attempts} försök ({kind}) "
                    "och är undanlagt; det finns kvar som det kom"
                ),
            )
            tx.apply(Decision(reviews=[review]), inbox_id=inbox_id)
    except OperationalError:
        raise
    except Exception as exc:
        statecache.forget(tx.session, svc.event.slug)
        log.error("inbox %s: the failure could not be recorded: %s", inbox_id, _error_kind(exc))


def run_scheduled(svc: Service, job: Callable[[Session, State, datetime], Decision]) -> list[int]:
    """Run a scheduled job's pure function over the state under the event lock, and write its decision
    in the same transaction (reminders, follow-ups, notices); returns outbox ids to deliver."""
    with decision_transaction(svc) as tx:
        return tx.apply(job(tx.session, tx.state, tx.now))
