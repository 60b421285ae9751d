"""Delivery failures: RFC 3464 reports and the usual Exchange, Gmail and Postfix notices.

Addresses come from flufl.bounce (GNU Mailman's maintained detectors); the structural checks here
only decide whether to ask it, because running every detector on every message is the slow path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.mime import Decoded

_SENDER = re.compile(
    r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|bounce|bounces|mdaemon|mail\.delivery)", re.I
)
_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery failed|non remis|delivery (status|failure|has failed|notification|report)|returned mail|failure notice"
    r"|mail delivery (failed|system|subsystem)|could not be delivered|nondeliverable|non-delivery|delivery problem"
    r"|olevererbar|kunde inte levereras|det gick inte att leverera|leveransfel|returned to sender|rejected"
    r"|warning: could not send|mail system error|not delivered|failed delivery|delivery unsuccessful",
    re.I,
)


@dataclass
class Bounce:
    permanent: list[str] = field(default_factory=list)
    temporary: list[str] = field(default_factory=list)


def looks_like_bounce(decoded: Decoded) -> bool:
    """Cheap structural and header signs of a delivery report."""
    if decoded.content_type == "multipart/report":
        return True
    local = (decoded.sender or "").split("@", 1)[0]
    return_path = decoded.header("Return-Path").strip("<> ").split("@", 1)[0]
    # newsletters use "bounce+id@" return paths, so the return path counts only for the mail system's own names
    daemon = _SENDER.match(return_path) and not return_path.lower().startswith("bounce")
    if _SENDER.match(local) or daemon or _SENDER.match(decoded.sender_name or ""):
        return True
    # a subject alone only makes it a candidate: flufl.bounce must then find failed addresses
    return bool(_SUBJECT.search(decoded.subject))


def _clean(addresses: object) -> list[str]:
    out: list[str] = []
    for item in addresses or ():  # type: ignore[attr-defined]
        text = item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
        text = text.strip().strip("<>").lower()
        if "@" in text and text not in out:
            out.append(text)
    return sorted(out)


def failed_addresses(decoded: Decoded) -> Bounce:
    """Permanent and temporary failures that flufl.bounce's detectors find in the report."""
    try:
        from flufl.bounce import all_failures

        temporary, permanent = all_failures(decoded.message)
    except Exception:
        return Bounce()
    return Bounce(permanent=_clean(permanent), temporary=_clean(temporary))
