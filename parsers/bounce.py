"""Delivery reports: which recipients failed for good, which are only delayed, and which mail came back.

Read in order of certainty: the RFC 3464 status fields (and Amazon SES's JSON); then flufl.bounce
(GNU Mailman's maintained detectors), checked against the recipients the notice lists; then the
notice text the way sisimai reads server families (qmail, Exim, Yahoo, DragonFly, OpenSMTPD, Office
365 text notices); last the To of the returned copy.
Every address found passes `failed_address`, so a Message-ID, a program or our own sender never
comes out as a failed recipient.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message

from parsers import failed_address
from parsers.mime import Decoded
from parsers.notice import addresses_in, reads_as_delay, reads_as_failure
from parsers.report import Report, ReportKind, read_report
from parsers.ses import read_ses
from parsers.text import first_char_checked

_SENDER = re.compile(
    r"^(mailer-daemon|post_?master|mail-daemon|mailerdaemon|bounce|bounces|mdaemon|mail\.delivery)", re.I
)
_NO_REPLY = re.compile(r"^(no-?reply|do-?not-?reply)$", re.I)
_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery failed|non remis|delivery (status|failure|has failed|notification|report)|returned mail|failure notice"
    r"|mail delivery (failed|system|subsystem)|could not be delivered|nondeliverable|non-delivery|delivery problem"
    r"|olevererbar|kunde inte levereras|det gick inte att leverera|leveransfel|returned to sender|rejected"
    r"|warning: could not send|mail system error|not delivered|failed delivery|delivery unsuccessful"
    r"|error (sending|delivering)|notification message|delivery_failure|failure delivery|mail failure"
    r"|(message|mail) (delayed|frozen)|delayed mail|errors from|see transcript|\[bounce\]|forwarding or filtering"
    # Exchange's non-delivery subjects in the languages around us
    r"|unzustellbar|nicht zustellbar|zustellung fehlgeschlagen|onbestelbaar|non recapitabile|n[ãa]o[ _]entregue"
    r"|non[ _]remis|no se puede entregar|kan ikke leveres|ikke levert|kunne ikke leveres|olevererbart"
    r"|ei voitu toimittaa|toimitus epäonnistui",
    re.I,
)
_SUBJECT = first_char_checked(_SUBJECT)  # speed only: same matches
_ADDRESS = re.compile(r"[^\s<>\"',;:()]+@[^\s<>\"',;:()]+")
_RECIPIENT_FIELDS = ("original-recipient", "final-recipient", "x-actual-recipient")
_FAILED_ACTIONS = {"failed", "failure", "error"}
_DONE_ACTIONS = {"delivered", "relayed", "expanded", "deliverable"}


@dataclass
class Bounce:
    """What a report says; `kind` None when it is not a report we recognise."""

    kind: ReportKind | None = None
    permanent: list[str] = field(default_factory=list)
    temporary: list[str] = field(default_factory=list)
    returned_message_ids: list[str] = field(default_factory=list)


def looks_like_bounce(decoded: Decoded) -> bool:
    """Cheap structural and header signs of a delivery report."""
    # a subject alone only makes it a candidate: the report must then name failed addresses
    if from_mail_system(decoded) or _SUBJECT.search(decoded.subject):
        return True
    # a no-reply sender returning a message (KDDI's au one net writes its notices so)
    local = (decoded.sender or "").split("@", 1)[0]
    return bool(_NO_REPLY.match(local)) and _returns_a_message(decoded)


def _returns_a_message(decoded: Decoded) -> bool:
    if not decoded.content_type.startswith("multipart/"):
        return False
    return any(
        part.get_content_type() in {"message/rfc822", "text/rfc822-headers"}
        for part in decoded.message.walk()
    )


def from_mail_system(decoded: Decoded) -> bool:
    """A report by structure or by its sender: what it says counts even where it names no address."""
    if decoded.content_type == "multipart/report":
        return True
    local = (decoded.sender or "").split("@", 1)[0]
    return_path = decoded.header("Return-Path").strip("<> ").split("@", 1)[0]
    # newsletters use "bounce+id@" return paths, so the return path counts only for the mail system's own names
    daemon = _SENDER.match(return_path) and not return_path.lower().startswith("bounce")
    # "From: mailer-daemon" without a domain gives no sender address; the header still says who
    raw_from = decoded.header("From").strip("\"' ")
    if raw_from == "<>":  # the null sender is the mail system's own
        return True
    return bool(
        _SENDER.match(local) or daemon or _SENDER.match(decoded.sender_name or "") or _SENDER.match(raw_from)
    )


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


def _status_recipients(report: Report) -> set[str]:
    """Every recipient the status fields name, in any of their spellings."""
    names = (f.get(k, "") for b in report.status for f in [b.fields] for k in _RECIPIENT_FIELDS)
    return {a for a in (failed_address.clean(n, system=True) for n in names) if a}


def _refused(report: Report) -> bool:
    """A disposition notification that says the mail was deleted or refused unread (Sieve, Dovecot)."""
    return any(
        re.search(r";\s*(deleted|denied|failed|error|rejected)\b", b.fields.get("disposition", ""), re.I)
        for b in report.status
    )


def _from_status(report: Report) -> tuple[list[str], list[str], bool]:
    """Permanent and temporary recipients per the status fields, and whether all were delivered."""
    permanent, temporary, done = [], [], 0
    for block in report.status:
        fields = block.fields
        # Original-Recipient is the address the sender wrote, the one on file; Final-Recipient may be an
        # internal rewrite of it
        recipient = next(
            (fields[k] for k in _RECIPIENT_FIELDS if failed_address.clean(fields.get(k, ""), system=True)),
            "",
        )
        action = fields.get("action", "").split()[0].lower() if fields.get("action", "").split() else ""
        status = fields.get("status", "").strip()
        if action in _DONE_ACTIONS:
            done += 1
        elif (
            action in _FAILED_ACTIONS
            or (action != "delayed" and status.startswith("5"))
            or (not action and _refused(Report(status=[block])))
        ):
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
    if report.report_type == "disposition-notification" and not _refused(report):
        out.kind = "receipt"  # a read receipt (RFC 8098): an automatic answer, not a failure
        return out
    ses = read_ses(report.notice)
    if ses is not None:
        out.kind, out.permanent, out.temporary = ses.kind, ses.permanent, ses.temporary
        return out
    permanent, temporary, delivered = _from_status(report)
    if delivered:
        out.kind = "delivered"
        return out
    ids = {i.lower() for i in [*report.returned_ids, decoded.message_id or "", *decoded.in_reply_to] if i}
    never = _never(decoded, report)

    def checked(candidates: list[str]) -> list[str]:
        # postmaster@ may be the failed recipient; whom a notice says to contact is left out before this
        return failed_address.failed(candidates, never=never, message_ids=ids, system=True)

    out.permanent, out.temporary = checked(permanent), checked(temporary)
    listed = checked(addresses_in(report.notice).listed)
    if out.permanent and listed and not set(listed) & _status_recipients(report):
        # the status fields and the notice name different recipients: say nothing rather than guess
        out.kind, out.permanent, out.temporary = "failure", [], []
        return out
    system = from_mail_system(decoded)
    if system and not report.status and reads_as_delay(report.notice):
        out.kind = "delay"
        return out
    if not out.permanent and not out.temporary:
        out.permanent, out.temporary = _from_text(decoded, report, checked)
    if out.permanent or (system and not out.temporary and reads_as_failure(report.notice)):
        out.kind = "failure"  # without an address it is still a bounce, for an organiser to look at
    elif out.temporary or report.status:
        out.kind = "delay"
    elif system and (report.report_type == "delivery-status" or report.returned is not None):
        out.kind = "failure"  # a mail system's report we cannot read: a bounce for an organiser to look at
    return out


def _from_text(
    decoded: Decoded, report: Report, checked: Callable[[list[str]], list[str]]
) -> tuple[list[str], list[str]]:
    """Failed recipients where no status field names them: flufl.bounce, the notice, the returned To."""
    found = addresses_in(report.notice)
    listed, mentioned, waiting = checked(found.listed), checked(found.mentioned), checked(found.waiting)
    if not listed and any(map(failed_address.clean, found.listed)):
        return [], []  # the notice names only our own side: nothing else it says is more certain
    flufl_permanent, flufl_temporary = (checked(addresses) for addresses in _flufl(decoded))
    if listed:
        # flufl.bounce's detectors also read Received lines and headers: where the notice lists
        # recipients, only those count
        agreed = [a for a in flufl_permanent if a in listed], [a for a in flufl_temporary if a in listed]
        return agreed if any(agreed) else ([a for a in listed if a not in waiting], waiting)
    if flufl_permanent or flufl_temporary:
        return flufl_permanent, flufl_temporary
    if mentioned:
        return mentioned, []
    # a report that came through a mailing list returns the list's copy, addressed to the list
    if report.returned is not None and reads_as_failure(report.notice) and not decoded.header("List-Id"):
        return checked(report.returned.get_all("To") or [])[:1], []
    return [], []
