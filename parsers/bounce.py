"""Delivery reports: which recipients failed for good, which are only delayed, and which mail came back.

Read in order of certainty: the RFC 3464 status fields; then flufl.bounce (GNU Mailman's maintained
detectors); then the notice text the way sisimai reads server families (qmail, Exim, Yahoo,
DragonFly, OpenSMTPD, Amazon SES, Office 365 text notices); last the To of the returned copy.
Every address found passes `failed_address`, so a Message-ID, a program or our own sender never
comes out as a failed recipient.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Literal

from parsers import failed_address
from parsers.mime import Decoded
from parsers.notice import addresses_in, reads_as_delay, reads_as_failure
from parsers.report import Report, read_report

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
_ADDRESS = re.compile(r"[^\s<>\"',;:()]+@[^\s<>\"',;:()]+")
_FAILED_ACTIONS = {"failed", "failure", "error"}
_DONE_ACTIONS = {"delivered", "relayed", "expanded", "deliverable"}

Kind = Literal["failure", "delay", "delivered", "feedback"]


@dataclass
class Bounce:
    """What a report says; `kind` None when it is not a report we recognise."""

    kind: Kind | None = None
    permanent: list[str] = field(default_factory=list)
    temporary: list[str] = field(default_factory=list)
    returned_message_ids: list[str] = field(default_factory=list)


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
    # a subject alone only makes it a candidate: the report must then name failed addresses
    return bool(_SUBJECT.search(decoded.subject))


def _flufl(decoded: Decoded) -> tuple[list[str], list[str]]:
    try:
        from flufl.bounce import all_failures

        temporary, permanent = all_failures(decoded.message)
    except Exception:
        return [], []

    def text(items: object) -> list[str]:
        return [i.decode("utf-8", "replace") if isinstance(i, bytes) else str(i) for i in items or ()]  # type: ignore[attr-defined]

    return text(permanent), text(temporary)


def _never(decoded: Decoded, report: Report) -> set[str]:
    """Who wrote the report and who sent the returned copy: never its failed recipient.

    Mail a person sent to themself comes back to them as the failed recipient too, so a sender who is
    also a recipient of the copy stays possible. Our own mailbox, to which reports are addressed, is
    left to the rules, which know it.
    """
    never = {decoded.sender or ""}
    if report.returned is not None:
        senders = _header_addresses(report.returned, "From", "Sender", "Return-Path", "Reply-To")
        never |= senders - _header_addresses(report.returned, "To", "Cc")
    return {failed_address.clean(a) or a for a in never if a}


def _header_addresses(message: Message, *names: str) -> set[str]:
    found: set[str] = set()
    for name in names:
        for value in message.get_all(name) or []:
            found |= {a.lower() for a in _ADDRESS.findall(str(value))}
    return found


def _from_status(report: Report) -> tuple[list[str], list[str], bool]:
    """Permanent and temporary recipients per the status fields, and whether all were delivered."""
    permanent, temporary, done = [], [], 0
    for block in report.status:
        fields = block.fields
        # Original-Recipient is the address the sender wrote, the one on file; Final-Recipient may be an
        # internal rewrite of it
        recipient = next(
            (
                fields[k]
                for k in ("original-recipient", "final-recipient", "x-actual-recipient")
                if failed_address.clean(fields.get(k, ""), system=True)
            ),
            "",
        )
        action = fields.get("action", "").split()[0].lower() if fields.get("action", "").split() else ""
        status = fields.get("status", "").strip()
        if action in _DONE_ACTIONS:
            done += 1
        elif action in _FAILED_ACTIONS or (action != "delayed" and status.startswith("5")):
            permanent.append(recipient)
        elif action == "delayed" or status.startswith("4"):
            temporary.append(recipient)
    return permanent, temporary, bool(report.status) and done == len(report.status)


def read_bounce(decoded: Decoded) -> Bounce:
    """Read a message that may be a report; never raises."""
    report = read_report(decoded.message)
    out = Bounce(returned_message_ids=report.returned_ids)
    if report.report_type == "feedback-report":
        out.kind = "feedback"
        return out
    permanent, temporary, delivered = _from_status(report)
    if delivered:
        out.kind = "delivered"
        return out
    ids = {i.lower() for i in [*report.returned_ids, decoded.message_id or "", *decoded.in_reply_to] if i}
    never = _never(decoded, report)

    def checked(candidates: list[str]) -> list[str]:
        return failed_address.failed(candidates, never=never, message_ids=ids)

    def stated(candidates: list[str]) -> list[str]:
        return failed_address.failed(candidates, never=never, message_ids=ids, system=True)

    out.permanent, out.temporary = stated(permanent), stated(temporary)
    if not report.status and reads_as_delay(report.notice) and not reads_as_failure(report.notice):
        out.kind = "delay"
        return out
    if not out.permanent and not out.temporary:
        out.permanent, out.temporary = _from_text(decoded, report, checked)
    if out.permanent or (not out.temporary and reads_as_failure(report.notice)):
        out.kind = "failure"  # without an address it is still a bounce, for an organiser to look at
    elif out.temporary or report.status:
        out.kind = "delay"
    return out


def _from_text(
    decoded: Decoded, report: Report, checked: Callable[[list[str]], list[str]]
) -> tuple[list[str], list[str]]:
    """Failed recipients where no status field names them: flufl.bounce, the notice, the returned To."""
    listed_raw, mentioned_raw = addresses_in(report.notice)
    listed, mentioned = checked(listed_raw), checked(mentioned_raw)
    if not listed and any(map(failed_address.clean, listed_raw)):
        return [], []  # the notice names only our own side: nothing else it says is more certain
    flufl_permanent, flufl_temporary = (checked(found) for found in _flufl(decoded))
    if listed:
        # flufl.bounce's detectors also read Received lines and headers: where the notice lists
        # recipients, only those count
        agreed = [a for a in flufl_permanent if a in listed], [a for a in flufl_temporary if a in listed]
        return agreed if any(agreed) else (listed, [])
    if flufl_permanent or flufl_temporary:
        return flufl_permanent, flufl_temporary
    if mentioned:
        return mentioned, []
    # a report that came through a mailing list returns the list's copy, addressed to the list
    if report.returned is not None and reads_as_failure(report.notice) and not decoded.header("List-Id"):
        return checked(report.returned.get_all("To") or [])[:1], []
    return [], []
