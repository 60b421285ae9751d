"""Claims on capped seats from outside the organisation wait for an organiser (issue 8, item 7).

Anyone can write "Mora kommun"; only an address in Mora's own domains takes Mora's seats at once.
A claim from elsewhere (webmail, another organisation) holds no seat while it waits, so it cannot
crowd out the organisation's own staff; GODKÄNN gives it seats through the cap like anyone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.capacity import capped_key, org_key
from rules.group import keep
from rules.model import Registration

if TYPE_CHECKING:
    from rules.work import Work


def from_outside(work: Work, reg: Registration) -> bool:
    """Does this registration claim a capped seat from an address outside the organisation's domains?"""
    key = capped_key(work.event, reg)
    if key is None or work.parsed is None:
        return False
    return org_key(work.parsed.sender_organisation) != key


def hold(work: Work, reg: Registration) -> None:
    """Keep the registration for an organiser's approval: a digest item, and a notice to its contact."""
    org = reg.organisation.name if reg.organisation else "?"
    sender = work.parsed.sender if work.parsed else None
    reg.status = "pending_approval"
    reg.pending_question = None
    work.put(reg)
    work.note("claim", reg.ref, f"{sender or '?'} hör inte till {org}; platsen väntar på arrangören")
    work.review(
        "claim",
        f"{reg.name or '?'} ({org}) anmäld från {sender or 'okänd adress'}, utanför {org}s e-postdomäner:"
        " väntar på GODKÄNN eller NEKA",
        ref=reg.ref,
    )
    work.mail("claim_held", reg.contact, ref=reg.ref)
    keep(work, reg)
