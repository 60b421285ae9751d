"""Who may change a registration: its own address, the address that registered it, or a reply carrying its reference."""

from __future__ import annotations

from parsers.models import ParsedMessage
from rules.event import Event
from rules.model import Registration, State
from rules.refs import first_ref

# Unknown references one address may write in a day; after that its references count for nothing that day,
# so trying thousands of guesses, one message each, gets nowhere (issue 8, item 4).
GUESSES_PER_DAY = 5


def referenced(parsed: ParsedMessage, state: State) -> list[str]:
    """Refs this message carries: the first in its subject, or a thread of ours that went to the sender.

    One reference per subject: a subject listing thousands of guesses must not try them all. A reply in a
    thread counts only from the address our mail went to, so a thread with a stranger (who wrote about
    someone else) carries no authority over that other person.
    """
    known = {r.ref for r in state.registrations}
    sender = (parsed.sender or "").lower()
    guessing = state.ref_misses_today.get(sender, 0) >= GUESSES_PER_DAY
    first = None if guessing else first_ref(parsed.subject)
    found = [first] if first in known else []
    for message_id in parsed.in_reply_to:
        key = message_id.strip("<>")
        ref = state.sent_message_ids.get(key)
        if ref and ref in known and sender and state.sent_to.get(key, "").lower() == sender:
            found.append(ref)
    return list(dict.fromkeys(found))


def unknown_ref(parsed: ParsedMessage, state: State) -> str | None:
    """The subject's reference when no registration has it: a typo, a forgotten registration, or a guess."""
    ref = first_ref(parsed.subject)
    return ref if ref and state.by_ref(ref) is None else None


def from_looks_forged(parsed: ParsedMessage) -> bool:
    """A From line we should not trust on its own.

    Anyone can write any From. Our receiving server's DMARC verdict says so outright when it failed; otherwise a
    Reply-To pointing elsewhere is the usual mark of a forgery (the forger wants the answer); a real colleague
    answering from their own program does not set one.
    """
    if parsed.sender_verified is False:
        return True
    return bool(parsed.reply_to and parsed.sender and parsed.reply_to.lower() != parsed.sender.lower())


def addressed_to_us(event: Event, parsed: ParsedMessage) -> bool:
    """Whether the message names our mailbox or an organiser in To/Cc (unknown counts as yes).

    RFC 3834: an automatic answer goes only to mail that was sent to us, not to copies that reached the
    mailbox by Bcc, a list or a redirect."""
    if not parsed.recipients:
        return True
    ours = {str(event.mailbox).lower(), *(str(a).lower() for a in event.organisers)}
    return any(address in ours for address in parsed.recipients)


def authority(event: Event, state: State, reg: Registration, parsed: ParsedMessage) -> str | None:
    """Why this message may change reg ("reference", "own address", "registering address", "organiser"), or None."""
    if reg.ref in referenced(parsed, state):
        return "reference"
    sender = (parsed.sender or "").lower()
    if not sender or from_looks_forged(parsed):
        return None
    if reg.email and sender == reg.email.lower():
        return "own address"
    if reg.registered_by and sender == reg.registered_by.lower():
        return "registering address"
    if sender in {str(a).lower() for a in event.organisers}:
        return "organiser"
    return None
