"""Mass mailing on request (issue 8, item 8): one message may not make the service write to many strangers.

A message naming more people than `people_per_message`, or taking its sender past
`new_addresses_per_sender_per_day` addresses other than their own today, is held for an organiser:
nobody is registered or mailed, the sender gets one receipt, and the digest shows the message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rules.work import Work


def new_addresses(work: Work) -> set[str]:
    """Addresses other than the sender's that this message would make us write to for the first time."""
    parsed = work.parsed
    assert parsed is not None
    sender = (parsed.sender or "").lower()
    known = {(r.email or "").lower() for r in work.view()}
    return {p.email.lower() for p in parsed.people if p.email} - known - {sender}


def addresses_today(work: Work) -> int:
    """How many addresses other than their own the sender has registered today (the event's local day)."""
    parsed = work.parsed
    assert parsed is not None
    sender = (parsed.sender or "").lower()
    today = work.event.local_day(work.received_at)
    return len(
        {
            (r.email or "").lower()
            for r in work.view()
            if r.registered_by == sender
            and r.email
            and r.email.lower() != sender
            and work.event.local_day(r.created_at) == today
        }
    )


def too_many(work: Work) -> str | None:
    """Why the message must wait for a person (Swedish, for the digest), or None when it may go ahead."""
    parsed = work.parsed
    if parsed is None or parsed.intent not in ("signup", "substitute") or not parsed.sender:
        return None
    limits = work.event.limits
    if len(parsed.people) > limits.people_per_message:
        return f"{len(parsed.people)} personer i ett meddelande (gränsen är {limits.people_per_message})"
    fresh = new_addresses(work)
    if fresh and addresses_today(work) + len(fresh) > limits.new_addresses_per_sender_per_day:
        return (
            f"{addresses_today(work) + len(fresh)} nya adresser från samma avsändare i dag"
            f" (gränsen är {limits.new_addresses_per_sender_per_day})"
        )
    return None


def hold(work: Work) -> None:
    """Nobody is registered or mailed; an organiser decides from the digest, the sender gets one receipt."""
    parsed = work.parsed
    assert parsed is not None
    reason = too_many(work) or ""
    work.note("bulk", None, reason)
    work.review("bulk", f"{parsed.sender}: {reason}; ingen är anmäld eller mejlad – anmäl för hand vid behov")
    work.mail("question_ack", parsed.sender, ref=None, context={"about": "bulk"})
