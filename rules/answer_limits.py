"""Limits on automatic answers per thread and per hour (issue 8, item 10): loops through fresh addresses.

The per-address daily limit (rules.loopguard) cannot stop an autoresponder that answers from a new
address each time. It keeps answering in one thread, though, and it answers quickly: so the messages
we answer automatically are also bounded per thread and, for everyone together, per hour. What is
held back is not lost: the organiser sees it in the digest and can answer by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.decision import OutgoingMail

if TYPE_CHECKING:
    from rules.work import Work


def exceeded(work: Work) -> str | None:
    """Why this message may not be answered automatically (Swedish, for the digest), or None."""
    limits, seen = work.event.limits, work.state.conversation
    if seen.answers_in_thread >= limits.answers_per_thread:
        return (
            f"tråden har redan fått automatiska svar på {seen.answers_in_thread} meddelanden"
            f" (gränsen är {limits.answers_per_thread})"
        )
    if seen.answers_last_hour >= limits.answers_per_hour:
        return (
            f"{seen.answers_last_hour} automatiska svar senaste timmen (gränsen är {limits.answers_per_hour})"
        )
    return None


def apply(work: Work, mails: list[OutgoingMail]) -> list[OutgoingMail]:
    """The mails, or none when a limit is reached: each held mail leaves an audit entry, and the message
    one digest item. A decision's mails go together (a sign-up and its summary), or not at all."""
    why = exceeded(work) if mails else None
    if why is None:
        return mails
    for mail in mails:
        work.note("answer_limit", mail.registration_ref, f"{mail.template} till {mail.to} hölls inne")
    to = ", ".join(sorted({m.to for m in mails}))
    work.review("answer_limit", f"{len(mails)} svar till {to} skickades inte: {why}")
    return []
