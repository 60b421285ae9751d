"""Two events reading one folder: each message goes to the event it is about, or waits for an organiser.

Through the real pipeline and database (SQLite): messages stored as the watcher stores them, then routed,
parsed and decided. The same paths with Dovecot, Redis and the service's processes: tests/e2e.
"""

from __future__ import annotations

from datetime import datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from sqlalchemy import select

from store import inbox
from store.organiser import open_reviews
from store.registrations import registrations
from store.tables import InboxMessage, OutboxRow
from tests.e2e.mails import AUTHSERV_ID, at, mail
from tests.events import OTHER, two_events
from worker import routing
from worker.bootstrap import Service, build
from worker.clock import Clock
from worker.organiser import send_digest
from worker.pipeline import process
from worker.routing import hand_over
from worker.settings import Settings

NOW = "2024-08-12T10:00:00+02:00"
A, B = "dalalab-2024", OTHER["slug"]


def service(tmp_path: Path, **both) -> Service:
    svc = build(
        Settings(
            data_dir=tmp_path / "var",
            events_dir=two_events(tmp_path / "events", **both),
            authserv_id=AUTHSERV_ID,
        )
    )
    svc.clock = Clock(datetime.fromisoformat(NOW))
    return svc


class Mailbox:
    """Stores messages the way the watcher does (one folder, the next UID), then lets the worker decide."""

    def __init__(self, svc: Service, mailbox: str = "imap://anmalan@127.0.0.1:143/INBOX") -> None:
        self.svc, self.mailbox, self.uid = svc, mailbox, 0

    def deliver(self, raw: bytes) -> int:
        self.uid += 1
        with self.svc.db.unit_of_work() as session:
            row = inbox.store_raw(
                session,
                mailbox=self.mailbox,
                uidvalidity=1,
                uid=str(self.uid),
                raw=raw,
                received_at=self.svc.clock.now(),
                now=self.svc.clock.now(),
            )
            assert row is not None
            row_id = row.id
        process(self.svc, row_id)
        return row_id


def signup(address: str, name: str, subject: str, text: str, when: str = "2024-08-12 09:00") -> bytes:
    return mail(
        f"{name} <{address}>",
        subject,
        f"Hej!\n\n{text}\n\nMed vänliga hälsningar\n{name}\nFalu kommun\n",
        sent=at(when),
    )


def one_to_each(box: Mailbox) -> None:
    """Anna signs up for A (its short name in the subject), Erik for B (its short name)."""
    box.deliver(
        signup(
            "anna.lindqvist@falun.se", "Anna Lindqvist", "Anmälan Dalalab 2024", "Jag anmäler mig, träff 1."
        )
    )
    box.deliver(
        signup("erik.berg@falun.se", "Erik Berg", "Anmälan Vindkraftsprojektet", "Jag anmäler mig, träff 1.")
    )


def regs(svc: Service, slug: str) -> dict[str, object]:
    with svc.db.unit_of_work() as session:
        return {r.email: r for r in registrations(session, slug)}


def sent_to(svc: Service, address: str) -> list[OutboxRow]:
    with svc.db.unit_of_work() as session:
        rows = session.execute(select(OutboxRow).where(OutboxRow.recipient == address).order_by(OutboxRow.id))
        found = list(rows.scalars())
        session.expunge_all()
        return found


def status_of(svc: Service, inbox_id: int) -> tuple[str, str | None]:
    with svc.db.unit_of_work() as session:
        row = session.get(InboxMessage, inbox_id)
        assert row is not None
        return row.status, row.event


def test_each_sign_up_goes_to_the_event_its_subject_names(tmp_path: Path) -> None:
    svc = service(tmp_path)
    box = Mailbox(svc)
    box.deliver(
        signup(
            "anna.lindqvist@falun.se",
            "Anna Lindqvist",
            "Anmälan Dalalab 2024",
            "Jag anmäler mig, träff 1 och 2.",
        )
    )
    box.deliver(
        signup(
            "erik.berg@falun.se",
            "Erik Berg",
            "Anmälan",
            "Jag vill anmäla mig till Vindkraftsprojektet, träff 1 och 2.",
        )
    )
    assert list(regs(svc, A)) == ["anna.lindqvist@falun.se"]
    assert list(regs(svc, B)) == ["erik.berg@falun.se"]
    # Each answer comes from its own event: its name in the confirmation, its row in the outbox.
    [anna] = sent_to(svc, "anna.lindqvist@falun.se")
    [erik] = sent_to(svc, "erik.berg@falun.se")
    assert (anna.event, erik.event) == (A, B)


