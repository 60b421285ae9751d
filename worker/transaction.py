"""One decision transaction: the event locked, its state loaded when asked, a decision rendered and written.

Every writer of decisions (a message, a scheduled job, the digest, a command at the shell) does the same
steps in the same order under the event lock; they live here once, so none of them can forget the lock
or write a decision without its outbox rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property

from sqlalchemy.orm import Session

from rules.decision import Decision
from rules.model import State
from store.db import lock_event
from store.registrations import apply_decision, load_state, local_midnight
from store.tables import EventRow
from worker.bootstrap import Service
from worker.render import render_all


class DecisionTransaction:
    """The event locked in `session`; `state` is read on first use (some jobs decide without it)."""

    def __init__(self, svc: Service, session: Session, event_row: EventRow, now: datetime) -> None:
        self.svc = svc
        self.session = session
        self.event_row = event_row
        self.now = now

    def at(self, now: datetime) -> DecisionTransaction:
        """The next decision in the same transaction and lock: its own time, its state read afresh (so it
        sees what the decisions before it wrote)."""
        return DecisionTransaction(self.svc, self.session, self.event_row, now)

    @cached_property
    def state(self) -> State:
        return load_state(
            self.session, self.svc.event.slug, day_start=local_midnight(self.now, self.svc.event.tz)
        )

    def apply(
        self,
        decision: Decision,
        *,
        files: Sequence[tuple[str, bytes, str]] = (),
        inbox_id: int | None = None,
    ) -> list[int]:
        """Render the decision's mails and write it all in this transaction; the new outbox ids."""
        rendered = render_all(self.svc, decision, files=files)
        return apply_decision(
            self.session, self.svc.event.slug, decision, rendered, now=self.now, inbox_id=inbox_id
        )


def locked(svc: Service, session: Session, *, now: datetime | None = None) -> DecisionTransaction:
    """Take the event lock inside a transaction already open (the pipeline claims its inbox row first)."""
    row = lock_event(session, svc.event.slug)
    return DecisionTransaction(svc, session, row, svc.clock.now() if now is None else now)


@contextmanager
def decision_transaction(svc: Service) -> Iterator[DecisionTransaction]:
    """A transaction of its own, the event locked from its start; committed when the block ends."""
    with svc.db.unit_of_work() as session:
        yield locked(svc, session)
