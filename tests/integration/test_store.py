"""The store on SQLite and on PostgreSQL: decisions written whole, outbox idempotent, seats under a lock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from parsers.models import Organisation
from rules.decision import AuditEntry, Decision, OutgoingMail, ReviewItem
from rules.model import Registration, Seat
from store import outbox
from store.db import Database, lock_event
from store.registrations import RenderedMail, apply_decision, load_state, registrations
from store.tables import AuditRow, OutboxRow, ReviewRow

T0 = datetime(2024, 8, 12, 9, 0, tzinfo=UTC)
FALUN = Organisation(kind="municipality", code="2080", name="Falu kommun")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.servers)])
def db(request, tmp_path):
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    else:
        server = request.getfixturevalue("postgres")
        database = Database(server.url)
        with database.engine.begin() as connection:  # a clean database for each test
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    database.create_schema()
    yield database
    database.dispose()


def registration(ref: str, *, seat: str = "confirmed", at: datetime = T0) -> Registration:
    return Registration(
        ref=ref,
        name=f"Person {ref}",
        email=f"{ref.lower()}@falun.se",
        organisation=FALUN,
        role="manager",
        diet=["vegan"],
        created_at=at,
        seats={1: Seat(status=seat, since=at), 2: Seat(status="confirmed", since=at)},
    )


def rendered(mail: OutgoingMail, n: int) -> RenderedMail:
    return RenderedMail(
        mail=mail, message_id=f"m{n}@regiondalarna.se", subject=f"Bekräftelse [Ref {n}]", raw=b"x"
    )


def test_a_decision_is_written_whole_and_read_back(db) -> None:
    mail = OutgoingMail(template="confirmation", to="AAA@falun.se", registration_ref="AAA")
    decision = Decision(
        registrations=[registration("AAA")],
        mails=[mail],
        reviews=[ReviewItem(kind="question", summary="Fråga om parkering", sender="x@orsa.se")],
        audit=[AuditEntry(rule="signup", registration_ref="AAA", detail="ny anmälan")],
        failing_addresses=["gone@borlange.se"],
    )
    with db.unit_of_work() as session:
        lock_event(session, "dalalab-2024")
        ids = apply_decision(session, "dalalab-2024", decision, [rendered(mail, 1)], now=T0, inbox_id=None)
    assert len(ids) == 1
    with db.unit_of_work() as session:
        state = load_state(session, "dalalab-2024", day_start=T0 - timedelta(hours=9))
        assert session.scalar(select(func.count()).select_from(AuditRow)) == 1
        assert session.scalar(select(func.count()).select_from(ReviewRow)) == 1
    [reg] = state.registrations
    assert reg == registration("AAA")
    assert reg.created_at.tzinfo is not None
    assert state.sent_message_ids == {"m1@regiondalarna.se": "AAA"}
    assert state.answers_today == {"aaa@falun.se": 1}

    # A later decision changes the seats in place.
    changed = registration("AAA")
    changed.seats = {1: Seat(status="cancelled", since=T0 + timedelta(days=1))}
    with db.unit_of_work() as session:
        apply_decision(session, "dalalab-2024", Decision(registrations=[changed]), [], now=T0)
    with db.unit_of_work() as session:
        [reg] = registrations(session, "dalalab-2024")
    assert reg.seats == changed.seats


def test_a_scheduled_mail_is_written_once_per_key(db) -> None:
    mail = OutgoingMail(
        template="reminder", to="a@falun.se", key="reminder:AAA:1", auto_submitted="auto-generated"
    )
    for n in (1, 2):
        with db.unit_of_work() as session:
            apply_decision(session, "dalalab-2024", Decision(mails=[mail]), [rendered(mail, n)], now=T0)
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 1


LEASE = timedelta(seconds=60)


def one_confirmation(db) -> int:
    mail = OutgoingMail(template="confirmation", to="a@falun.se")
    with db.unit_of_work() as session:
        [oid] = apply_decision(session, "dalalab-2024", Decision(mails=[mail]), [rendered(mail, 1)], now=T0)
    return oid


def test_delivery_is_leased_once_and_taken_again_when_the_lease_ends(db) -> None:
    oid = one_confirmation(db)
    with db.unit_of_work() as session:
        first = outbox.claim(session, oid, T0, lease=LEASE, claimant="host:1:1")
    with db.unit_of_work() as session:
        second = outbox.claim(session, oid, T0 + timedelta(seconds=59), lease=LEASE, claimant="host:2:2")
    assert first is not None and first.attempts == 1
    assert second is None  # inflight under a running lease: another run has it
    with db.unit_of_work() as session:
        third = outbox.claim(session, oid, T0 + timedelta(seconds=61), lease=LEASE, claimant="host:2:2")
    assert third is not None and third.attempts == 2 and third.message_id == first.message_id
    with db.unit_of_work() as session:
        # The first claimant lost its lease: it may not finish the row any more.
        assert not outbox.mark_sent(session, oid, T0 + timedelta(seconds=62), claimant="host:1:1")
        assert outbox.mark_sent(session, oid, T0 + timedelta(seconds=62), claimant="host:2:2")
    with db.unit_of_work() as session:
        assert outbox.claim(session, oid, T0 + timedelta(hours=1), lease=LEASE, claimant="host:3:3") is None
        assert session.get(OutboxRow, oid).status == "sent"


def test_a_batch_of_sent_mails_is_recorded_at_once_except_those_another_run_took_over(db) -> None:
    mails = [OutgoingMail(template="confirmation", to=f"p{n}@falun.se") for n in range(3)]
    with db.unit_of_work() as session:
        first, second, third = apply_decision(
            session,
            "dalalab-2024",
            Decision(mails=mails),
            [rendered(m, n) for n, m in enumerate(mails)],
            now=T0,
        )
    with db.unit_of_work() as session:
        for oid in (first, second, third):
            outbox.claim(session, oid, T0, lease=LEASE, claimant="host:1:1")
    with db.unit_of_work() as session:  # the second's lease ran out and another run took it
        outbox.claim(session, second, T0 + timedelta(seconds=61), lease=LEASE, claimant="host:2:2")
    with db.unit_of_work() as session:
        taken = outbox.mark_all_sent(
            session, [first, second, third], T0 + timedelta(seconds=62), claimant="host:1:1"
        )
    assert taken == [second]
    with db.unit_of_work() as session:
        statuses = {oid: session.get(OutboxRow, oid).status for oid in (first, second, third)}
        audit = session.execute(select(AuditRow.detail).where(AuditRow.rule == "mail_sent")).scalars().all()
    assert statuses == {first: "sent", second: "inflight", third: "sent"}
    assert audit == [f"confirmation (utkorg {first})", f"confirmation (utkorg {third})"]


def test_a_retry_is_due_at_its_time_and_not_before(db) -> None:
    oid = one_confirmation(db)
    with db.unit_of_work() as session:
        [envelope] = outbox.claim_due(session, T0, lease=LEASE, claimant="w:1:1", limit=10)
        assert envelope.id == oid
    later = T0 + timedelta(seconds=30)
    with db.unit_of_work() as session:
        outbox.mark_retry(session, oid, T0, "451 try later", retry_at=later, claimant="w:1:1")
    with db.unit_of_work() as session:
        assert (
            outbox.claim_due(session, later - timedelta(seconds=1), lease=LEASE, claimant="w:2:2", limit=10)
            == []
        )
    with db.unit_of_work() as session:
        [again] = outbox.claim_due(session, later, lease=LEASE, claimant="w:2:2", limit=10)
    assert again.id == oid and again.attempts == 2


def test_two_workers_never_hand_out_the_same_seat(db) -> None:
    """Eight writers race for three seats; the event lock serialises them."""
    cap = 3
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            with db.unit_of_work() as session:
                lock_event(session, "dalalab-2024")
                taken = sum(
                    1 for r in registrations(session, "dalalab-2024") if r.seat_status(1) == "confirmed"
                )
                status = "confirmed" if taken < cap else "waitlisted"
                reg = registration(f"R{n}", seat=status, at=T0 + timedelta(seconds=n))
                apply_decision(session, "dalalab-2024", Decision(registrations=[reg]), [], now=T0)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.unit_of_work() as session:
        regs = registrations(session, "dalalab-2024")
    assert sum(r.seat_status(1) == "confirmed" for r in regs) == cap
    assert sum(r.seat_status(1) == "waitlisted" for r in regs) == 5


def test_the_migrations_build_exactly_the_tables_the_code_uses(db) -> None:
    """A change to store/tables.py without its Alembic revision fails here, on both databases."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from store.tables import Base

    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_an_upgrade_keeps_what_is_stored(tmp_path) -> None:
    """Opening an existing database again (as every start does) upgrades in place and loses nothing."""
    url = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    first = Database(url)
    first.create_schema()
    with first.unit_of_work() as session:
        lock_event(session, "dalalab-2024")
        apply_decision(session, "dalalab-2024", Decision(registrations=[registration("KEEP")]), [], now=T0)
    first.dispose()
    second = Database(url)
    second.create_schema()
    with second.unit_of_work() as session:
        assert [r.ref for r in registrations(session, "dalalab-2024")] == ["KEEP"]
    second.dispose()


