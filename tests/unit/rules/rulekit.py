"""Test kit for the rules: the real event, message builders, and a desk that applies each Decision to a State."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from parsers.models import Organisation, ParsedMessage, Person
from parsers.organisation import of_address
from rules.decide import decide
from rules.decision import Decision
from rules.event import Event
from rules.model import Registration, State

REPO = Path(__file__).resolve().parents[3]
STHLM = ZoneInfo("Europe/Stockholm")
T0 = dt.datetime(2024, 8, 1, 9, 0, tzinfo=STHLM)
MAILBOX = "anmalan.dalalab@regiondalarna.se"
ORGANISER = "johanna.tangnas@regiondalarna.se"

LUDVIKA = Organisation(kind="municipality", code="2085", name="Ludvika kommun")
FALUN = Organisation(kind="municipality", code="2080", name="Falu kommun")
REGION = Organisation(kind="region", code="20", name="Region Dalarna")


def load_event(**changes) -> Event:
    data = yaml.safe_load((REPO / "config/events/dalalab-2024.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return Event.model_validate(data)


def person(name: str | None, email: str | None = None, **kw) -> Person:
    return Person(name=name, email=email, **kw)


def msg(
    intent: str = "signup", *, sender: str, people=(), org: Organisation | None = LUDVIKA, **kw
) -> ParsedMessage:
    # As the parser does: the sender's own organisation is the one owning their mail domain.
    kw.setdefault("sender_organisation", of_address(sender))
    # As our receiving server reports most mail: the From domain passed DMARC. A test of a bare or forged
    # From says so with sender_verified=None or False.
    kw.setdefault("sender_verified", True)
    return ParsedMessage(intent=intent, sender=sender, people=list(people), organisation=org, **kw)


def apply(state: State, decision: Decision) -> State:
    """What the store does with a Decision, in memory: registrations replaced by ref or added."""
    regs = {r.ref: r for r in state.registrations}
    for reg in decision.registrations:
        regs[reg.ref] = reg
    return state.model_copy(update={"registrations": list(regs.values())})


class Desk:
    """A mailbox in miniature: each message is decided, applied, and each mail we send gets a Message-ID."""

    def __init__(self, event: Event | None = None, start: dt.datetime = T0) -> None:
        self.event = event or load_event()
        self.state = State()
        self.clock = start
        self.count = 0
        self.outbox: list = []  # (message_id, OutgoingMail)

    def send(self, parsed: ParsedMessage, *, at: dt.datetime | None = None) -> Decision:
        self.count += 1
        self.clock = at or self.clock + dt.timedelta(minutes=1)
        if parsed.message_id is None:
            parsed = parsed.model_copy(update={"message_id": f"in{self.count}@example.se"})
        # decide() is pure: every rule test also checks that the state it was given is left as it was
        # (a rule that changed a registration it only read would change the caller's copy).
        given = self.state.model_dump()
        decision = decide(
            self.event,
            self.state,
            parsed,
            received_at=self.clock,
            now=self.clock,
            message_key=f"inbox:{self.count}",
        )
        assert self.state.model_dump() == given, "decide() changed the state it was given"
        self.state = apply(self.state, decision)
        for i, mail in enumerate(decision.mails):
            mid = f"out{self.count}.{i}@regiondalarna.se"
            self.state.sent_message_ids[mid] = mail.registration_ref
            self.state.sent_to[mid] = mail.to.lower()
            self.state.answers_today[mail.to] = self.state.answers_today.get(mail.to, 0) + 1
            self.outbox.append((mid, mail))
        return decision

    def reg(self, name: str) -> Registration:
        return next(r for r in self.state.registrations if r.name == name)

    def last_mid(self, ref: str) -> str:
        return next(mid for mid, mail in reversed(self.outbox) if mail.registration_ref == ref)


def seats(reg: Registration) -> dict[int, str]:
    return {n: s.status for n, s in sorted(reg.seats.items())}
