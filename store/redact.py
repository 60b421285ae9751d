"""Finding and blotting out one person in stored text and mail: what `anmalan forget` erases (GDPR art. 17).

A stored mail names a person in many encodings: quoted-printable or base64 bodies, RFC 2047 headers,
an xlsx (a zip) or csv attached to a digest. So a mail is searched part by part, decoded; a mail that
names the person is dropped whole (its raw bytes cannot be edited safely), while short texts (subjects,
review lines, parsed records) keep their other content with the person replaced by FORGOTTEN.
"""

from __future__ import annotations

import email
import io
import re
import zipfile
from collections.abc import Iterable
from email.message import Message
from typing import Any

from parsers.mime import header_text

FORGOTTEN = "[glömd]"
_MIN_NEEDLE = 5  # "Eva" alone would blot out every "Evald"; a name that short is searched only in full
_ZIP_MEMBER_LIMIT = 20_000_000  # an xlsx of our own digest is small; a zip bomb is not read past this


def needles(address: str, names: Iterable[str | None]) -> list[str]:
    """What names the person, case-folded: the address, and each full name both ways round ("Lindqvist
    Karin" is how Outlook writes a display name)."""
    found = {address.strip().casefold()}
    for name in names:
        words = (name or "").split()
        if len(words) >= 2:
            found.add(" ".join(words).casefold())
            found.add(" ".join([*words[1:], words[0]]).casefold())
        elif words and len(words[0]) >= _MIN_NEEDLE:
            found.add(words[0].casefold())
    return sorted((n for n in found if len(n) >= _MIN_NEEDLE), key=len, reverse=True)


def names(text: str | None, wanted: list[str]) -> bool:
    """Does the text name the person (whitespace and line breaks between words do not matter)?"""
    if not text:
        return False
    flat = " ".join(text.split()).casefold()
    return any(n in flat for n in wanted)


def scrub(text: str, wanted: list[str]) -> str:
    """The text with every mention of the person replaced by FORGOTTEN."""
    for needle in wanted:
        words = [re.escape(w) for w in needle.split()]
        text = re.sub(r"\s+".join(words), FORGOTTEN, text, flags=re.IGNORECASE)
    return text


def scrub_json(value: Any, wanted: list[str]) -> Any:
    """A parsed record or other JSON value with the person replaced by FORGOTTEN in every string."""
    if isinstance(value, str):
        return scrub(value, wanted)
    if isinstance(value, list):
        return [scrub_json(v, wanted) for v in value]
    if isinstance(value, dict):
        return {k: scrub_json(v, wanted) for k, v in value.items()}
    return value


def mail_names(raw: bytes | None, wanted: list[str]) -> bool:
    """Does a stored mail name the person anywhere: raw bytes, decoded headers, any decoded part, any file
    inside an attached zip (xlsx)?"""
    if not raw:
        return False
    if any(n.encode("utf-8") in raw.lower() for n in wanted):
        return True
    try:
        message = email.message_from_bytes(raw)
    except Exception:
        return True  # unreadable: cannot be shown to be free of the person, so it goes
    return any(names(text, wanted) for text in _texts(message))


def _texts(message: Message) -> Iterable[str]:
    for part in message.walk():
        for key in ("From", "To", "Cc", "Reply-To", "Subject"):
            yield header_text(part, key)
        if part.is_multipart():
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            continue
        if not isinstance(payload, bytes):
            continue
        yield _as_text(payload)
        if payload[:2] == b"PK":
            yield from _zip_texts(payload)


def _zip_texts(data: bytes) -> Iterable[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.file_size <= _ZIP_MEMBER_LIMIT:
                    # xlsx keeps names in XML: "&amp;" and the like do not occur in a person's name
                    yield _as_text(archive.read(info))
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return


def _as_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")
