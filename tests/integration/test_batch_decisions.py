"""Decisions in batches (issue 13): one run decides every waiting message in arrival order, each seeing the
one before it, and a message that fails is set aside alone while the rest of its batch is written."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from bench.bench_pipeline import signup
from parsers.gazetteer import all_entries
from store import inbox, statecache
from store.db import lock_event
from store.registrations import load_state, registrations
from store.tables import InboxMessage, OutboxRow
from tests.integration.test_scheduled import service
from worker import pipeline
from worker.bootstrap import build
from worker.clock import Clock
from worker.pipeline import process
from worker.settings import Settings
from worker.transaction import DecisionTransaction

NOW = "2024-08-12T10:00:00+02:00"
ROOT = Path(__file__).resolve().parents[2]


def _store(svc, raws: list[bytes]) -> list[int]:
    ids = []
    with svc.db.unit_of_work() as session:
        for n, raw in enumerate(raws):
            row = inbox.store_raw(
                session,
                mailbox="test",
                uidvalidity=1,
                uid=str(n + 1),
                raw=raw,
                received_at=svc.clock.now(),
                now=svc.clock.now(),
            )
            assert row is not None
            ids.append(row.id)
    return ids


def _signups(count: int) -> list[bytes]:
    places = [e for e in all_entries() if e.kind == "municipality"]
    return [signup(n, places[n % len(places)]) for n in range(count)]


def test_one_run_decides_every_waiting_message_in_arrival_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH", 4)  # several batches, so the order across them counts too
    svc = service(tmp_path, NOW)
    ids = _store(svc, _signups(10))
    outbox_ids = process(svc, ids[0])  # names the first; the rest of its batch is decided with it
    assert len(outbox_ids) == 4
    outbox_ids += process(svc, ids[-1])
    with svc.db.unit_of_work() as session:
        rows = session.execute(select(InboxMessage).order_by(InboxMessage.id)).scalars().all()
        regs = registrations(session, svc.event.slug)
        mails = session.execute(select(OutboxRow.inbox_id).order_by(OutboxRow.id)).scalars().all()
    assert [r.status for r in rows] == ["processed"] * 10
    # Each decision saw the ones before it: arrival order is registration order, one answer each.
    assert [r.source_message_id for r in regs] == [f"bench-{n}@{_domain(n)}" for n in range(10)]
    assert mails == ids and len(outbox_ids) == 10
    assert process(svc, ids[-1]) == []  # run twice, acts once


def test_a_failing_message_is_set_aside_alone_and_its_batch_is_written(tmp_path: Path, monkeypatch) -> None:
    svc = service(tmp_path, NOW)
    raws = _signups(5)
    ids = _store(svc, raws)
    real_decide = pipeline.decide

    def breaks_on_the_third(event, state, parsed, **kwargs):
        if parsed.message_id and parsed.message_id.startswith("bench-2@"):
            raise RuntimeError("regelfel")
        return real_decide(event, state, parsed, **kwargs)

    monkeypatch.setattr(pipeline, "decide", breaks_on_the_third)
    process(svc, ids[-1])
    with svc.db.unit_of_work() as session:
        rows = session.execute(select(InboxMessage).order_by(InboxMessage.id)).scalars().all()
        assert [(r.status, r.attempts) for r in rows] == [
            ("processed", 0),
            ("processed", 0),
            ("new", 1),  # a passing fault gets one more try, in a later run
            ("processed", 0),
            ("processed", 0),
        ]
        assert len(registrations(session, svc.event.slug)) == 4
    process(svc, ids[2])
    with svc.db.unit_of_work() as session:
        third = session.get(InboxMessage, ids[2])
        assert third is not None and (third.status, third.reason) == ("poison", "RuntimeError (2 försök)")
        assert len(registrations(session, svc.event.slug)) == 4


def _domain(n: int) -> str:
    places = [e for e in all_entries() if e.kind == "municipality"]
    place = places[n % len(places)]
    return place.domains[0] if place.domains else "example.se"


def test_the_service_rings_once_per_stored_batch(tmp_path: Path) -> None:
    import mailbox

    from worker.watch import Watcher

    svc = service(tmp_path, NOW)
    box = mailbox.Maildir(svc.settings.maildir, create=True)
    for raw in _signups(3):
        box.add(raw)
    queued: list[int] = []
    stored = Watcher(svc, enqueue=queued.append, ring_once=True).check_once()
    assert len(stored) == 3
    assert queued == stored[-1:]  # process() of the last decides the two before it too
    assert process(svc, queued[0]) and _statuses(svc) == ["processed"] * 3


def _statuses(svc) -> list[str]:
    with svc.db.unit_of_work() as session:
        return list(session.execute(select(InboxMessage.status).order_by(InboxMessage.id)).scalars())


def test_the_days_answer_limit_holds_within_one_batch(tmp_path: Path) -> None:
    """The day's answer counts are read once a batch and carried through it: a sender who writes more
    often than the daily limit in one burst is answered exactly up to the limit, as one by one."""
    svc = service(tmp_path, NOW)
    limit = svc.event.daily_answer_limit
    question = signup(0, next(e for e in all_entries() if e.kind == "municipality"))
    raws = [question.replace(b"bench-0@", f"bench-0-{n}@".encode(), 1) for n in range(limit + 3)]
    ids = _store(svc, raws)
    process(svc, ids[-1])  # all of them in one batch
    with svc.db.unit_of_work() as session:
        statuses = session.execute(select(InboxMessage.status)).scalars().all()
        answered = session.execute(select(OutboxRow.recipient)).scalars().all()
    assert "new" not in statuses
    assert len(answered) == limit and len(set(answered)) == 1


def test_a_worker_that_remembers_the_event_from_before_a_batch_reads_it_afresh(
    tmp_path: Path, monkeypatch
) -> None:
    """A batch moves the event's version once, outside its decisions' savepoints: so another worker's
    memory of the event is never trusted after the batch, even when one of its decisions was rolled back."""
    svc = service(tmp_path, NOW)
    ids = _store(svc, _signups(2))
    process(svc, ids[0])  # this worker now remembers two registrations
    other_worker = copy.deepcopy(statecache._memories)  # another process: its memory, of that version

    ids = _store_more(svc, _signups(5)[2:])
    real_apply = DecisionTransaction.apply

    def breaks_after_the_first_write(self, decision, **kwargs):  # inside that decision's savepoint
        ids = real_apply(self, decision, **kwargs)
        if any((r.source_message_id or "").startswith("bench-2@") for r in decision.registrations):
            raise RuntimeError("fel efter skrivningen")
        return ids

    monkeypatch.setattr(DecisionTransaction, "apply", breaks_after_the_first_write)
    process(svc, ids[-1])
    statecache._memories.clear()
    statecache._memories.update(other_worker)
    with svc.db.unit_of_work() as session:
        lock_event(session, svc.event.slug)
        state = load_state(session, svc.event.slug, day_start=datetime.fromisoformat(NOW))
    assert len(state.registrations) == 4  # the two before, and the batch's two that were written


def _store_more(svc, raws: list[bytes]) -> list[int]:
    ids = []
    with svc.db.unit_of_work() as session:
        for n, raw in enumerate(raws, start=100):
            row = inbox.store_raw(
                session,
                mailbox="test",
                uidvalidity=1,
                uid=str(n),
                raw=raw,
                received_at=svc.clock.now(),
                now=svc.clock.now(),
            )
            assert row is not None
            ids.append(row.id)
    return ids


def test_the_hourly_answer_limit_holds_within_one_batch(tmp_path: Path) -> None:
    """The last hour's count of automatic answers is read once a batch and carried through it: a burst
    larger than the hourly limit, decided in one batch, is answered exactly up to the limit."""
    svc = build(
        Settings(
            data_dir=tmp_path,
            event=ROOT / "config/events/dalalab-2024.yaml",
            max_answers_per_hour=4,
        )
    )
    svc.clock = Clock(datetime.fromisoformat(NOW))
    ids = _store(svc, _signups(7))
    process(svc, ids[-1])  # all of them in one batch
    with svc.db.unit_of_work() as session:
        statuses = session.execute(select(InboxMessage.status)).scalars().all()
        answered = session.execute(select(OutboxRow.recipient)).scalars().all()
    assert "new" not in statuses
    assert len(answered) == 4 and len(set(answered)) == 4
