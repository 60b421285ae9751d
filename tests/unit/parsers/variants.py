"""Variants of a labelled message that keep its label: other surfaces of the same sign-up.

Each maker takes the message (as `Mail`: headers, text, HTML, attachments) and returns raw bytes of a
message a careful organiser would read exactly as the original: HTML only, re-wrapped, other line
endings, an earlier message quoted below, a disclaimer added, people renamed, paragraphs reordered.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.message import EmailMessage, Message

from parsers.mime import html_to_text, unflow

_CONTENT_HEADERS = {"content-type", "content-transfer-encoding", "mime-version", "content-disposition"}


@dataclass(frozen=True)
class Attachment:
    data: bytes
    maintype: str
    subtype: str
    filename: str | None


@dataclass(frozen=True)
class Mail:
    """The parts of a message that a variant may change."""

    headers: tuple[tuple[str, str], ...]
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


def read(raw: bytes) -> Mail | None:
    """A message taken apart; None for structures a variant cannot rebuild faithfully (reports, forwards
    as attachments), which the suite leaves to the golden test."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if msg.get_content_type() == "multipart/report":
        return None
    headers = tuple((k, str(v)) for k, v in msg.items() if k.lower() not in _CONTENT_HEADERS)
    text = html_part = None
    attachments: list[Attachment] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            return None
        filename = part.get_filename()
        if ctype == "text/plain" and text is None and not filename:
            text = _content(part)
            if str(part.get_param("format") or "").lower() == "flowed":
                text = unflow(text, str(part.get_param("delsp") or "").lower() == "yes")
        elif ctype == "text/html" and html_part is None and not filename:
            html_part = _content(part)
        else:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                attachments.append(
                    Attachment(data, part.get_content_maintype(), part.get_content_subtype(), filename)
                )
    if text is None and html_part is not None:
        text = html_to_text(html_part)  # an HTML-only original: its text as the parser reads it
    if text is None:
        return None
    return Mail(headers, text.replace("\r\n", "\n").replace("\r", "\n"), html_part, tuple(attachments))


def _content(part: Message) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return str(part.get_payload())
    for charset in (part.get_content_charset() or "utf-8", "utf-8", "cp1252"):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def write(mail: Mail, *, with_text: bool = True, cte: str | None = None) -> bytes:
    """The message put together again as a standard multipart message."""
    msg = EmailMessage(policy=email.policy.SMTP)
    for key, value in mail.headers:
        try:
            msg[key] = value
        except Exception:
            continue  # a header the modern policy refuses (broken in the original) is left out
    if with_text:
        msg.set_content(mail.text, cte=cte) if cte else msg.set_content(mail.text)
        if mail.html is not None:
            msg.add_alternative(mail.html, subtype="html")
    else:
        msg.set_content(mail.html or text_to_html(mail.text), subtype="html")
    for item in mail.attachments:
        msg.add_attachment(item.data, maintype=item.maintype, subtype=item.subtype, filename=item.filename)
    return msg.as_bytes()


def text_to_html(text: str) -> str:
    """HTML as a webmail composer makes it: a paragraph per block, a line break per line, and a table
    for cells pasted from a spreadsheet (tab-separated lines)."""
    blocks = [_table(b) if "\t" in b else b for b in re.split(r"\n\s*\n", text) if b.strip()]
    body = "\n".join(b[1:] if b.startswith("\x00") else _paragraph(b) for b in blocks)
    return f"<html><body>{body}</body></html>"


def _paragraph(block: str) -> str:
    return "<div>" + "<br>\n".join(html.escape(line) for line in block.split("\n")) + "</div><div><br></div>"


def _table(block: str) -> str:
    rows = []
    for line in block.split("\n"):
        cells = "".join(f"<td>{html.escape(c.strip())}</td>" for c in line.split("\t"))
        rows.append(f"<tr>{cells}</tr>" if "\t" in line else f"<tr><td>{html.escape(line)}</td></tr>")
    return "\x00<table>" + "".join(rows) + "</table>"


# --- the variants ---------------------------------------------------------------------------------------


def html_only(mail: Mail) -> bytes:
    """The HTML part alone (the client's own HTML when the message has one)."""
    return write(mail, with_text=False)


def rewrapped(mail: Mail, width: int = 72) -> bytes:
    """Every line longer than the width broken at spaces, as a plain-text client hard-wraps."""
    lines: list[str] = []
    for line in mail.text.split("\n"):
        if len(line) <= width or line.startswith(">"):
            lines.append(line)
        else:
            # a tab separates cells: the client breaks the line at spaces only, never inside a tab
            kept = line.replace("\t", "\x00")
            wrapped = textwrap.wrap(kept, width, break_long_words=False, break_on_hyphens=False)
            lines.extend(w.replace("\x00", "\t") for w in wrapped)
    return write(replace(mail, text="\n".join(lines), html=None))


