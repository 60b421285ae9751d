"""Whose registration a cancel, substitution or update is about, and the refusal when the sender may not change it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parsers.models import Person
from rules.authority import authority, from_looks_forged, referenced
from rules.capacity import org_key
from rules.confirm import FROM_ONLY, ask_to_confirm
from rules.model import Registration
from rules.people import LIVE, find

if TYPE_CHECKING:
    from rules.work import Work

ACTION_SV = {"cancel": "avboka", "substitute": "byta ut", "update": "ändra"}


def target(work: Work, person: Person | None, *, new_address: bool = False) -> Registration | None:
    """The registration a person in the message means; with nobody named, the one the reply or sender points at.

    `new_address`: the person's address may be the one they change to (an update), so a name match counts
    even when the address on record differs.
    """
    parsed = work.parsed
    assert parsed is not None
    sender = (parsed.sender or "").lower() or None
    if person is not None and (person.email or person.name):
        hit = find(
            work.live(),
            email=person.email,
            name=person.name,
            organisation=parsed.organisation,
            registered_by=sender,
        )
        if hit is None and new_address and person.email and person.name:
            hit = find(
                work.live(),
                email=None,
                name=person.name,
                organisation=parsed.organisation,
                registered_by=sender,
            )
            hit = hit or next(
                (
                    r
                    for r in work.live()
                    if r.status in LIVE and r.email == sender and _same(r.name, person.name)
                ),
                None,
            )
        if hit is None and person.email and person.name:
            hit = _named_elsewhere(work, person.name, person.email)
        if hit is not None:
            return hit
    refs = [r for r in referenced(parsed, work.state) if work.regs[r].status in LIVE]
    if len(refs) == 1:
        return work.regs[refs[0]]
    own = [r for r in work.live() if r.status in LIVE and sender and r.email == sender]
    nobody_named = person is None or not (person.email or person.name)
    if len(own) == 1 and nobody_named:
        return own[0]
    if not own and nobody_named and sender and parsed.sender_name:
        # "Stryk mig" from an address we do not know, signed with a registered person's name.
        return _named_elsewhere(work, parsed.sender_name, sender)
    return None


def _named_elsewhere(work: Work, name: str, email: str) -> Registration | None:
    """The one live registration with this name and organisation, registered under another address than `email`.

    A sign-up treats an unknown address as another person, but a change must reach the person it names:
    "stryk mig (Per Ols, Orsa kommun)" from a private address is about Per Ols of Orsa, and if the sender has
    no authority it is Per who must hear that someone asked. Without an organisation, or with two such
    registrations, it targets nobody.
    """
    parsed = work.parsed
    assert parsed is not None
    if parsed.organisation is None:
        return None
    key = org_key(parsed.organisation)
    named = [
        r
        for r in work.live()
        if r.status in LIVE and r.email and _same(r.name, name) and org_key(r.organisation) == key
    ]
    if len(named) != 1:
        return None
    work.note("identity", named[0].ref, f"{email} är inte anmäld; namn och organisation pekar ut anmälan")
    return named[0]


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").casefold().split()) == " ".join((b or "").casefold().split())


def permitted(work: Work, reg: Registration, action: str, *, destructive: bool = True) -> bool:
    """Check the sender's authority over reg; when it is missing, refuse in full and say so.

    A destructive change (cancel, substitute, new address) resting on the From address alone needs our
    receiving server's DMARC pass; without one the registered address is asked to confirm (rules.confirm).
    """
    parsed = work.parsed
    assert parsed is not None
    if work.confirmed == reg.ref:
        work.note("authority", reg.ref, f"{action} tillåten: bekräftad från den anmälda adressen")
        return True
    why = authority(work.event, work.state, reg, parsed)
    if why in FROM_ONLY and destructive and parsed.sender_verified is not True:
        ask_to_confirm(work, reg, action)
        return False
    if why:
        work.note("authority", reg.ref, f"{action} tillåten: {why}")
        return True
    sender = parsed.sender or "okänd avsändare"
    work.note("authority", reg.ref, f"{action} nekad: {sender} är inte behörig; inget ändras")
    work.review(
        "unauthorised",
        f"{sender} bad om att {ACTION_SV.get(action, action)} {reg.name or reg.ref} men är inte behörig",
        ref=reg.ref,
    )
    work.mail(
        "change_request_refused",
        reg.contact,
        ref=reg.ref,
        context={"requester": sender, "reply_to": _other_reply_to(parsed), "action": action},
    )
    # A From we cannot trust may be the registered person's own address: they have just been told; a second
    # mail thanking "them" for a request they never made would only confuse.
    if not from_looks_forged(parsed) and (parsed.sender or "").lower() != (reg.contact or "").lower():
        not_found(work, about="change", note=False)
    return False


def _other_reply_to(parsed) -> str | None:
    """A Reply-To that differs from From: worth showing the registered person, it is where answers would go."""
    if parsed.reply_to and parsed.reply_to.lower() != (parsed.sender or "").lower():
        return str(parsed.reply_to)
    return None


def not_found(work: Work, *, about: str, note: bool = True, summary: str = "") -> None:
    """Pass the message to an organiser and tell the sender a person will answer."""
    parsed = work.parsed
    assert parsed is not None
    if note:
        work.note("unclear", None, summary or "hittar ingen anmälan att ändra")
        work.review("unclear", summary or f"Ändring från {parsed.sender}: hittar ingen anmälan", ref=None)
    work.mail("question_ack", parsed.sender, ref=None, context={"about": about})
