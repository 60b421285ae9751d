"""Whether a string a report names is a recipient's address that may be marked as failing.

A wrong address marks an innocent person as failing, so everything a bounce reader finds passes
here: it must be a real addr-spec, and never the mail system, a program, a Message-ID or a sender.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email

# Mail-system mailboxes a notice names as whom to contact, never as the failed recipient.
_SYSTEM = re.compile(
    r"^(postmaster|mailer-daemon|mail-daemon|mailerdaemon|abuse|hostmaster|noreply|no-reply)$", re.I
)
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", re.I)


def _addr_spec(candidate: str) -> str | None:
    try:
        valid = validate_email(
            candidate, check_deliverability=False, globally_deliverable=False, allow_quoted_local=True
        )
        # the ASCII form (IDNA domain) is the one a mail server and our outbox use
        return valid.ascii_email or valid.normalized
    except EmailNotValidError as exc:
        # Test and internal hosts (.invalid, .local, localhost) are real recipients of real reports.
        if "special-use" not in str(exc):
            return None
        local, _, domain = candidate.rpartition("@")
        if not all(_LABEL.match(label) for label in domain.split(".")):
            return None
        return candidate if _addr_spec(f"{local}@example.com") else None


def clean(candidate: str, *, system: bool = False) -> str | None:
    """The address lower-cased, or None when it is not one a recipient can have.

    `system`: the mail system's own mailboxes (postmaster@) count, where a status field names them.
    """
    text = candidate.strip().strip("<>'.,;:()[]").strip()
    if text.lower().startswith(("rfc822;", "smtp;")):
        text = text.split(";", 1)[1].strip().strip("<>\"'")
    local, at, _ = text.rpartition("@")
    if not at or not local or local[0] in "|/\\" or (_SYSTEM.match(local) and not system):
        return None
    spec = _addr_spec(text)
    return spec.lower() if spec else None


def failed(
    candidates: Iterable[str], *, never: set[str], message_ids: set[str], system: bool = False
) -> list[str]:
    """Distinct checked addresses in the order found; `never` holds the report's and the returned mail's senders."""
    out: list[str] = []
    for candidate in candidates:
        address = clean(candidate, system=system)
        if address and address not in never and address not in message_ids and address not in out:
            out.append(address)
    return out
