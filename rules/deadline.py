"""The registration deadline, judged by the message's arrival in our mailbox (never its Date header)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rules.group import keep
from rules.model import Registration

if TYPE_CHECKING:
    from rules.work import Work


def is_late(work: Work, arrived: datetime) -> bool:
    return arrived > work.event.deadline_at


def admit_late(work: Work, reg: Registration) -> bool:
    """Apply the event's late policy to a late sign-up; True when it goes on to get seats like any other."""
    policy = work.event.late_policy
    deadline = work.event.local(work.event.deadline_at).isoformat()
    work.note("deadline", reg.ref, f"anmälan kom efter sista dag ({deadline}); policy {policy}")
    if policy == "accept":
        return True
    reg.status = "rejected" if policy == "reject" else "pending_approval"
    reg.pending_question = None
    work.put(reg)
    context = {"deadline": deadline}
    if policy == "reject":
        work.mail("late_rejected", reg.contact, ref=reg.ref, context=context)
    else:
        work.review("late", f"{reg.name or '?'} ({_org(reg)}) väntar på beslut", ref=reg.ref)
        work.mail("late_notice", reg.contact, ref=reg.ref, context=context)
    # Whoever signed them up reads the outcome in their one summary, not in a copy per person.
    keep(work, reg)
    return False


def _org(reg: Registration) -> str:
    return reg.organisation.name if reg.organisation else "organisation okänd"