def test_a_workers_memory_of_registrations_never_outlives_a_write_elsewhere_or_a_rollback(db) -> None:
    from sqlalchemy import text

    def state():
        with db.unit_of_work() as session:
            lock_event(session, "dalalab-2024")
            return load_state(session, "dalalab-2024", day_start=T0)

    with db.unit_of_work() as session:
        lock_event(session, "dalalab-2024")
        apply_decision(session, "dalalab-2024", Decision(registrations=[registration("MEM")]), [], now=T0)
    assert [r.name for r in state().registrations] == ["Person MEM"]  # read, remembered

    # Another worker renames the person (and, as every write does, moves the version on).
    with db.unit_of_work() as session:
        session.execute(text("UPDATE registrations SET name = 'Ny Person' WHERE ref = 'MEM'"))
        session.execute(text("UPDATE events SET version = version + 1"))
    assert [r.name for r in state().registrations] == ["Ny Person"]

    # A decision whose transaction rolls back leaves no trace in the memory either.
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        lock_event(session, "dalalab-2024")
        load_state(session, "dalalab-2024", day_start=T0)
        apply_decision(session, "dalalab-2024", Decision(registrations=[registration("GONE")]), [], now=T0)
        raise RuntimeError("crash after the write, before the commit")
    assert [r.ref for r in state().registrations] == ["MEM"]


