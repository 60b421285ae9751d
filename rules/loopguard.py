"""The loop guard: never write to ourselves or the organisers, and answer one address a bounded number of times a day."""

from __future__ import annotations

from rules.decision import AuditEntry, OutgoingMail
from rules.event import Event
from rules.model import State


def own_addresses(event: Event) -> set[str]:
    return {str(event.mailbox).lower(), *(str(a).lower() for a in event.organisers)}


def guard(
    event: Event, state: State, mails: list[OutgoingMail], audit: list[AuditEntry], *, limit: bool = True
) -> list[OutgoingMail]:
    """The mails that may go; each one held back leaves an audit entry saying why.

    `limit=False` for scheduled mail (reminders): the daily limit is there to stop answer loops, and a
    reminder answers nobody.
    """
    own = own_addresses(event)
    counts = {addr.lower(): n for addr, n in state.answers_today.items()}
    allowed: list[OutgoingMail] = []
    for mail in mails:
        to = mail.to.lower()
        if to in own:
            # Organisers learn everything from the digest; mail to our own mailbox would start a loop.
            audit.append(
                AuditEntry(
                    rule="own_address",
                    registration_ref=mail.registration_ref,
                    detail=f"{mail.template} to {to} not sent",
                )
            )
            continue
        if limit and counts.get(to, 0) >= event.daily_answer_limit:
            audit.append(
                AuditEntry(
                    rule="loop_guard",
                    registration_ref=mail.registration_ref,
                    detail=f"{mail.template} to {to} not sent: {event.daily_answer_limit} mails today already",
                )
            )
            continue
        counts[to] = counts.get(to, 0) + 1
        allowed.append(mail)
    return allowed
