"""Scheduled jobs over a real database: reminders, meeting changes, the digest, retention — each once."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from store import inbox
from store.registrations import registrations
from store.tables import OutboxRow
from tests.conftest import REPO
from tests.e2e.mails import AUTHSERV_ID
from worker import scheduled
from worker.bootstrap import build
from worker.clock import Clock
from worker.organiser import send_digest
from worker.pipeline import process
from worker.settings import Settings

SIGNUP = (REPO / "worker/samples/01-falun.eml").read_bytes()


def service(tmp_path: Path, now: str, event: Path | None = None):
    svc = build(
        Settings(
            data_dir=tmp_path,
            event=event or REPO / "config/events/dalalab-2024.yaml",
            authserv_id=AUTHSERV_ID,
        )
    )
    svc.clock = Clock(datetime.fromisoformat(now))
    return svc


def sign_up(svc, raw: bytes = SIGNUP, uid: str = "1") -> None:
    with svc.db.unit_of_work() as session:
        row = inbox.store_raw(
            session,
            mailbox="test",
            uidvalidity=1,
            uid=uid,
            raw=raw,
            received_at=svc.clock.now(),
            now=svc.clock.now(),
        )
    process(svc, row.id)


def outbox(svc, template: str) -> list[OutboxRow]:
    with svc.db.unit_of_work() as session:
        return list(session.execute(select(OutboxRow).where(OutboxRow.template == template)).scalars())


def test_reminders_go_out_once_before_each_meeting(tmp_path: Path) -> None:
    svc = service(tmp_path, "2024-08-12T10:00:00+02:00")
    sign_up(svc)
    assert scheduled.reminders(svc) == []  # a month early
    svc.clock = Clock(datetime.fromisoformat("2024-09-05T12:00:00+02:00"))
    first = scheduled.reminders(svc)
    again = scheduled.reminders(svc)
    assert len(first) == 1 and again == []
    [row] = outbox(svc, "reminder")
    assert row.recipient == "anna.lindqvist@falun.se"
    text = email.message_from_bytes(row.raw, policy=email.policy.default).get_body(("plain",)).get_content()
    assert "12 september" in text


def test_a_place_set_in_the_config_is_announced_to_attendees(tmp_path: Path) -> None:
    svc = service(tmp_path, "2024-08-12T10:00:00+02:00")
    sign_up(svc)
    assert scheduled.meeting_changes(svc) == []  # first look: remembered, nothing to tell
    changed = tmp_path / "event.yaml"
    text = (REPO / "config/events/dalalab-2024.yaml").read_text(encoding="utf-8")
    changed.write_text(
        text.replace(
            "    date: 2024-12-03\n", '    date: 2024-12-03\n    place: "Borlänge, Jussi Björlingsalen"\n'
        ),
        encoding="utf-8",
    )
    svc2 = service(tmp_path, "2024-10-01T10:00:00+02:00", event=changed)
    assert len(scheduled.meeting_changes(svc2)) == 1
    assert scheduled.meeting_changes(svc2) == []
    [row] = outbox(svc2, "meeting_changed")
    text = email.message_from_bytes(row.raw, policy=email.policy.default).get_body(("plain",)).get_content()
    assert "Jussi Björlingsalen" in text


def test_the_digest_goes_out_once_a_day_with_the_lists_attached(tmp_path: Path) -> None:
    svc = service(tmp_path, "2024-08-12T10:00:00+02:00")
    sign_up(svc)
    svc.clock = Clock(datetime.fromisoformat("2024-08-13T06:30:00+02:00"))
    assert send_digest(svc) == []  # before the configured time
    svc.clock = Clock(datetime.fromisoformat("2024-08-13T07:05:00+02:00"))
    assert len(send_digest(svc)) == 1
    assert send_digest(svc) == []
    [row] = outbox(svc, "digest")
    assert row.recipient == "johanna.tangnas@regiondalarna.se"
    message = email.message_from_bytes(row.raw, policy=email.policy.default)
    names = sorted(p.get_filename() for p in message.iter_attachments())
    assert names == ["dalalab-2024-deltagare-2024-08-13.csv", "dalalab-2024-deltagare-2024-08-13.xlsx"]
    assert "[Digest dalalab-2024 " in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Anna Lindqvist" in body and "Falu kommun" in body


def test_retention_forgets_people_after_the_event(tmp_path: Path) -> None:
    svc = service(tmp_path, "2024-08-12T10:00:00+02:00")
    sign_up(svc)
    assert scheduled.retention(svc) == 0
    svc.clock = Clock(datetime.fromisoformat("2026-03-01T10:00:00+01:00"))
    assert scheduled.retention(svc) == 1
    with svc.db.unit_of_work() as session:
        assert registrations(session, svc.event.slug) == []
        assert all(row.raw is None for row in session.execute(select(OutboxRow)).scalars())


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    for name in ("ANMALAN_NOW", "ANMALAN_DATA_DIR", "ANMALAN_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_a_person_can_be_exported_and_forgotten(tmp_path: Path) -> None:
    from store.people import export_person, forget_person

    svc = service(tmp_path, "2024-08-12T10:00:00+02:00")
    sign_up(svc)
    with svc.db.unit_of_work() as session:
        data = export_person(session, svc.event.slug, "Anna.Lindqvist@falun.se")
    assert [r["name"] for r in data["registrations"]] == ["Anna Lindqvist"]
    assert [m["template"] for m in data["mails_sent"]] == ["confirmation"]
    assert data["messages_received"][0]["intent"] == "signup"

    with svc.db.unit_of_work() as session:
        counts = forget_person(session, svc.event.slug, "anna.lindqvist@falun.se", svc.clock.now())
    assert counts == {"registrations": 1, "messages": 1, "mails": 1}
    with svc.db.unit_of_work() as session:
        after = export_person(session, svc.event.slug, "anna.lindqvist@falun.se")
        stored = session.execute(select(OutboxRow)).scalars().all()
    assert after["registrations"] == after["messages_received"] == after["mails_sent"] == []
    assert all(b"Lindqvist" not in (row.raw or b"") for row in stored)


def test_a_message_that_breaks_the_rules_twice_is_set_aside_for_the_organisers(
    tmp_path: Path, monkeypatch
) -> None:
    """A bug cannot be produced on demand, so one is put in decide()'s place: nothing may be lost, and the
    failure path stores nothing of the message's content (its content may be what broke it)."""
    import worker.pipeline
    from store.organiser import open_reviews
    from store.tables import InboxMessage

    def broken(*args, **kwargs):
        raise RuntimeError("regelfel")

    svc = service(tmp_path, "2024-08-12T10:00:00+02:00")
    monkeypatch.setattr(worker.pipeline, "decide", broken)
    sign_up(svc)
    with svc.db.unit_of_work() as session:
        [row] = session.execute(select(InboxMessage)).scalars().all()
    assert (row.status, row.attempts) == ("new", 1)  # a passing fault gets one more try
    process(svc, row.id)
    with svc.db.unit_of_work() as session:
        [row] = session.execute(select(InboxMessage)).scalars().all()
        reviews = list(open_reviews(session, svc.event.slug).values())
    assert row.status == "poison" and row.reason == "RuntimeError (2 försök)"
    assert row.raw == SIGNUP
    assert [r.kind for r in reviews] == ["poison"]
    assert f"Meddelande nr {row.id}" in reviews[0].summary
    assert outbox(svc, "confirmation") == []
    assert reviews[0].sender is None
    assert "Anmälan lärprojektet" not in reviews[0].summary


