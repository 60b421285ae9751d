"""A worker's memory of an event's registrations between decisions, trusted only at the version it saw.

Every decision needs all of an event's registrations (caps, duplicates, who may change what), and
reading and building them is the largest cost of a decision in a big event. Each write bumps the
event's version under the event lock; a worker whose memory is of that version reuses it, any other
reads afresh. So several workers, or a rolled-back transaction, can only cost a re-read, never a
stale decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rules.model import Registration
from store.tables import EventRow


@dataclass
class Memory:
    version: int
    registrations: list[Registration]
    sent: dict[str, str | None] = field(default_factory=dict)
    sent_to: dict[str, str] = field(default_factory=dict)
    at: dict[str, int] | None = None  # ref -> its index in `registrations`, built when first needed

    def positions(self) -> dict[str, int]:
        if self.at is None:
            self.at = {r.ref: i for i, r in enumerate(self.registrations)}
        return self.at


_memories: dict[tuple[str, str], Memory] = {}
_BATCH = "anmalan.statecache.batch"  # session.info: event -> the version its batch moved to


def _key(session: Session, event: str) -> tuple[str, str]:
    return (session.get_bind().engine.url.render_as_string(hide_password=True), event)


def version(session: Session, event: str) -> int | None:
    return session.scalar(select(EventRow.version).where(EventRow.slug == event))


def recall(session: Session, event: str) -> Memory | None:
    memory = _memories.get(_key(session, event))
    # In a batch the version is the one it moved to (no other writer can move it under our lock).
    current = session.info.get(_BATCH, {}).get(event) or version(session, event)
    return memory if memory is not None and current is not None and memory.version == current else None


def remember(session: Session, event: str, memory: Memory) -> None:
    _memories[_key(session, event)] = memory


def bump(
    session: Session,
    event: str,
    written: Iterable[Registration] = (),
    sent: dict[str, str | None] | None = None,
    sent_to: dict[str, str] | None = None,
    *,
    forgotten: bool = False,
) -> None:
    """Record a write: the version moves on, and this worker's memory follows it when it can. In a
    batch (see `batch`) the version moved once for all its writes; the memory still follows each."""
    key = _key(session, event)
    batch_version = session.info.get(_BATCH, {}).get(event)
    if batch_version is not None and not forgotten:
        memory = _memories.get(key)
        if memory is not None and memory.version == batch_version:
            _follow(memory, written, sent, sent_to)
        else:
            _memories.pop(key, None)
        return
    after = _next_version(session, event)
    before = None if after is None else after - 1
    memory = _memories.pop(key, None)
    if memory is None or before is None or memory.version != before or forgotten:
        return
    _follow(memory, written, sent, sent_to)
    memory.version = before + 1
    _memories[key] = memory


def _next_version(session: Session, event: str) -> int | None:
    return session.execute(
        update(EventRow)
        .where(EventRow.slug == event)
        .values(version=EventRow.version + 1)
        .returning(EventRow.version)
    ).scalar()


@contextmanager
def batch(session: Session, event: str) -> Iterator[None]:
    """Decisions written in one transaction move the version once, at its start: outside their
    savepoints, so a decision rolled back alone cannot take the move with it. Other workers read the
    version only under the event lock, which this transaction holds, so they see the move with the
    writes it stands for, at commit. Call it under the event lock."""
    after = _next_version(session, event)
    key = _key(session, event)
    memory = _memories.get(key)
    if memory is not None and after is not None and memory.version == after - 1:
        memory.version = after
    else:
        _memories.pop(key, None)
    marks = session.info.setdefault(_BATCH, {})
    marks[event] = after
    try:
        yield
    finally:
        marks.pop(event, None)


def _follow(
    memory: Memory,
    written: Iterable[Registration],
    sent: dict[str, str | None] | None,
    sent_to: dict[str, str] | None,
) -> None:
    # Followed in place: the memory is this worker's alone (load_state hands out copies of its
    # containers), and a decision writes a few registrations of hundreds.
    regs = memory.registrations
    at = memory.positions()
    unordered = False
    for reg in written:
        if reg.ref in at:
            regs[at[reg.ref]] = reg
        else:
            at[reg.ref] = len(regs)
            unordered |= bool(regs) and reg.created_at < regs[-1].created_at
            regs.append(reg)
    if unordered:
        # Arrival order, as the database returns it (created_at, then insertion): a stable sort keeps
        # the insertion order of equal times.
        regs.sort(key=lambda r: r.created_at)
        memory.at = None
    memory.sent.update(sent or {})
    memory.sent_to.update(sent_to or {})


def forget(session: Session, event: str) -> None:
    """Drop this worker's memory of an event: a write it followed was rolled back."""
    _memories.pop(_key(session, event), None)


def forget_all() -> None:
    _memories.clear()
