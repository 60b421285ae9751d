"""MIME decoding: raw bytes to an envelope, one readable text body and the attachment names."""

from __future__ import annotations

import datetime as dt
import email
import email.utils
import re
from dataclasses import dataclass, field
from email.header import Header, decode_header, make_header
from email.message import Message
from email.policy import compat32
from functools import lru_cache
from typing import Any

from inscriptis import get_text

from parsers import feedparse
from parsers.attachments import CALENDAR_TYPES, CARD_TYPES, CalendarEvent, Card, read_calendar, read_cards
from parsers.authresults import results
from parsers.models import AuthResult
from parsers.text import printable

# Bodies beyond this are not read further: sign-ups are short, and the limit keeps a hostile
# message from costing more than a normal one.
MAX_BODY_CHARS = 200_000
_ANGLE_ID = re.compile(r"<([^<>\s]+)>")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


@dataclass
class Decoded:
    """The envelope and the text of one message, plus what went wrong while decoding it."""

    message: Message
    sender: str | None = None
    sender_name: str | None = None
    reply_to: str | None = None
    subject: str = ""
    message_id: str | None = None
    in_reply_to: list[str] = field(default_factory=list)
    date: dt.date | None = None
    to: list[tuple[str, str]] = field(default_factory=list)
    cc: list[tuple[str, str]] = field(default_factory=list)
    resent: list[tuple[str, str]] = field(default_factory=list)
    auth_results: list[AuthResult] = field(default_factory=list)
    several_senders: bool = False
    content_type: str = "text/plain"
    text: str = ""
    html: str = ""  # the HTML part as written, for structure only the markup keeps (tables)
    attachments: list[str] = field(default_factory=list)
    calendar: list[CalendarEvent] = field(default_factory=list)  # events of .ics parts, in order
    cards: list[Card] = field(default_factory=list)  # people of .vcf parts
    problems: list[str] = field(default_factory=list)
    _headers: dict[str, str] = field(default_factory=dict, repr=False)
    _values: dict[str, tuple[str, str]] | None = field(default=None, repr=False)

    def raw_header(self, name: str) -> str:
        """The first such header as it came, not decoded; empty when absent."""
        if self._values is not None:
            found = self._values.get(name.lower())
            return str(found[1]) if found else ""
        try:
            return str(self.message.get(name) or "")
        except Exception:
            return ""

    def header(self, name: str) -> str:
        """A decoded header, decoded once: the rule modules ask for the same few headers repeatedly."""
        key = name.lower()
        if key not in self._headers:
            raw = self._values.get(key) if self._values is not None else None
            if raw is None:
                self._headers[key] = "" if self._values is not None else header_text(self.message, name)
            else:
                self._headers[key] = _raw_header_text(self.message, raw)
        return self._headers[key]


def _fix_surrogates(value: str) -> str:
    # compat32 keeps undecodable header bytes as surrogates; turn them back into text.
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        raw = value.encode("utf-8", "surrogateescape")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("cp1252", "replace")


def header_text(message: Message, name: str) -> str:
    """One header decoded from RFC 2047 into text; empty when absent or unreadable."""
    key = name.lower()
    try:
        raw = next(((n, v) for n, v in message.raw_items() if n.lower() == key), None)
    except Exception:
        return ""
    return "" if raw is None else _raw_header_text(message, raw)


def _raw_header_text(message: Message, raw: tuple[str, str]) -> str:
    if message.policy is compat32 and isinstance(raw[1], str):
        return _compat32_header_text(raw[1])  # what the lines below give, remembered by value
    return _header_text_of(message, raw)


@lru_cache(maxsize=2048)
def _compat32_header_text(value: str) -> str:
    """``_header_text_of`` for a message parsed with compat32 (``decode`` always is): a function of the value
    alone, since compat32's ``header_fetch_parse`` returns an ASCII value as it is. Subjects, names and
    list headers repeat across a mailbox's messages (a thread, a sender's name), and their RFC 2047
    decoding is the dear part."""
    return _header_text_of(_COMPAT32_MESSAGE, ("", value))


_COMPAT32_MESSAGE = Message(policy=compat32)


