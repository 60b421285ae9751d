"""Automatic answers (RFC 3834 headers, out-of-office subjects and wording) and bulk mail."""

from __future__ import annotations

import re

from parsers.mime import Decoded

_SUBJECT = re.compile(
    r"^\s*(automatiskt svar|autosvar|frånvaro|frånvarande|out of (the )?office|automatic reply|auto(matic)?[- ]?reply"
    r"|autoreply|abwesenheit|fravær|poissa)\b",
    re.I,
)
_TEXT = re.compile(
    r"\b(jag är (på semester|ledig|föräldraledig|tjänstledig|bortrest|på tjänsteresa|frånvarande|sjukskriven)"
    r"|(läser|har) inte (min|tillgång till) (e-?post|mejl|mail)|ditt (mejl|mail|meddelande) läses"
    r"|är tillbaka (den|på|igen)|återkommer (när|efter) jag|i am (out of the office|on (annual )?leave|away)"
    r"|will (be back|return) on|limited access to (my )?e-?mail)",
    re.I,
)


def is_bulk(decoded: Decoded) -> bool:
    """Newsletters and list mail: never answered, never a registration."""
    precedence = decoded.header("Precedence").lower()
    return (
        precedence in {"bulk", "list", "junk"}
        or bool(decoded.header("List-Unsubscribe"))
        or bool(decoded.header("List-Id"))
    )


def header_says_auto(decoded: Decoded) -> bool:
    """RFC 3834 Auto-Submitted and the common vendor headers that mark an automatic answer."""
    auto = decoded.header("Auto-Submitted").lower()
    if auto and auto != "no":
        return True
    if decoded.header("X-Autoreply") or decoded.header("X-Autorespond") or decoded.header("X-Autoresponder"):
        return True
    return decoded.header("Precedence").lower() == "auto_reply"


def is_auto_reply(decoded: Decoded, new_text: str) -> bool:
    """An out-of-office or other automatic answer, by header, subject, or wording plus a hint."""
    if header_says_auto(decoded):
        return True
    if _SUBJECT.match(decoded.subject):
        return True
    # X-Auto-Response-Suppress alone is set by Outlook on ordinary mail too; with the wording it tells.
    hinted = bool(decoded.header("X-Auto-Response-Suppress")) or decoded.subject.lower().startswith(
        ("sv:", "re:")
    )
    return hinted and bool(_TEXT.search(new_text[:1500]))
