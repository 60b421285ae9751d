"""Every kind of change, made by a participant's mail or an organiser's command, shows in the next digest."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from typing import get_args

from sqlalchemy import select

from parsers.commands import parse_commands
from rules.audit import CHANGE_KINDS, ChangeKind
from store import inbox
from store.registrations import registrations
from store.tables import OutboxRow
from tests.conftest import REPO
from tests.e2e.mails import AUTHSERV_ID, at, mail
from worker.bootstrap import build
from worker.clock import Clock
from worker.organiser import act_at_shell, send_digest
from worker.pipeline import process
from worker.settings import Settings

# The digest's Swedish name for each change (templates/sv/_organiser_macros.txt.j2).
SHOWN_AS = {
    "new": "Ny anmälan", "cancelled": "Avanmälan", "substituted": "Byte", "updated": "Ändring",
    "promoted": "Fick plats från väntelistan", "waitlisted": "Till väntelista", "approved": "Godkänd",
    "rejected": "Nekad",
}  # fmt: skip


def signup(name: str, address: str, organisation: str) -> str:
    return (
        f"Hej!\n\nJag anmäler mig till lärprojektets alla träffar.\n\n"
        f"Med vänliga hälsningar\n{name}\nPlanarkitekt\n{organisation}\n"
    )


class Desk:
    """The service on SQLite with a hand-set clock; mail goes straight to the pipeline."""

    def __init__(self, tmp_path: Path) -> None:
        # Our receiving server vouches for each From (DMARC pass), as for most mail: a substitution acts at once.
        settings = Settings(
            data_dir=tmp_path, event=REPO / "config/events/dalalab-2024.yaml", authserv_id=AUTHSERV_ID
        )
        self.svc = build(settings)
        self.uid = 0

    def receive(self, sender: str, subject: str, body: str, when: str) -> None:
        self.svc.clock = Clock(at(when))
        self.uid += 1
        with self.svc.db.unit_of_work() as session:
            row = inbox.store_raw(
                session, mailbox="test", uidvalidity=1, uid=str(self.uid),
                raw=mail(sender, subject, body, sent=at(when)), received_at=at(when), now=at(when),
            )  # fmt: skip
        process(self.svc, row.id)

    def ref(self, address: str) -> str:
        with self.svc.db.unit_of_work() as session:
            [reg] = [r for r in registrations(session, self.svc.event.slug) if r.email == address]
            return reg.ref

    def organiser(self, text: str, when: str) -> None:
        self.svc.clock = Clock(at(when))
        _, results = act_at_shell(self.svc, parse_commands(text))
        assert all(r.ok for r in results), [r.message_sv for r in results]

    def digest_text(self) -> str:
        send_digest(self.svc, force=True)
        with self.svc.db.unit_of_work() as session:
            row = session.execute(select(OutboxRow).where(OutboxRow.template == "digest")).scalars().one()
            message = email.message_from_bytes(row.raw, policy=email.policy.default)
        return message.get_body(("plain",)).get_content()


def test_every_change_kind_has_an_audit_rule_that_writes_it() -> None:
    assert set(CHANGE_KINDS.values()) == set(get_args(ChangeKind)) - {"other"}
    assert set(SHOWN_AS) == set(CHANGE_KINDS.values())


def test_every_change_kind_shows_in_the_digest(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    falun = [("Anna Berg", "anna.berg@falun.se"), ("Bo Ek", "bo.ek@falun.se"),
             ("Cecilia Dahl", "cecilia.dahl@falun.se"), ("David Fors", "david.fors@falun.se")]  # fmt: skip
    for n, (name, address) in enumerate(falun):
        desk.receive(
            f"{name} <{address}>", "Anmälan", signup(name, address, "Falu kommun"), f"2024-08-1{n} 09:00"
        )
    desk.receive(
        "Gustav Ek <gustav.ek@rattvik.se>",
        "Anmälan",
        signup("Gustav Ek", "", "Rättviks kommun"),
        "2024-08-14 09:00",
    )
    desk.receive(
        "Gustav Ek <gustav.ek@rattvik.se>",
        "Ändring av min anmälan",
        "Hej!\n\nJag glömde skriva att jag inte tål laktos.\n\nMvh Gustav\n",
        "2024-08-15 09:00",
    )
    desk.receive(
        "Bo Ek <bo.ek@falun.se>",
        "Byte av deltagare träff 2",
        "Hej!\n\nJag kan tyvärr inte komma på träff 2 den 23 oktober. Min kollega Olof Falk, "
        "olof.falk@falun.se, kommer i stället för mig.\n\nVänliga hälsningar\nBo Ek\nPlanarkitekt\nFalu kommun\n",
        "2024-08-16 09:00",
    )
    for name, address in [
        ("Emma Lindqvist", "emma.lindqvist@avesta.se"),
        ("Sofia Berg", "sofia.berg@sater.se"),
    ]:
        org = "Avesta kommun" if "avesta" in address else "Säters kommun"
        desk.receive(f"{name} <{address}>", "Sen anmälan", signup(name, address, org), "2024-08-25 20:00")

    desk.organiser(
        f"GODKÄNN {desk.ref('emma.lindqvist@avesta.se')}\n"
        f"NEKA {desk.ref('sofia.berg@sater.se')} för sent\n"
        f"VÄNTELISTA {desk.ref('gustav.ek@rattvik.se')}\n"
        f"AVANMÄL {desk.ref('anna.berg@falun.se')}",  # frees a Falun seat: David is promoted
        "2024-08-26 08:00",
    )

    changes = [line for line in desk.digest_text().splitlines() if line.startswith("- ")]
    for kind, label in SHOWN_AS.items():
        assert any(line.split(" ", 3)[3].startswith(label) for line in changes), (kind, changes)
