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
from store.conversation import automatic
from store.db import lock_event
from store.registrations import DayCounts, apply_decision, day_counts, load_state, local_midnight
from store.tables import EventRow
from worker.bootstrap import Service
from worker.render import decided_all, render_all


class DecisionTransaction:
    """The event locked in `session`; `state` is read on first use (some jobs decide without it)."""

    def __init__(
        self,
        svc: Service,
        session: Session,
        event_row: EventRow,
        now: datetime,
        counts: DayCounts | None = None,
    ) -> None:
        self.svc = svc
        self.session = session
        self.event_row = event_row
        self.now = now
        self.counts = counts  # the day's counts as the batch carries them (see `written`)
        self.answered: list[str] = []  # recipients of the outbox rows this decision wrote
        self.missed: list[str] = []  # senders of the unknown references it counted
        self.automatic = 0  # of its mails, the automatic answers (store.conversation.automatic)

    def at(self, now: datetime, counts: DayCounts | None = None) -> DecisionTransaction:
        """The next decision in the same transaction and lock: its own time, its state read afresh (so it
        sees what the decisions before it wrote), the day's counts taken from `counts` when given."""
        return DecisionTransaction(self.svc, self.session, self.event_row, now, counts)

    @cached_property
    def state(self) -> State:
        day_start = local_midnight(self.now, self.svc.event.tz)
        if self.counts is None or self.counts.day_start != day_start:
            self.counts = day_counts(self.session, self.svc.event.slug, day_start)
        return load_state(self.session, self.svc.event.slug, day_start=day_start, counts=self.counts)

    def written(self) -> None:
        """The decision is written for good (its savepoint released): the batch's day counts follow it."""
        if self.counts is not None:
            self.counts.add(self.answered, self.missed, self.automatic)
        self.answered, self.missed, self.automatic = [], [], 0

    def apply(
        self,
        decision: Decision,
        *,
        files: Sequence[tuple[str, bytes, str]] = (),
        inbox_id: int | None = None,
        render_later: bool = False,
    ) -> list[int]:
        """Render the decision's mails and write it all in this transaction; the new outbox ids.
        `render_later`: the outbox rows hold what was decided and the sender renders it, outside the lock."""
        rendered = (
            decided_all(self.svc, decision)
            if render_later and not files
            else render_all(self.svc, decision, files=files)
        )
        self.missed += [entry.detail for entry in decision.audit if entry.rule == "ref_miss"]
        templates: list[str] = []
        ids = apply_decision(
            self.session,
            self.svc.event.slug,
            decision,
            rendered,
            now=self.now,
            inbox_id=inbox_id,
            written_to=self.answered,
            written_templates=templates,
            known=self._known(),
        )
        if inbox_id is not None:  # answers made for an incoming message (the hourly count's kind)
            self.automatic += automatic(templates)
        return ids

    def _known(self) -> set[str] | None:
        """Every ref of the event, if this decision read the state (under the lock, so it is complete)."""
        state = self.__dict__.get("state")  # cached_property: only if it was read
        return None if state is None else {reg.ref for reg in state.registrations}


def locked(svc: Service, session: Session, *, now: datetime | None = None) -> DecisionTransaction:
    """Take the event lock inside a transaction already open (the pipeline claims its inbox row first)."""
    row = lock_event(session, svc.event.slug)
    return DecisionTransaction(svc, session, row, svc.clock.now() if now is None else now)


@contextmanager
def decision_transaction(svc: Service) -> Iterator[DecisionTransaction]:
    """A transaction of its own, the event locked from its start; committed when the block ends."""
    with svc.db.unit_of_work() as session:
        yield locked(svc, session)