def test_forget_blots_out_every_mention_and_compacts_the_database(db) -> None:
    """Forget on SQLite and PostgreSQL: her name leaves others' reviews and sent mail, then VACUUM runs."""
    from store.people import forget_person

    mail = OutgoingMail(template="digest", to="org@regiondalarna.se")
    decision = Decision(
        registrations=[registration("AAA")],
        reviews=[ReviewItem(kind="question", summary="Fråga om Person AAA", quote="Person AAA och jag")],
        audit=[AuditEntry(rule="signup", detail="anmälde Person AAA")],
    )
    with db.unit_of_work() as session:
        lock_event(session, "ev")
        apply_decision(session, "ev", decision, [], now=T0)
        apply_decision(
            session,
            "ev",
            Decision(mails=[mail]),
            [RenderedMail(mail=mail, message_id="d1@x", subject="Sammanställning", raw=b"Person AAA\r\n")],
            now=T0,
        )
    with db.unit_of_work() as session:
        forget_person(session, "ev", "aaa@falun.se", T0)
    db.compact()
    with db.unit_of_work() as session:
        review = session.execute(select(ReviewRow)).scalar_one()
        audit = session.execute(select(AuditRow.detail)).scalars().all()
        digest = session.execute(select(OutboxRow)).scalar_one()
    assert review.summary == "Fråga om [glömd]" and "Person AAA" not in review.quote
    assert not any("Person AAA" in d for d in audit)
    assert digest.raw is None


def test_a_mail_handed_over_by_a_sender_that_died_is_counted_as_sent_not_sent_again(db) -> None:
    oid = one_confirmation(db)
    with db.unit_of_work() as session:
        outbox.claim(session, oid, T0, lease=LEASE, claimant="w:1:1")
        assert outbox.hand_over(session, oid, T0, claimant="w:1:1")
    later = T0 + timedelta(seconds=61)  # the sender died; its lease ran out
    with db.unit_of_work() as session:
        assert outbox.claim_due(session, later, lease=LEASE, claimant="w:2:2", limit=10) == []
        assert outbox.settle_handed_over(session, later) == [oid]
    with db.unit_of_work() as session:
        row = session.get(OutboxRow, oid)
        assert row.status == "sent" and "räknas som skickat" in row.last_error
        # A run whose lease was taken over may not hand the mail over any more.
        assert not outbox.hand_over(session, oid, later, claimant="w:1:1")