def test_the_earlier_arrival_gets_the_last_seat_whichever_task_runs_first(tmp_path: Path) -> None:
    from datetime import timedelta

    svc = service(tmp_path, "2024-08-12T10:00:00+02:00")
    for n in range(3):  # Falu kommun's three seats
        sign_up(
            svc,
            SIGNUP.replace(b"anna.lindqvist", f"p{n}".encode()).replace(b"demo-01", f"d{n}".encode()),
            f"{n}",
        )
    arrived = svc.clock.now()
    ids = []
    for n, name in ((10, b"Tidig"), (11, b"Sen")):
        raw = SIGNUP.replace(b"Anna Lindqvist", name + b" Person").replace(b"anna.lindqvist", name.lower())
        raw = raw.replace(b"demo-01", f"d{n}".encode())
        with svc.db.unit_of_work() as session:
            row = inbox.store_raw(
                session,
                mailbox="test",
                uidvalidity=1,
                uid=str(n),
                raw=raw,
                received_at=arrived + timedelta(seconds=n),
                now=arrived,
            )
            ids.append(row.id)
    # Both are freed for all meetings by one cancellation first, so exactly one seat is open at each meeting.
    with svc.db.unit_of_work() as session:
        first = registrations(session, svc.event.slug)[0]
    cancel = (
        f"Authentication-Results: {AUTHSERV_ID}; dmarc=pass header.from=falun.se\r\n"
        f"From: {first.name} <{first.email}>\r\nTo: anmalan.dalalab@regiondalarna.se\r\nSubject: Avanmälan\r\n"
        "Message-ID: <cancel-1@falun.se>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Hej, jag måste tyvärr avanmäla mig från alla träffar.\r\n"
    ).encode()
    sign_up(svc, cancel, "9")
    process(svc, ids[1])  # the later message's task happens to run first
    with svc.db.unit_of_work() as session:
        seats = {r.name: r.seat_status(1) for r in registrations(session, svc.event.slug)}
    assert seats["Tidig Person"] == "confirmed"
    assert seats["Sen Person"] == "waitlisted"


