"""Confirmation by the registered address, Mailman's way: a change the From alone cannot carry waits for a reply.

A From is only an address anyone may write. When a cancellation, substitution or new address rests on the
From alone and our receiving server did not report a DMARC pass, nothing changes: the registered address
gets a request carrying a token, and replying to it carries out the change. The token names the waiting
message and the registration, is signed with the service's secret and expires after three days; the one
who asked hears only that a confirmation was sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import date
from typing import TYPE_CHECKING

from rules.token import issued_within

if TYPE_CHECKING:
    from rules.model import Registration
    from rules.work import Work

# Authority that rests on the From address alone (rules.authority.authority's answers).
FROM_ONLY = frozenset({"own address", "registering address", "organiser"})
MAX_AGE_DAYS = 3
_SIG_CHARS = 16
# "[Bekräfta 42.240813.AbC…]" in the subject, whatever "SV:" a mail program put in front.
_IN_SUBJECT = re.compile(r"\[Bekr(?:ä|a)fta\s+(\d{1,12})\.(\d{6})\.([A-Za-z0-9_-]{16})\]", re.IGNORECASE)


def ask_to_confirm(work: Work, reg: Registration, action: str) -> None:
    """Change nothing; ask the registered address; tell the one who asked only that we did."""
    parsed = work.parsed
    assert parsed is not None
    sender = (parsed.sender or "").lower()
    work.note("confirm_requested", reg.ref, f"{action} väntar på bekräftelse från den anmälda adressen")
    work.mail(
        "change_confirmation", reg.contact, ref=reg.ref, context={"action": action, "requester": sender}
    )
    if sender and sender != (reg.contact or "").lower():
        work.mail("question_ack", sender, ref=None, context={"about": "confirm"})


def _signature(secret: str, event_slug: str, inbox_id: int, ref: str, issued: date) -> str:
    message = f"anmalan-confirm:{event_slug}:{inbox_id}:{ref}:{issued.isoformat()}".encode()
    mac = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii")[:_SIG_CHARS]


def confirm_tag(secret: str, event_slug: str, inbox_id: int, ref: str, issued: date) -> str:
    """What the request's subject carries: "[Bekräfta 42.240813.<signature>]"."""
    if not secret:
        raise ValueError("confirmation secret is empty")
    return f"[Bekräfta {inbox_id}.{issued:%y%m%d}.{_signature(secret, event_slug, inbox_id, ref, issued)}]"


def confirmed_request(
    secret: str, event_slug: str, subject: str, ref: str | None, *, today: date
) -> int | None:
    """The waiting message's inbox id when the subject carries a valid, unexpired token for `ref`."""
    match = _IN_SUBJECT.search(subject or "")
    if not secret or not match or not ref:
        return None
    inbox_id, sig = int(match[1]), match[3]
    issued = issued_within(match[2], today=today, max_age_days=MAX_AGE_DAYS)
    if issued is None or not hmac.compare_digest(sig, _signature(secret, event_slug, inbox_id, ref, issued)):
        return None
    return inbox_id