def _header_text_of(message: Message, raw: tuple[str, str]) -> str:
    # Raw 8-bit bytes in a header (RFC 6532 UTF-8, as phones and webmail send) come through compat32 as
    # surrogates, which its Header object would turn into U+FFFD: read them as UTF-8 first (cp1252 when
    # they are not UTF-8), so "Åsa Öberg" reaches the digest as written.
    if not raw[1].isascii():
        return " ".join(_ENCODED_WORD.sub(_decoded_word, _fix_surrogates(raw[1])).split())
    try:
        value = message.policy.header_fetch_parse(*raw)
    except Exception:
        value = None
    return _header_value_text(value)


def _decoded_word(match: re.Match[str]) -> str:
    try:
        return str(make_header(decode_header(match.group(0))))
    except Exception:
        return match.group(0)


def _header_value_text(value: object) -> str:
    if value is None:
        return ""
    try:
        if isinstance(value, str) and value.isascii() and "=?" not in value:
            text = value  # the common case needs no RFC 2047 decoding
        elif isinstance(value, Header):
            text = str(value)
        else:
            text = str(make_header(decode_header(_fix_surrogates(str(value)))))
    except Exception:
        text = _fix_surrogates(str(value))
    return " ".join(printable(text).split())


def _first_values(message: Message) -> dict[str, tuple[str, str]] | None:
    """The first (name, raw value) of every header by lower-case name: what ``Message.get`` would find.

    ``Message.get`` scans all headers on each call; the envelope asks for a dozen, so one pass is cheaper.
    """
    try:
        values: dict[str, tuple[str, str]] = {}
        for name, value in message.raw_items():
            values.setdefault(name.lower(), (name, value))
        return values
    except Exception:
        return None


# An address header that is only "Name <address>" or "address" items is read without the full RFC 5322
# parser (email.utils.getaddresses), which gives the same pairs for these and costs far more; anything
# else (quotes, comments, groups, routes, odd addresses) still goes to getaddresses.
_ATOM = r"[A-Za-z0-9_%+\-'!#$&*/=?^`{|}~]+"
_ADDR = rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
_SIMPLE_ITEM = re.compile(
    rf"[ \t]*(?:(?:(?P<name>[^()<>@,;:\\\".\[\]\s]+(?:[ \t]+[^()<>@,;:\\\".\[\]\s]+)*)"
    rf"|\"(?P<quoted>[^\"\\]*)\")?[ \t]*<(?P<a1>{_ADDR})>|(?P<a2>{_ADDR}))[ \t]*"
)
# Items of an address list: commas inside a plain quoted name ("Berg, Mikael") do not separate.
_ITEMS = re.compile(r'(?:"[^"\\]*"|[^,"])+|(?<=,)(?=,)|^(?=,)|(?<=,)$')


def _simple_addresses(text: str) -> list[tuple[str, str]] | None:
    pairs: list[tuple[str, str]] = []
    items = _ITEMS.findall(text) if '"' in text else text.split(",")
    if '"' in text and ",".join(items) != text:
        return None  # an odd quote: leave it to the full parser
    for item in items:
        match = _SIMPLE_ITEM.fullmatch(item)
        if match is None:
            return None
        if match.group("a2") is not None:
            pairs.append(("", match.group("a2")))
        elif match.group("quoted") is not None:
            pairs.append((match.group("quoted"), match.group("a1")))
        else:
            pairs.append((" ".join((match.group("name") or "").split()), match.group("a1")))
    return pairs


def _addresses(text: str) -> list[tuple[str, str]]:
    if not text:
        return []
    pairs = _simple_addresses(text)
    if pairs is None:
        try:
            pairs = email.utils.getaddresses([text])
        except Exception:
            return []
    return [(n.strip().strip('"'), a.strip().lower()) for n, a in pairs if "@" in a]


def _mailboxes(decoded: Decoded, name: str) -> list[tuple[str, str]]:
    """(display name, address) pairs of an address header, read from its undecoded value.

    An RFC 2047 encoded word can only ever be a display name: decoding the header first would let one that
    decodes to "olof.hansson@falun.se," or to a line break and "Bcc: …" pose as an address (issue 8, item 3).
    So the addresses come from the header as it came, and only the display names are decoded.
    """
    raw = decoded.raw_header(name)
    if not raw:
        return []
    unfolded = _fix_surrogates(" ".join(raw.split()))
    return [
        (_display_text(display) if "=?" in display else display, address)
        for display, address in _addresses(unfolded)
    ]