def test_forgetting_a_confirmed_person_moves_the_waitlist_up_and_keeps_their_colleagues(
    tmp_path: Path,
) -> None:
    from worker.organiser import forget

    svc = service(tmp_path, "2024-08-12T10:00:00+02:00")
    group = (
        "From: Helen Sandberg <helen.sandberg@ludvika.se>\r\nTo: anmalan.dalalab@regiondalarna.se\r\n"
        "Subject: Anmälan\r\nMessage-ID: <group@ludvika.se>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Hej! Vi blir tre från Ludvika kommun:\r\n\r\n"
        "1. Helen Sandberg, samhällsbyggnadschef, helen.sandberg@ludvika.se\r\n"
        "2. Tomas Grahn, näringslivschef, tomas.grahn@ludvika.se\r\n"
        "3. Åsa Lind, planarkitekt, asa.lind@ludvika.se\r\n\r\nMvh\r\nHelen Sandberg\r\nLudvika kommun\r\n"
    ).encode()
    fourth = (
        "From: Per Ek <per.ek@ludvika.se>\r\nTo: anmalan.dalalab@regiondalarna.se\r\nSubject: Anmälan\r\n"
        "Message-ID: <fourth@ludvika.se>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Hej, jag vill anmäla mig till alla träffar.\r\n\r\nMvh\r\nPer Ek\r\nPlanarkitekt, Ludvika kommun\r\n"
    ).encode()
    sign_up(svc, group, "1")
    sign_up(svc, fourth, "2")

    counts, promoted = forget(svc, "helen.sandberg@ludvika.se")

    with svc.db.unit_of_work() as session:
        regs = {r.name: r for r in registrations(session, svc.event.slug)}
    assert counts["registrations"] == 1 and "Helen Sandberg" not in regs
    assert {"Tomas Grahn", "Åsa Lind"} <= set(regs)  # her colleagues' registrations are theirs
    assert regs["Tomas Grahn"].registered_by is None  # only her address is gone from them
    assert regs["Per Ek"].seat_status(1) == "confirmed"  # the waitlist moved up
    assert promoted and all(row.recipient == "per.ek@ludvika.se" for row in outbox(svc, "promoted"))
