"""One summary to whoever signs up others: everyone they registered in one message, with each ref and seat."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.mailctx import summary
from rules.model import Registration

if TYPE_CHECKING:
    from rules.work import Work


def keep(work: Work, reg: Registration) -> None:
    """Put reg in the sender's summary: one mail for the group instead of a copy of each person's mail."""
    if reg.ref not in work.group:
        work.group.append(reg.ref)


def summarise(work: Work) -> None:
    """Queue `registration_summary` to the sender when someone they registered was mailed elsewhere.

    When every mail already went to the sender (they signed up only themself, or people without an address
    of their own) a summary would only repeat them. Its ref, in the subject, is the first person's: replies
    reach the group's thread, and the registering address may change any of them by naming them.
    """
    parsed = work.parsed
    sender = (parsed.sender or "").lower() if parsed else ""
    regs = [work.regs[ref] for ref in work.group if ref in work.regs]
    if not sender or all(r.contact == sender for r in regs):
        return
    people = [_person(work, r, sender) for r in regs]
    work.note("group_summary", regs[0].ref, f"sammanställning av {len(regs)} anmälda till {sender}")
    work.mail("registration_summary", sender, ref=regs[0].ref, context={"people": people})


def _person(work: Work, reg: Registration, sender: str) -> dict[str, Any]:
    # `self`: the sender's own registration; `mailed_to`: where that person's own mail went.
    return {
        **summary(work.event, work.view(), reg),
        "self": reg.email == sender,
        "mailed_to": reg.contact,
    }
