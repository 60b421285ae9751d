"""Organiser commands (replies to the digest) carried out: registrations changed, participants and organiser told. Pure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, Field

from parsers.commands import Command
from rules.audit import AuditRule
from rules.capacity import capped_key, promote, seat_for, waiting_order
from rules.decision import AuditEntry, Decision, OutgoingMail, ReviewItem
from rules.digest import OpenReview, wanted_meetings
from rules.event import Event
from rules.model import Registration, Seat, State
from rules.refs import normalise
from rules.work import Work

REPLY_TEMPLATE = "organiser_reply"
ANSWER_TEMPLATE = "organiser_answer"
# Participant mails, written with the participant workflows (templates/<lang>/<name>.*.j2).
CONFIRMED_TEMPLATE = "confirmation"
WAITLISTED_TEMPLATE = "waitlisted"
REJECTED_TEMPLATE = "late_rejected"
CANCELLED_TEMPLATE = "cancellation_receipt"

USAGE_SV = {
    "approve": "GODKÄNN behöver en referens, t.ex. GODKÄNN K7M2QX",
    "reject": "NEKA behöver en referens, t.ex. NEKA K7M2QX anmälan kom för sent",
    "cancel": "AVANMÄL behöver en referens, t.ex. AVANMÄL K7M2QX",
    "waitlist": "VÄNTELISTA behöver en referens, t.ex. VÄNTELISTA K7M2QX",
    "answer": "SVARA behöver ett nummer och en text, t.ex. SVARA 3 Ja, det går bra.",
}


class CommandResult(BaseModel):
    """What one line of the organiser's reply did, as the reply mail reports it."""

    line: str
    ok: bool
    message_sv: str
    closes_reviews: list[int] = Field(
        default_factory=list
    )  # open reviews this settled (store marks them done)


def _who(reg: Registration) -> str:
    org = f", {reg.organisation.name}" if reg.organisation else ""
    return f"{reg.name or reg.email or '?'}{org} ({reg.ref})"