def test_a_message_naming_neither_event_waits_for_an_organiser_of_each(tmp_path: Path) -> None:
    svc = service(tmp_path)
    box = Mailbox(svc)
    waiting = box.deliver(
        signup("karin.strom@falun.se", "Karin Ström", "Anmälan", "Jag anmäler mig, alla träffar.")
    )
    assert status_of(svc, waiting) == ("unrouted", None)
    assert regs(svc, A) == {} and regs(svc, B) == {}
    assert sent_to(svc, "karin.strom@falun.se") == []  # no answer from an event she may not mean
    with svc.db.unit_of_work() as session:
        for slug in (A, B):
            [review] = open_reviews(session, slug).values()
            assert review.kind == "unrouted"
            assert f"Meddelande nr {waiting} kunde inte knytas till ett evenemang" in review.summary
            assert f"anmalan route {waiting} --event SLUG" in review.summary
    # Stored as it came: an organiser hands it to B, and it is decided as if it had just arrived.
    with svc.db.unit_of_work() as session:
        assert hand_over(session, waiting, B, svc.clock.now())
    process(svc, waiting)
    assert list(regs(svc, B)) == ["karin.strom@falun.se"] and regs(svc, A) == {}
    with svc.db.unit_of_work() as session:
        assert open_reviews(session, A) == {} and open_reviews(session, B) == {}
        assert not hand_over(session, waiting, A, svc.clock.now())  # once only