def crlf(mail: Mail) -> bytes:
    """The whole message with CRLF line endings (as it travels over SMTP)."""
    raw = write(mail)
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def cr_only(mail: Mail) -> bytes:
    """A text body whose lines end in a lone CR (old Mac clients), carried in base64."""
    return write(replace(mail, text=mail.text.replace("\n", "\r"), html=None), cte="base64")


def quoted_below(
    mail: Mail, earlier: str, style: str, sender: str = "Johanna Ek <johanna.ek@regiondalarna.se>"
) -> bytes:
    """An earlier message quoted below the text, in the Swedish Outlook or the English Gmail format."""
    if style == "sv":
        history = (
            "\n\nFrån: " + sender + "\nSkickat: den 1 augusti 2024 09:14\n"
            "Till: anmalan.dalalab@regiondalarna.se\nÄmne: Inbjudan till lärprojekt\n\n" + earlier
        )
    else:
        history = f"\n\nOn Thu, 1 Aug 2024 at 09:14, {sender} wrote:\n\n" + "\n".join(
            f"> {line}" if line else ">" for line in earlier.split("\n")
        )
    return write(replace(mail, text=mail.text.rstrip("\n") + history, html=None))


def with_disclaimer(mail: Mail, disclaimer: str) -> bytes:
    """A disclaimer paragraph added where the sender's server adds it: after the text, before history."""
    lines = mail.text.rstrip("\n").split("\n")
    at = _history_start(lines)
    text = "\n".join([*lines[:at], "", disclaimer, "", *lines[at:]])
    return write(replace(mail, text=text, html=None))


_HISTORY = re.compile(
    r"^(>|-{2,}\s*(ursprungligt|original|vidarebefordrat|forwarded)|(från|from)\s*:|den .* skrev|on .* wrote)",
    re.I,
)


def _history_start(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if _HISTORY.match(line.strip())), len(lines))


def fold_ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c))


def renamer(mapping: dict[str, str]) -> Callable[[str], str]:
    """Whole-word replacement of every name word (and its address form, its genitive) by another one."""
    pairs: dict[str, str] = {}
    for old, new in mapping.items():
        for a, b in ((old, new), (old.lower(), new.lower()), (old.upper(), new.upper())):
            pairs[a] = b
            pairs[fold_ascii(a)] = fold_ascii(b)
    if not pairs:
        return lambda text: text
    pattern = re.compile(
        r"(?<![\w])("
        + "|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True))
        + r")(?=s?(?![\w]))"
    )
    return lambda text: pattern.sub(lambda m: pairs[m.group(1)], text)


def renamed(mail: Mail, rename: Callable[[str], str]) -> bytes:
    """Every name word, address and header replaced consistently (text, HTML, cards and calendars)."""
    headers = tuple((k, rename(v)) for k, v in mail.headers)
    attachments = tuple(
        replace(a, data=rename(a.data.decode("utf-8")).encode()) if a.maintype == "text" else a
        for a in mail.attachments
    )
    return write(Mail(headers, rename(mail.text), rename(mail.html) if mail.html else None, attachments))


_PRONOUN = re.compile(
    r"\b(han|hon|hen|hans|hennes|honom|henne|de|dem|dom|deras|det|den|detta|dessa|där|då|samma|också|även|he|she"
    r"|they|them|it|this|that|those|also|too)\b",
    re.I,
)


_CLOSING = re.compile(
    r"^(hälsningar|med vänlig|vänliga|bästa|mvh|tack|best|kind|regards|thanks|cheers|/)", re.I
)


# Sentences and paragraphs of a text, with what separates them kept at the odd indexes.
_PIECES = re.compile(r"((?<=[.!?])[ \t]+(?=[A-ZÅÄÖ])|\n\s*\n)")


def swappable(mail: Mail) -> list[int]:
    """Sentences of the new text that stand on their own: not the greeting, not a list, table or an
    introduction to one, no word pointing back to another sentence, no address, before the closing words."""
    pieces = _PIECES.split(mail.text)
    out = []
    for i in range(2, len(pieces), 2):
        stripped = pieces[i].strip()
        if _HISTORY.match(stripped) or stripped.startswith("--") or _CLOSING.match(stripped):
            break  # the signature and what follows it are not the text
        if (
            "\n" in stripped
            or len(stripped) < 15
            or not stripped.endswith((".", "!"))
            or re.match(r"^\s*([-•*]|\d+[.)])\s", stripped)
            or _PRONOUN.search(stripped)
            or "@" in stripped
        ):
            continue
        out.append(i)
    return out


def reordered(mail: Mail, first: int, second: int) -> bytes:
    """Two independent sentences of the new text change places."""
    pieces = _PIECES.split(mail.text)
    pieces[first], pieces[second] = pieces[second], pieces[first]
    return write(replace(mail, text="".join(pieces), html=None))
