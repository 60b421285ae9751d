"""The digest token: a short signature in the digest's subject that a reply must carry for commands to count."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import date, timedelta

# The issue date travels in clear (yymmdd) so a token can expire without any stored state;
# 16 base64url characters (96 bits) of HMAC-SHA256 make guessing pointless.
_SIG_CHARS = 16
_TOKEN = re.compile(r"^(?P<day>\d{6})\.(?P<sig>[A-Za-z0-9_-]{16})$")
# "[Digest dalalab-2024 240901.AbC…]", with whatever "SV:", "Re:" or "VB:" a mail program put in front.
_IN_SUBJECT = re.compile(r"\[Digest\s+[a-z0-9][a-z0-9-]*\s+(\d{6}\.[A-Za-z0-9_-]{16})\]", re.IGNORECASE)


def _signature(secret: str, event_slug: str, issued: date, recipient: str) -> str:
    # Bound to the organiser the digest went to: a token seen by anyone else opens nothing for them.
    bound = f":{recipient.lower()}" if recipient else ""
    message = f"anmalan-digest:{event_slug}:{issued.isoformat()}{bound}".encode()
    mac = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii")[:_SIG_CHARS]


def digest_token(secret: str, event_slug: str, issued: date, recipient: str = "") -> str:
    """The token for one event's digest of one day to one organiser, e.g. "240901.Qx3…" (23 characters)."""
    if not secret:
        # An empty key would let anyone compute tokens: refuse rather than sign with it.
        raise ValueError("digest token secret is empty")
    return f"{issued:%y%m%d}.{_signature(secret, event_slug, issued, recipient)}"


def verify_digest_token(
    secret: str,
    event_slug: str,
    token: str | None,
    *,
    today: date,
    max_age_days: int = 14,
    recipient: str = "",
) -> bool:
    """True when the token was signed with this secret for this event and organiser, issued 0..max_age_days ago."""
    if not secret or not token:
        return False
    match = _TOKEN.match(token.strip())
    if not match:
        return False
    issued = issued_within(match["day"], today=today, max_age_days=max_age_days)
    if issued is None:
        return False
    return hmac.compare_digest(match["sig"], _signature(secret, event_slug, issued, recipient))


def issued_within(day: str, *, today: date, max_age_days: int) -> date | None:
    """The issue date a token carries in clear (yymmdd), when it is a real date 0..max_age_days ago."""
    try:
        issued = date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))
    except ValueError:
        return None
    if issued > today or today - issued > timedelta(days=max_age_days):
        return None
    return issued


def digest_subject_tag(event_slug: str, token: str) -> str:
    """What the digest's subject carries: "[Digest dalalab-2024 <token>]"."""
    return f"[Digest {event_slug} {token}]"


def find_token(subject: str | None) -> str | None:
    """The digest token in a (reply's) subject, or None."""
    match = _IN_SUBJECT.search(subject or "")
    return match.group(1) if match else None
