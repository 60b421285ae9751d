"""Who is who: finding a registration for a person named in a message (by address, else by name and organisation)."""

from __future__ import annotations

from parsers.models import Organisation
from rules.capacity import org_key
from rules.model import Registration

LIVE = ("active", "pending_approval", "pending_info")


def _norm(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def find(
    regs: list[Registration],
    *,
    email: str | None,
    name: str | None,
    organisation: Organisation | None,
    registered_by: str | None = None,
) -> Registration | None:
    """The live registration of this person, if any.

    An address is decisive. Without one, the same name counts within the same organisation — or, when the
    message names no organisation, among the people the same sender registered.
    """
    live = [r for r in regs if r.status in LIVE]
    if email:
        hit = next((r for r in live if r.email and r.email.lower() == email.lower()), None)
        if hit is not None:
            return hit
    wanted = _norm(name)
    if not wanted:
        return None
    same_name = [r for r in live if _norm(r.name) == wanted]
    if email:
        # Someone with that name but another address on record is another person, unless the record has none.
        same_name = [r for r in same_name if not r.email]

    if organisation is not None:
        key = org_key(organisation)
        return next((r for r in same_name if org_key(r.organisation) == key), None)
    if registered_by:
        return next((r for r in same_name if r.registered_by == registered_by.lower()), None)
    return None


def find_by_text(
    regs: list[Registration], text: str | None, *, organisation: Organisation | None
) -> Registration | None:
    """Resolve SCHEMA's `replaces` (an address, or a name when no address is known)."""
    if not text:
        return None
    if "@" in text:
        return find(regs, email=text.strip(), name=None, organisation=organisation)
    hit = find(regs, email=None, name=text, organisation=organisation)
    if hit is not None:
        return hit
    # The name alone, only when it is unambiguous: authority is checked after, but a wrong guess still misleads.
    named = [r for r in regs if r.status in LIVE and _norm(r.name) == _norm(text)]
    return named[0] if len(named) == 1 else None