@lru_cache(maxsize=2048)
def _display_text(display: str) -> str:
    """A display name with encoded words, decoded; remembered, as a sender's name comes back in each mail."""
    return _header_value_text(display)


def decode_payload(part: Message) -> str:
    """A leaf part's payload as text, trusting the declared charset only as far as it decodes."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = part.get_payload()
        return _fix_surrogates(raw) if isinstance(raw, str) else ""
    if not isinstance(payload, bytes):
        return str(payload)
    charset = (_charset(part) or "utf-8").lower()
    # Windows mail says iso-8859-1 and means windows-1252 (curly quotes, dashes): decode as the superset.
    if charset in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
        charset = "cp1252"
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", "replace")


def _read_facts(
    part: Message, ctype: str, name: str, out: Decoded, read: dict[tuple[bool, bytes], list[Any]]
) -> None:
    """Calendar and card parts, inline or attached, read into facts.

    ``read`` holds what this message's earlier parts gave: Outlook sends an invitation both as the
    text/calendar alternative and as invite.ics with the same bytes, and the calendar reader is the
    dearest step of decoding (about 2 ms a file), so the same bytes are read once and counted twice.
    """
    is_calendar = ctype in CALENDAR_TYPES or name.endswith(".ics")
    if not is_calendar and not (ctype in CARD_TYPES or name.endswith(".vcf")):
        return
    try:
        data = part.get_payload(decode=True)
    except Exception:
        return
    if isinstance(data, bytes):
        key = (is_calendar, data)
        if key not in read:
            read[key] = list(read_calendar(data)) if is_calendar else list(read_cards(data))
        if is_calendar:
            out.calendar.extend(read[key])
        else:
            out.cards.extend(read[key])


def _content_type_value(part: Message) -> str:
    """The Content-Type header as ``Message.get_param`` parses it, lower-cased; empty when absent."""
    value = part.get("Content-Type")
    return "" if value is None else str(value).lower()


def _param(part: Message, name: str) -> str:
    # A parameter is only there when its name is written in the header (RFC 2231 pieces keep it as a
    # prefix): most parts have no "format" or "delsp", and parsing all their parameters is what costs.
    if name not in _content_type_value(part):
        return ""
    value = part.get_param(name)
    return value.lower() if isinstance(value, str) else ""


def _charset(part: Message) -> str | None:
    """``part.get_content_charset()``, without parsing the parameters of a header that names none."""
    if "charset" not in _content_type_value(part):
        return None
    return part.get_content_charset()


def unflow(text: str, delete_space: bool = False) -> str:
    """RFC 3676 format=flowed: a line ending in a space continues on the next (the stdlib leaves this)."""
    out: list[str] = []
    carry = ""
    depth = 0  # the carried line's quote depth: a flowed quoted line continues only at the same depth
    for line in text.replace("\r\n", "\n").split("\n"):
        level = len(line) - len(line.lstrip(">")) if line.startswith(">") else 0
        if carry and level != depth:
            out.append(carry)
            carry = ""
        if carry and level:
            line = line[level:]
            line = line[1:] if line.startswith(" ") else line  # the continuation's own quote marks go
        elif line.startswith(" "):
            line = line[1:]  # space-stuffing
        if line.endswith(" ") and line != "-- ":
            carry += line[:-1] if delete_space else line
            depth = level
            continue
        out.append(carry + line)
        carry = ""
    if carry:
        out.append(carry)
    return "\n".join(out)


def html_to_text(html: str) -> str:
    """HTML to text with a real HTML library (tables, MsoNormal paragraphs, &nbsp; handled there)."""
    try:
        return get_text(html)
    except Exception:
        return re.sub(r"<[^>]+>", " ", html)


def _filename(part: Message) -> str | None:
    try:
        # a file name is a "filename" or "name" parameter: most parts have neither, and parsing their
        # parameters is what costs
        if "name" not in f"{part.get('Content-Disposition') or ''}{part.get('Content-Type') or ''}".lower():
            return None
        name = part.get_filename()
    except Exception:
        return None
    if not name:
        return None
    try:
        return str(make_header(decode_header(_fix_surrogates(name))))
    except Exception:
        return _fix_surrogates(name)


def _leaf_parts(message: Message) -> list[Message]:
    """Leaf parts in order, without descending into attached messages (a forward as attachment stays one)."""
    leaves: list[Message] = []
    stack = [message]
    seen = 0
    while stack and seen < 500:
        part = stack.pop(0)
        seen += 1
        try:
            payload = part.get_payload()
        except Exception:
            continue
        if part.is_multipart() and isinstance(payload, list):
            if part.get_content_type() == "message/rfc822":
                leaves.append(part)
                continue
            stack = [p for p in payload if isinstance(p, Message)] + stack
        else:
            leaves.append(part)
    return leaves


def _normalise_text(text: str) -> str:
    # Cut before cleaning: a 10 MB line costs no more than a normal body (line breaks at most halve it).
    text = (
        printable(text[: 2 * MAX_BODY_CHARS])
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\xa0", " ")
        .replace("\u200b", "")
    )
    lines = [line.strip() for line in text[:MAX_BODY_CHARS].split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def decode(raw: bytes) -> Decoded:
    """Decode one message; never raises, records problems in Swedish instead."""
    message = feedparse.message_from_bytes(raw)  # email.message_from_bytes, faster for ordinary mail
    out = Decoded(message=message, _values=_first_values(message))
    if message.defects:
        out.problems.append("Meddelandet har trasig MIME-struktur")
    head = out.header
    senders = _mailboxes(out, "From") or _mailboxes(out, "Sender")
    if len(senders) > 1:
        # Whose message is it? Answering any one of them would be a guess an attacker can steer.
        # No sender at all: nothing is answered, and no organiser's address among them gives authority.
        out.problems.append("Avsändarraden har flera adresser; meddelandet besvaras inte automatiskt")
        out.several_senders = True
    elif senders:
        out.sender_name, out.sender = senders[0][0] or None, senders[0][1]
    reply_to = _mailboxes(out, "Reply-To")
    out.reply_to = reply_to[0][1] if reply_to else None
    out.to = _mailboxes(out, "To")
    out.cc = _mailboxes(out, "Cc")
    out.resent = _mailboxes(out, "Resent-To") + _mailboxes(out, "Resent-Cc")
    out.auth_results = results(message)
    out.subject = head("Subject")
    ids = _ANGLE_ID.findall(head("Message-ID"))
    out.message_id = ids[0] if ids else (head("Message-ID").strip("<> ") or None)
    refs = _ANGLE_ID.findall(head("In-Reply-To") + " " + head("References"))
    out.in_reply_to = list(dict.fromkeys(refs))
    try:
        when = email.utils.parsedate_to_datetime(head("Date"))
        out.date = when.date() if when else None
    except Exception:
        out.date = None
    root_type: str | None = None
    try:
        root_type = out.content_type = message.get_content_type()
    except Exception:
        out.content_type = "text/plain"

    plain: str | None = None
    html_part: Message | None = None
    facts: dict[tuple[bool, bytes], list[Any]] = {}
    for part in _leaf_parts(message):
        try:
            ctype = part.get_content_type()
            disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        except Exception:
            continue
        name = _filename(part)
        _read_facts(part, ctype, (name or "").lower(), out, facts)
        if name or disposition == "attachment":
            out.attachments.append(name or "(namnlös bilaga)")
            continue
        if ctype == "text/plain" and plain is None:
            plain = decode_payload(part)
            if _param(part, "format") == "flowed":
                plain = unflow(plain, _param(part, "delsp") == "yes")
        elif ctype == "text/html" and html_part is None:
            html_part = part
    plain_text = _normalise_text(plain or "")
    html = decode_payload(html_part)[:MAX_BODY_CHARS] if html_part is not None else None
    out.html = html or ""
    # A text part that is empty or a stub ("this is an HTML message") is not the real text.
    if html and len(plain_text) < 40:
        html_text = _normalise_text(html_to_text(html[:MAX_BODY_CHARS]))
        out.text = html_text if len(html_text) > len(plain_text) else plain_text
    else:
        out.text = plain_text
    if (
        not out.text
        and not out.attachments
        and (root_type or message.get_content_type()) != "multipart/report"
    ):
        out.problems.append("Meddelandet saknar läsbar text")
    return out
