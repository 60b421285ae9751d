"""Authentication-Results (RFC 8601): which headers our own receiving server wrote, and what they say.

Anyone can write an Authentication-Results header, and "dmarc=pass" may stand anywhere in one that lies
(`smtp.mailfrom=dmarc=pass@evil.example; dmarc=fail`). So each header is parsed whole by `authres`, and
only a header our receiving server added is believed (`trusted_verdict`): one carrying our authserv-id, or
Exchange Online's form, which has no authserv-id and is known by standing above our server's Received.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from email.message import Message

import authres  # type: ignore[import-untyped]

from parsers.models import AuthResult

# "Received: from x by mx.example.se with ESMTP …": the host that received it.
_BY = re.compile(r"\bby\s+([A-Za-z0-9.-]+)", re.IGNORECASE)
# Exchange Online writes no authserv-id; one is lent for parsing and never matches a configured one.
_NO_ID = "no-authserv-id.invalid"


def results(message: Message) -> list[AuthResult]:
    """Every Authentication-Results header, top first, with the receiving hosts of the Received below it."""
    found: list[tuple[int, str | None, bool | None]] = []
    hosts: list[tuple[int, str]] = []
    try:
        items = list(message.raw_items())
        if not any(name.lower() == "authentication-results" for name, _ in items):
            return []  # the Received hosts only matter below such a header
        for position, (name, value) in enumerate(items):
            key = name.lower()
            if key == "received":
                match = _BY.search(" ".join(str(value).split()))
                if match:
                    hosts.append((position, match[1].lower().rstrip(".")))
            elif key == "authentication-results":
                found.append((position, *_parse(" ".join(str(value).split()))))
    except Exception:
        return []
    return [
        AuthResult(
            authserv_id=authserv_id,
            verdict=verdict,
            received_below=[host for at, host in hosts if at > position],
        )
        for position, authserv_id, verdict in found
    ]


def _parse(value: str) -> tuple[str | None, bool | None]:
    """(authserv-id or None for Exchange's form, verdict); a header that does not parse says nothing."""
    for text, lent in ((value, False), (f"{_NO_ID}; {value}", True)):
        try:
            header = authres.AuthenticationResultsHeader.parse_value(text)
        except Exception:
            continue
        outcome: dict[str, set[str]] = {}
        for result in header.results:
            outcome.setdefault(str(result.method).lower(), set()).add(str(result.result).lower())
        return (None if lent else str(header.authserv_id).lower()), _verdict(outcome)
    return "", None  # unreadable: no authserv-id of ours can match an empty one


def _verdict(outcome: dict[str, set[str]]) -> bool | None:
    """DMARC decides; without it, SPF failing with no DKIM pass counts against; otherwise unknown."""
    dmarc = outcome.get("dmarc", set())
    if "fail" in dmarc:
        return False
    if "pass" in dmarc:
        return True
    if outcome.get("spf", set()) & {"fail", "softfail"} and "pass" not in outcome.get("dkim", set()):
        return False
    return None


def _ours(host: str, ours: Collection[str]) -> bool:
    return any(host == our or host.endswith("." + our) for our in ours)


def trusted_verdict(found: list[AuthResult], authserv_ids: Collection[str]) -> bool | None:
    """The verdict of the topmost header our receiving server wrote; None when it wrote none.

    With no authserv-id configured, no header is believed: a From is then never taken as verified.
    """
    ours = [i.strip().lower() for i in authserv_ids if i.strip()]
    if not ours:
        return None
    for result in found:
        if result.authserv_id is None:
            # Exchange Online's form: believed only above a Received header of our own server.
            if any(_ours(host, ours) for host in result.received_below):
                return result.verdict
        elif result.authserv_id in ours:
            return result.verdict
    return None