def _meetings(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _seats_text(reg: Registration) -> str:
    confirmed = [n for n, s in sorted(reg.seats.items()) if s.status == "confirmed"]
    waiting = [n for n, s in sorted(reg.seats.items()) if s.status == "waitlisted"]
    parts = []
    if confirmed:
        parts.append(f"plats på träff {_meetings(confirmed)}")
    if waiting:
        parts.append(f"väntelista till träff {_meetings(waiting)}")
    return "; ".join(parts) or "inga träffar"


class _Run:
    """One organiser mail being carried out: the Work scratch pad plus what the reply will say."""

    def __init__(self, work: Work, reviews: dict[int, OpenReview], sender: str) -> None:
        self.work = work
        self.reviews = reviews
        self.sender = sender
        self.closed: set[int] = set()

    # -- helpers
    def find(self, ref: str) -> Registration | None:
        return self.work.regs.get(normalise(ref)) or self.work.regs.get(ref.upper())

    def close_for(self, ref: str) -> list[int]:
        numbers = [n for n, r in self.reviews.items() if r.ref == ref and n not in self.closed]
        self.closed.update(numbers)
        return numbers

    def note(self, rule: AuditRule, ref: str | None, detail: str = "") -> None:
        self.work.note(rule, ref, f"{detail} (av {self.sender})".strip())

    def future(self) -> list[int]:
        today = self.work.event.local_day(self.work.now)
        return [m.number for m in self.work.event.meetings if m.date >= today]

    # -- the commands that name registrations
    def approve(self, reg: Registration) -> tuple[bool, str]:
        if reg.status == "active":
            return True, f"{_who(reg)} är redan godkänd: {_seats_text(reg)}"
        if reg.status != "pending_approval":
            return False, f"{_who(reg)} väntar inte på godkännande (status {reg.status})"
        # A late sign-up holds no seats while it waits; approval gives it seats through the cap like anyone.
        reg.status = "active"
        for n in wanted_meetings(reg) or self.future():
            if reg.seat_status(n) in (None, "cancelled"):
                reg.seats[n] = seat_for(self.work, reg, n, self.work.now)
        reg.requested = []
        self.work.put(reg)
        self.note("organiser:approve", reg.ref, _seats_text(reg))
        self._tell_seats(reg)
        return True, f"Godkänd: {_who(reg)} – {_seats_text(reg)}"

    def reject(self, reg: Registration, reason: str) -> tuple[bool, str]:
        if reg.status == "rejected":
            return True, f"{_who(reg)} är redan nekad"
        if reg.status not in ("pending_approval", "pending_info"):
            return (
                False,
                f"{_who(reg)} har status {reg.status}; NEKA gäller väntande anmälningar (använd AVANMÄL)",
            )
        reg.status = "rejected"
        for n, seat in reg.seats.items():
            reg.seats[n] = (
                Seat(status="cancelled", since=self.work.now) if seat.status != "cancelled" else seat
            )
        self.work.put(reg)
        self.note("organiser:reject", reg.ref, reason)
        deadline = self.work.event.local(self.work.event.deadline_at).isoformat()
        context = {"deadline": deadline, "reason": reason}
        self.work.mail(REJECTED_TEMPLATE, reg.contact, ref=reg.ref, context=context)
        return True, f"Nekad: {_who(reg)}" + (f" – skäl: {reason}" if reason else "")

    def cancel(self, reg: Registration) -> tuple[bool, str]:
        if reg.status in ("cancelled", "rejected"):
            return True, f"{_who(reg)} är redan {'avanmäld' if reg.status == 'cancelled' else 'nekad'}"
        freed = [n for n, s in reg.seats.items() if s.status == "confirmed" and reg.status == "active"]
        held = sorted(n for n, s in reg.seats.items() if s.status != "cancelled") or wanted_meetings(reg)
        reg.status = "cancelled"
        for n, seat in reg.seats.items():
            if seat.status != "cancelled":
                reg.seats[n] = Seat(status="cancelled", since=self.work.now)
        self.work.put(reg)
        self.note("organiser:cancel", reg.ref)
        context = {"whole": True, "cancelled": held, "by_organiser": True}
        self.work.mail(CANCELLED_TEMPLATE, reg.contact, ref=reg.ref, context=context)
        promoted = [p for n in sorted(freed) for p in promote(self.work, capped_key(self.work.event, reg), n)]
        tail = f"; flyttade upp från väntelistan: {', '.join(promoted)}" if promoted else ""
        return True, f"Avanmäld: {_who(reg)}{tail}"

    def waitlist(self, reg: Registration) -> tuple[bool, str]:
        if reg.status in ("cancelled", "rejected", "pending_info"):
            return False, f"{_who(reg)} har status {reg.status} och kan inte sättas på väntelista"
        meetings = wanted_meetings(reg) or self.future()
        if not meetings:
            return False, f"{_who(reg)} har inga träffar att vänta på"
        key = capped_key(self.work.event, reg)
        promoted: list[str] = []
        reg.status = "active"
        reg.requested = []
        for n in meetings:
            if reg.seat_status(n) == "confirmed":
                # Out of line while the freed seat goes to whoever waited before: otherwise the one moved
                # to the waitlist would be promoted straight back into the seat it just left.
                reg.seats[n] = Seat(status="cancelled", since=self.work.now)
                self.work.put(reg)
                promoted += promote(self.work, key, n)
            reg.seats[n] = Seat(status="waitlisted", since=self.work.now)
        self.work.put(reg)
        self.note("organiser:waitlist", reg.ref, _seats_text(reg))
        self.work.mail(WAITLISTED_TEMPLATE, reg.contact, ref=reg.ref, context={"by_organiser": True})
        tail = f"; flyttade upp från väntelistan: {', '.join(promoted)}" if promoted else ""
        return True, f"På väntelista: {_who(reg)} – träff {_meetings(meetings)}{tail}"

    def _tell_seats(self, reg: Registration) -> None:
        confirmed = [n for n, s in reg.seats.items() if s.status == "confirmed"]
        template = CONFIRMED_TEMPLATE if confirmed else WAITLISTED_TEMPLATE
        self.work.mail(
            template, reg.contact, ref=reg.ref, context={"approved_late": True}, calendar=confirmed
        )

    # -- the others
    def answer(self, args: list[str]) -> tuple[bool, str, list[int]]:
        if len(args) < 2 or not args[0].isdigit() or not args[1]:
            return False, USAGE_SV["answer"], []
        number, text = int(args[0]), args[1]
        review = self.reviews.get(number)
        if review is None:
            return False, f"Det finns ingen öppen punkt nummer {number}", []
        if review.kind == "unauthorised" or not review.sender:
            # An unauthorised command's sender may be a forger: the service never writes to them.
            return False, f"Punkt {number} går inte att besvara med SVARA", []
        self.work.mail(
            ANSWER_TEMPLATE,
            review.sender,
            ref=review.ref,
            language=review.language,
            context={"answer": text, "question": review.quote, "summary": review.summary},
        )
        if review.message_id and self.work.mails and self.work.mails[-1].template == ANSWER_TEMPLATE:
            self.work.mails[-1].in_reply_to = review.message_id
        self.note("organiser:answer", review.ref, f"punkt {number} besvarad till {review.sender}")
        self.closed.add(number)
        return True, f"Svar skickat till {review.sender} (punkt {number})", [number]

    def lists(self) -> list[dict]:
        """Who is where, per meeting, for LISTA."""
        event, regs = self.work.event, self.work.live()

        def entry(r: Registration) -> dict:
            return {"ref": r.ref, "name": r.name or r.email or "", "organisation": _org(r)}

        out = []
        for meeting in event.meetings:
            n = meeting.number
            active = [r for r in regs if r.status == "active"]
            waiting = sorted((r for r in active if r.seat_status(n) == "waitlisted"), key=waiting_order(n))
            out.append(
                {
                    "number": n,
                    "date": meeting.date.isoformat(),
                    "confirmed": [entry(r) for r in active if r.seat_status(n) == "confirmed"],
                    "waitlisted": [entry(r) for r in waiting],
                    "pending": [
                        entry(r)
                        for r in regs
                        if r.status in ("pending_approval", "pending_info") and n in wanted_meetings(r)
                    ],
                }
            )
        return out


def _org(reg: Registration) -> str:
    return reg.organisation.name if reg.organisation else ""


def _refused(commands: list[Command], sender: str, why: str) -> Decision:
    lines = "\n".join(c.line for c in commands)
    return Decision(
        reviews=[
            ReviewItem(
                kind="unauthorised",
                summary=f"Kommandon från {sender} utfördes inte: {why}",
                quote=lines,
                sender=sender,
            )
        ],
        audit=[
            AuditEntry(
                rule="organiser:authority", detail=f"{sender}: {why}; {len(commands)} rader ignorerade"
            )
        ],
    )


def apply_commands(
    event: Event,
    state: State,
    commands: list[Command],
    *,
    sender: str,
    token_ok: bool,
    now: datetime,
    message_key: str,
    reviews: dict[int, OpenReview],
    message_id: str | None = None,
    token: str | None = None,
    forged: bool = False,
) -> tuple[Decision, list[CommandResult]]:
    """Carry out an organiser's reply to the digest, line by line.

    Only a configured organiser address with a valid digest token (`token_ok`, checked by the caller from
    the subject or the threading) changes anything; otherwise nothing changes and the attempt becomes an
    "unauthorised" review item for the next digest. `message_id` threads the reply; `token` goes back into
    its subject so the organiser can reply to the reply. `forged`: our receiving server found the From
    failing DMARC, so the organiser's address on it proves nothing, token or not.
    """
    sender = sender.lower()
    is_organiser = sender in {str(a).lower() for a in event.organisers}
    if not (is_organiser and token_ok) or forged:
        if not is_organiser:
            why = "avsändaren är inte arrangör"
        elif forged:
            why = "avsändarens adress kunde inte verifieras (DMARC)"
        else:
            why = "svaret saknar giltig token från sammanställningen"
        decision = _refused(commands, sender, why)
        refused = [CommandResult(line=c.line, ok=False, message_sv=f"Inte utfört: {why}") for c in commands]
        if is_organiser:
            # The From may be forged, but this goes to the organiser's real address, never to a forger:
            # they learn that commands need a reply to a recent digest.
            decision.mails.append(_reply(event, sender, refused, now, message_id, token, refused=why))
        return decision, refused

    work = Work(event=event, state=state, now=now, received_at=now, message_key=message_key)
    run = _Run(work, reviews, sender)
    results: list[CommandResult] = []
    show_help = not commands
    want_lists = False
    for command in commands:
        result = _one(run, command)
        show_help |= command.name in ("help", "unknown")
        want_lists |= command.name == "list"
        results.append(result)
    decision = work.finish()
    lists = run.lists() if want_lists else None
    decision.mails.append(
        _reply(event, sender, results, now, message_id, token, show_help=show_help, lists=lists)
    )
    return decision, results


_REF_ACTIONS: dict[str, Callable[[_Run, Registration], tuple[bool, str]]] = {
    "approve": _Run.approve,
    "cancel": _Run.cancel,
    "waitlist": _Run.waitlist,
}


def _one(run: _Run, command: Command) -> CommandResult:
    name = command.name
    if name == "unknown":
        return CommandResult(line=command.line, ok=False, message_sv="Okänt kommando – se hjälpen nedan")
    if name == "help":
        return CommandResult(line=command.line, ok=True, message_sv="Hjälpen finns nedan")
    if name == "list":
        return CommandResult(line=command.line, ok=True, message_sv="Listorna finns nedan")
    if name == "answer":
        ok, message, closes = run.answer(command.args)
        return CommandResult(line=command.line, ok=ok, message_sv=message, closes_reviews=closes)
    refs = command.args[:1] if name == "reject" else command.args
    if not refs:
        return CommandResult(line=command.line, ok=False, message_sv=USAGE_SV[name])
    oks, messages, closes = [], [], []
    for ref in refs:
        reg = run.find(ref)
        if reg is None:
            oks.append(False)
            messages.append(f"Hittar ingen anmälan med referens {ref}")
            continue
        if name == "reject":
            ok, message = run.reject(reg, command.args[1] if len(command.args) > 1 else "")
        else:
            ok, message = _REF_ACTIONS[name](run, reg)
        oks.append(ok)
        messages.append(message)
        if ok:
            closes += run.close_for(reg.ref)
    return CommandResult(
        line=command.line, ok=all(oks), message_sv="; ".join(messages), closes_reviews=closes
    )


def _reply(
    event: Event,
    sender: str,
    results: list[CommandResult],
    now: datetime,
    message_id: str | None,
    token: str | None,
    *,
    show_help: bool = False,
    lists: list[dict] | None = None,
    refused: str | None = None,
) -> OutgoingMail:
    """The one answer to the organiser; not through the loop guard, which holds back mail to organisers."""
    return OutgoingMail(
        template=REPLY_TEMPLATE,
        to=sender,
        language="sv",
        context={
            "results": [r.model_dump() for r in results],
            "show_help": show_help,
            "lists": lists,
            "refused": refused,
            "token": token,
            "event_slug": event.slug,
            "answered_at": f"{event.local(now):%Y-%m-%d %H:%M}",
        },
        in_reply_to=message_id,
    )
