"""The parts of a delivery or feedback report: the notice a mail server wrote, its status fields, the copy it returned.

Mail servers lay these out in two ways: as RFC 3464/6522 MIME parts (text, message/delivery-status,
message/rfc822 or text/rfc822-headers), or as one text body in which a marker line ("--- Below this
line is a copy of the message.") separates the notice from the returned copy. Both end up here as the
same three things, so the readers after this need not know which server wrote the report.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email.message import Message
from typing import Literal

from parsers.mime import decode_payload, html_to_text

# What a mail server writes just above the copy it returns. Sisimai lists these per server family
# ("boundaries"); here they are folded into the few shapes they share.
_COPY = (
    r"(the )?(original|returned|rejected|undelivered|unsent|undeliverable) (message|mail|e-?mail)( headers?)?"
)
_RETURNED_MARKER = re.compile(
    r"^[\s\-=_*#>|\[(]*("
    r"below this line is a copy of the message|(this is )?a copy of (the|your) (original )?message"
    rf"|{_COPY}( (was|were|is|are))? (attached|follows|following|below|included)|{_COPY}\s*[-=:.\])]*\s*$"
    r"|(the )?(original )?message headers?( (was|were|is|are))? (follows?|below|attached)"
    r"|headers? of (the|your) (original |returned )?message|message headers follow"
    r"|start of (the )?returned message|unsent message below|content of (the )?original message"
    r"|the text you sent follows|your message reads|your message( headers)? follows?"
    r"|original message (headers|follows)|this is the original message"
    r"|ursprungliga meddelandehuvuden|ursprungligt meddelande|kopia av (det ursprungliga )?meddelandet"
    r")",
    re.I | re.M,
)
# A line that begins a header block: where a copy starts when no marker announces it.
_HEADER_START = re.compile(
    r"^[ \t]*(Return-Path|Received):|^(X-Original-To|Delivered-To|DKIM-Signature):", re.I | re.M
)
_FIELD = re.compile(r"^[ \t]*([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$")
# RFC 3464 per-recipient fields, and the vendor fields some servers add beside them.
_RECIPIENT_FIELDS = {"final-recipient", "original-recipient", "x-actual-recipient", "action", "status"}
NOTICE_LIMIT = 20_000

# What a report turns out to be; the parser maps each to an intent (failure and delay: bounce).
ReportKind = Literal["failure", "delay", "delivered", "feedback", "receipt"]


@dataclass
class StatusBlock:
    """One per-recipient block of delivery-status fields (names lower-case)."""

    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    """A report read into its parts; empty parts when the message has none."""

    report_type: str = ""  # multipart/report's report-type, lower-case
    notice: str = ""  # the server's own words, line endings made LF
    status: list[StatusBlock] = field(default_factory=list)
    returned: Message | None = None  # headers (and maybe body) of the returned copy
    returned_ids: list[str] = field(default_factory=list)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _status_blocks(text: str) -> list[StatusBlock]:
    """Per-recipient field blocks from delivery-status text (blank lines separate blocks)."""
    blocks: list[StatusBlock] = []
    current: dict[str, str] = {}
    last = ""
    for line in [*_lf(text).split("\n"), ""]:
        match = _FIELD.match(line)
        if match and not line[:1].isspace():
            name = match.group(1).lower()
            if name in current and name in _RECIPIENT_FIELDS:
                blocks.append(StatusBlock(current))
                current = {}
            current.setdefault(name, match.group(2).strip())
            last = name
        elif line.strip() and line[:1].isspace() and last in current:
            current[last] += " " + line.strip()  # a folded field
        elif not line.strip():
            if current.keys() & {"final-recipient", "original-recipient"}:
                blocks.append(StatusBlock(current))
            current, last = {}, ""
    return blocks


def _delivery_status_text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):
        # the email package parses each block as headers of a Message; other message/* types keep the
        # later blocks as the first one's body
        return "\n\n".join(
            "\n".join(f"{k}: {v}" for k, v in block.items())
            + (f"\n\n{block.get_payload()}" if isinstance(block.get_payload(), str) else "")
            for block in payload
            if isinstance(block, Message)
        )
    return decode_payload(part)


def _message_ids(message: Message) -> list[str]:
    out: list[str] = []
    for value in message.get_all("Message-ID") or []:
        out += re.findall(r"<([^<>\s]+@[^<>\s]+)>", str(value)) or [str(value).strip("<> ")]
    return [i for i in out if "@" in i]


def _headers_from_text(text: str) -> Message | None:
    # Some servers indent the returned headers; a copy that is not headers at all gives no Message.
    lines = _lf(text).lstrip("\n").split("\n")
    indent = min((len(x) - len(x.lstrip()) for x in lines[:5] if x.strip()), default=0)
    body = "\n".join(x[indent:] if x[:indent].isspace() else x for x in lines)
    try:
        message = email.message_from_string(body)
    except Exception:
        return None
    return message if len(message.keys()) >= 2 else None


def _split_inline(text: str) -> tuple[str, str | None]:
    """The notice and the returned copy of a one-part report, cut at the marker or the first header block."""
    marker = _RETURNED_MARKER.search(text)
    header = _HEADER_START.search(text)
    if marker and (header is None or marker.start() <= header.start()):
        rest = text[marker.end() :]
        rest = rest.split("\n", 1)[1] if "\n" in rest else ""
        return text[: marker.start()], rest
    if header:
        return text[: header.start()], text[header.start() :]
    return text, None


def read_report(message: Message) -> Report:
    """Split a message into notice, status blocks and returned copy; never raises."""
    out = Report()
    try:
        if message.get_content_type() == "multipart/report":
            out.report_type = (message.get_param("report-type") or "").__str__().lower()
        notices: list[str] = []
        _walk(message, out, notices, depth=0)
        notice = "\n".join(notices)
        if out.returned is None:
            notice, copy = _split_inline(notice)
            if copy is not None:
                out.returned = _headers_from_text(copy)
        elif (cut := _RETURNED_MARKER.search(notice)) is not None:
            notice = notice[: cut.start()]
        out.notice = notice[:NOTICE_LIMIT]
        if not out.status:
            out.status = _status_blocks(out.notice)
        if out.returned is not None:
            out.returned_ids = _message_ids(out.returned)
        # a disposition notification names the mail it is about even where it returns nothing of it
        for block in out.status:
            for found in re.findall(r"<([^<>\s]+@[^<>\s]+)>", block.fields.get("original-message-id", "")):
                out.returned_ids += [found] if found not in out.returned_ids else []
    except Exception:
        return out
    return out


def _walk(part: Message, out: Report, notices: list[str], depth: int) -> None:
    if depth > 8:
        return
    # a broken header ("text/plain\n charset=...") still names its type first
    ctype = (part.get_content_type().split() or ["text/plain"])[0]
    payload = part.get_payload()
    if ctype in {"message/rfc822", "message/rfc822-headers"} and isinstance(payload, list) and payload:
        if out.returned is None and isinstance(payload[0], Message):
            out.returned = payload[0]
        return
    if ctype in {"text/rfc822-headers", "message/rfc822-headers"} or (
        ctype == "message/rfc822" and isinstance(payload, str)
    ):
        if out.returned is None:
            out.returned = _headers_from_text(decode_payload(part))
        return
    if ctype in {
        "message/delivery-status",
        "message/global-delivery-status",
        "text/delivery-status",
        "message/disposition-notification",
    }:
        out.status += _status_blocks(_delivery_status_text(part))
        return
    if part.is_multipart() and isinstance(payload, list):
        for sub in payload:
            if isinstance(sub, Message):
                _walk(sub, out, notices, depth + 1)
        return
    if ctype == "text/html" and not notices:
        notices.append(_lf(html_to_text(decode_payload(part))))
    elif ctype == "text/plain" or ctype.startswith("multipart/"):  # a multipart without parts is one text
        notices.append(_lf(decode_payload(part)))
