"""VERP: an envelope sender per outgoing mail, `mailbox+b-<token>@domain`, so a bounce names the mail it returns.

The token is the local part of the mail's own Message-ID, so the address leads back to the outbox row
by the same lookup a quoted Message-ID does, and is no easier to guess than the Message-ID itself.
"""

from __future__ import annotations

import re

TAG = "+b-"
_LOCAL_PART_LIMIT = 64  # RFC 5321
_TOKEN = re.compile(r"^[A-Za-z0-9.=_-]+$")


def envelope_sender(mailbox: str, message_id: str) -> str:
    """The VERP sender for one mail; the plain mailbox when the Message-ID cannot be carried in it."""
    local, _, domain = mailbox.partition("@")
    token, _, id_domain = message_id.strip("<>").partition("@")
    verp_local = f"{local}{TAG}{token}"
    if id_domain.lower() != domain.lower() or not _TOKEN.match(token) or len(verp_local) > _LOCAL_PART_LIMIT:
        return mailbox
    return f"{verp_local}@{domain}"


def message_id_of(address: str, mailbox: str) -> str | None:
    """The Message-ID a VERP address of ours stands for; None for any other address."""
    local, _, domain = mailbox.partition("@")
    prefix, suffix = f"{local}{TAG}".lower(), f"@{domain}".lower()
    address = address.strip("<>").lower()
    if not (address.startswith(prefix) and address.endswith(suffix)):
        return None
    token = address[len(prefix) : -len(suffix)]
    return f"{token}@{domain}" if _TOKEN.match(token) else None