def test_an_out_of_office_no_event_can_be_told_for_is_kept_but_put_before_no_one(tmp_path: Path) -> None:
    svc = service(tmp_path)
    away = Mailbox(svc).deliver(
        mail(
            "Karin Ström <karin.strom@falun.se>",
            "Frånvaro",
            "Jag är på semester till och med den 19 augusti.",
            sent=at("2024-08-12 09:00"),
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    assert status_of(svc, away) == ("ignored", None)
    with svc.db.unit_of_work() as session:
        assert open_reviews(session, A) == {} and open_reviews(session, B) == {}
        assert session.get(InboxMessage, away).raw  # type: ignore[union-attr]


def test_a_message_that_breaks_routing_is_set_aside_and_the_next_goes_on(tmp_path: Path, monkeypatch) -> None:
    svc = service(tmp_path)
    box = Mailbox(svc)
    real = routing.decode

    def breaks_on_karin(raw: bytes):
        if b"karin" in raw:
            raise ValueError("a message no one foresaw")
        return real(raw)

    monkeypatch.setattr(routing, "decode", breaks_on_karin)
    broken = box.deliver(
        signup("karin.strom@falun.se", "Karin Ström", "Anmälan Dalalab 2024", "Alla träffar.")
    )
    assert status_of(svc, broken) == ("unrouted", None)
    box.deliver(signup("anna.lindqvist@falun.se", "Anna Lindqvist", "Anmälan Dalalab 2024", "Alla träffar."))
    assert list(regs(svc, A)) == ["anna.lindqvist@falun.se"]
    with svc.db.unit_of_work() as session:
        [review] = open_reviews(session, A).values()
        assert "kunde inte läsas för att välja evenemang (ValueError)" in review.summary
        assert "no one foresaw" not in review.summary  # the error's text may quote the message


def test_a_message_naming_both_events_is_no_guess(tmp_path: Path) -> None:
    svc = service(tmp_path)
    both = Mailbox(svc).deliver(
        signup(
            "olle.nord@falun.se",
            "Olle Nord",
            "Anmälan",
            "Jag var med i Dalalab 2024 och vill nu anmäla mig till Vindkraftsprojektet, träff 1.",
        )
    )
    assert status_of(svc, both) == ("unrouted", None)
    with svc.db.unit_of_work() as session:
        [review] = open_reviews(session, A).values()
    assert (
        "evenemangets namn i ämnesraden eller texten pekar på flera (dalalab-2024, vindkraft-2024)"
        in review.summary
    )


def test_a_reply_to_event_a_touches_a_only_by_thread_or_by_reference(tmp_path: Path) -> None:
    svc = service(tmp_path)
    box = Mailbox(svc)
    for address, name in (("anna.lindqvist@falun.se", "Anna Lindqvist"), ("erik.berg@falun.se", "Erik Berg")):
        box.deliver(signup(address, name, "Anmälan Dalalab 2024", "Jag anmäler mig, träff 1 och 2."))
        box.deliver(signup(address, name, "Anmälan Vindkraftsprojektet", "Jag anmäler mig, träff 1 och 2."))
    [anna_a, _] = sent_to(svc, "anna.lindqvist@falun.se")
    [erik_a, _] = sent_to(svc, "erik.berg@falun.se")
    assert anna_a.event == erik_a.event == A
    # A reply threaded under A's confirmation, its subject stripped of the reference: In-Reply-To decides.
    threaded = box.deliver(
        mail(
            "Anna Lindqvist <anna.lindqvist@falun.se>",
            "SV: Tack",
            "Hej, jag kan tyvärr inte komma på träff 2. Stryk mig från den.\n\nAnna",
            sent=at("2024-08-12 09:30"),
            in_reply_to=f"<{anna_a.message_id}>",
        )
    )
    assert status_of(svc, threaded) == ("processed", A)
    # A new mail carrying A's reference in its subject and nothing else of A: the reference decides.
    ref = regs(svc, A)["erik.berg@falun.se"].ref  # type: ignore[attr-defined]
    by_ref = box.deliver(
        mail(
            "Erik Berg <erik.berg@falun.se>",
            f"Avanmälan [Ref {ref}]",
            "Hej, jag måste tyvärr avanmäla mig helt.\n\nErik",
            sent=at("2024-08-12 09:40"),
        )
    )
    assert status_of(svc, by_ref) == ("processed", A)
    anna, erik = regs(svc, A)["anna.lindqvist@falun.se"], regs(svc, A)["erik.berg@falun.se"]
    assert anna.seat_status(2) == "cancelled" and anna.seat_status(1) == "confirmed"  # type: ignore[attr-defined]
    assert erik.status == "cancelled"  # type: ignore[attr-defined]
    # B never heard of either reply.
    for reg in regs(svc, B).values():
        assert reg.status == "active" and reg.seat_status(1) == reg.seat_status(2) == "confirmed"  # type: ignore[attr-defined]


def test_each_events_digest_shows_its_own_registrations_only(tmp_path: Path) -> None:
    svc = service(tmp_path)
    one_to_each(Mailbox(svc))
    for view in svc.each():
        assert send_digest(view, force=True)
    # The digest as each organiser gets it: the text and the participant lists attached to it.
    digests = {row.recipient: message_from_bytes(row.raw or b"", policy=default) for row in all_digests(svc)}
    a_text, b_text = (
        everything_in(digests[address])
        for address in ("johanna.tangnas@regiondalarna.se", OTHER["organisers"][0])
    )
    assert "Anna Lindqvist" in a_text and "Erik Berg" not in a_text
    assert "Erik Berg" in b_text and "Anna Lindqvist" not in b_text
    assert set(digests) == {"johanna.tangnas@regiondalarna.se", OTHER["organisers"][0]}


def all_digests(svc: Service) -> list[OutboxRow]:
    with svc.db.unit_of_work() as session:
        found = list(session.execute(select(OutboxRow).where(OutboxRow.template == "digest")).scalars())
        session.expunge_all()
        return found


def everything_in(message) -> str:
    """The text parts and the CSV list, decoded: whatever an organiser can read in the digest."""
    parts = []
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/csv"):
            payload = part.get_payload(decode=True) or b""
            parts.append(payload.decode("utf-8-sig", "replace"))
    return "\n".join(parts)


def test_events_in_folders_of_their_own_need_no_clue(tmp_path: Path) -> None:
    svc = service(tmp_path)
    # Give B a folder of its own by its event file, as an organiser would.
    path = svc.event_paths[B]
    path.write_text(path.read_text(encoding="utf-8") + "imap_folder: Vindkraft\n", encoding="utf-8")
    svc = build(svc.settings)
    svc.clock = Clock(datetime.fromisoformat(NOW))
    a_folder = Mailbox(svc, svc.settings.mailbox_name())
    b_folder = Mailbox(svc, svc.settings.model_copy(update={"imap_folder": "Vindkraft"}).mailbox_name())
    b_folder.deliver(
        signup("anna.lindqvist@falun.se", "Anna Lindqvist", "Anmälan", "Jag anmäler mig, träff 1.")
    )
    a_folder.deliver(signup("erik.berg@falun.se", "Erik Berg", "Anmälan", "Jag anmäler mig, träff 1."))
    assert list(regs(svc, B)) == ["anna.lindqvist@falun.se"]
    assert list(regs(svc, A)) == ["erik.berg@falun.se"]
