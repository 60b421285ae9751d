"""decide(): one message in, one complete Decision out, by walking an ordered chain of named rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from parsers.models import ParsedMessage
from rules import bulk, cancel, questions, signup, substitute, update
from rules.audit import AuditRule
from rules.authority import GUESSES_PER_DAY, unknown_ref
from rules.decision import Decision
from rules.event import Event
from rules.info import complete, replied_to
from rules.loopguard import own_addresses
from rules.model import State
from rules.work import Work


@dataclass(frozen=True)
class Rule:
    """A named step: when `applies`, it `acts` and the chain stops. Its name is what the audit log shows."""

    name: AuditRule
    description: str
    applies: Callable[[Work], bool]
    acts: Callable[[Work], None]


def _parsed(work: Work) -> ParsedMessage:
    assert work.parsed is not None
    return work.parsed


def _intent(*intents: str) -> Callable[[Work], bool]:
    return lambda work: _parsed(work).intent in intents


def _own_mail(work: Work) -> bool:
    parsed = _parsed(work)
    return (parsed.sender or "").lower() == str(work.event.mailbox).lower() or (
        parsed.message_id is not None and parsed.message_id in work.state.sent_message_ids
    )


def _repeat(work: Work) -> bool:
    mid = _parsed(work).message_id
    return mid is not None and any(r.source_message_id == mid for r in work.state.registrations)


def _organiser_chat(work: Work) -> bool:
    parsed = _parsed(work)
    organisers = own_addresses(work.event) - {str(work.event.mailbox).lower()}
    return (parsed.sender or "").lower() in organisers and parsed.intent in ("question", "other")


def _bounce(work: Work) -> None:
    parsed = _parsed(work)
    # never our own mailbox or an organiser's, nor a plus address of them (our VERP senders): a
    # returned copy's sender is us
    own = own_addresses(work.event)
    addresses = sorted({a.lower() for a in parsed.bounced if _without_tag(a.lower()) not in own})
    work.failing.extend(addresses)
    for address in addresses:
        refs = [r.ref for r in work.view() if address in (r.email, r.registered_by)]
        work.note("failing_address", refs[0] if refs else None, address)


def _without_tag(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _other(work: Work) -> None:
    parsed = _parsed(work)
    if parsed.needs_review:
        # Why it was not understood is what the organiser needs first (a forged From, broken MIME, …).
        why = "; ".join(parsed.review_reasons)
        summary = f"{parsed.sender or 'okänd avsändare'}: {parsed.subject}".strip()
        work.review("unclear", f"{summary} ({why})" if why else summary)


def _nothing(work: Work) -> None:
    """Recorded in the audit log by the chain; nothing else happens."""


CHAIN: tuple[Rule, ...] = (
    Rule("own_mail", "vårt eget utskick eller vår egen adress: behandlas aldrig", _own_mail, _nothing),
    Rule("repeat", "meddelandet är redan behandlat: besvaras en gång", _repeat, _nothing),
    Rule("bounce", "studs: adressen markeras som felaktig, inget svar", _intent("bounce"), _bounce),
    Rule("auto_reply", "automatiskt svar (frånvaro): besvaras aldrig", _intent("auto_reply"), _nothing),
    Rule(
        "organiser", "arrangörens eget meddelande: lämnas åt arrangörskommandona", _organiser_chat, _nothing
    ),
    Rule(
        "info_reply",
        "svar på vår fråga: kompletterar en vilande anmälan",
        lambda w: _parsed(w).intent in ("signup", "update", "other") and bool(replied_to(w)),
        lambda w: complete(w, replied_to(w)),
    ),
    Rule(
        "question",
        "fråga: till arrangören, kort kvitto till avsändaren",
        _intent("question"),
        questions.handle,
    ),
    Rule(
        "bulk",
        "många personer eller nya adresser från en avsändare: väntar på arrangören",
        lambda w: bulk.too_many(w) is not None,
        bulk.hold,
    ),
    Rule("signup", "anmälan", _intent("signup"), signup.handle),
    Rule("cancel", "avbokning", _intent("cancel"), cancel.handle),
    Rule("substitute", "byte av person", _intent("substitute"), substitute.handle),
    Rule("update", "ändring av uppgifter", _intent("update"), update.handle),
    Rule("other", "övrigt: besvaras inte", lambda w: True, _other),
)


def decide(
    event: Event,
    state: State,
    parsed: ParsedMessage,
    *,
    received_at: datetime,
    now: datetime,
    message_key: str,
    confirmed: str | None = None,
) -> Decision:
    """What one message does. Pure: the same arguments give the same Decision, and `state` is not touched.

    `received_at` is the arrival in our mailbox (IMAP INTERNALDATE); it decides the deadline and the place in
    line. `message_key` is the stored message's stable id, so references made from it are the same on a rerun.
    `confirmed` is the ref whose registered address has confirmed this message's request (rules.confirm).
    """
    work = Work(
        event=event,
        state=state,
        now=_aware(now, event),
        received_at=_aware(received_at, event),
        message_key=message_key,
        parsed=parsed,
        confirmed=confirmed,
    )
    _count_guess(work)
    for rule in CHAIN:
        if rule.applies(work):
            work.note(rule.name, None, rule.description)
            rule.acts(work)
            break
    return work.finish()


def _count_guess(work: Work) -> None:
    """An unknown reference in the subject is counted for its sender; the organisers hear when it adds up."""
    parsed = _parsed(work)
    sender = (parsed.sender or "").lower()
    if not sender or parsed.intent in ("bounce", "auto_reply") or unknown_ref(parsed, work.state) is None:
        return
    work.note("ref_miss", None, sender)
    misses = work.state.ref_misses_today.get(sender, 0) + 1
    if misses == GUESSES_PER_DAY:
        work.review(
            "ref_guessing",
            f"{sender} har i dag skrivit {misses} referenser som inte finns; "
            "referenser från adressen godtas inte förrän i morgon",
        )


def _aware(instant: datetime, event: Event) -> datetime:
    # A naive time is read as the event's local time, the way an organiser would.
    return instant if instant.tzinfo else instant.replace(tzinfo=event.tz)
