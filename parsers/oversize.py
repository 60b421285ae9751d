"""An oversized message cut down to what a person wrote: its headers and text parts; attachments named only.

The mailbox source fetches at most the first `limit` bytes of a message larger than the storage cap
(IMAP partial fetch), so what arrives here may stop in the middle of a part. Headers and text come
first in the mail that people write, so they survive; what was cut is said in a note part and in the
X-Anmalan-Truncated header, so an organiser reading the stored message knows.
"""

from __future__ import annotations

import email
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from parsers.mime import decode_payload

TRUNCATED_HEADER = "X-Anmalan-Truncated"
_DROPPED_HEADERS = {"content-type", "content-transfer-encoding", "mime-version"}


def keep_text(prefix: bytes, *, original_size: int, limit: int) -> bytes:
    """A well-formed message of at most about `limit` bytes from the first bytes of a larger one."""
    message = email.message_from_bytes(prefix)
    texts: list[tuple[str, str]] = []
    names: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if (
            part.get_content_maintype() == "text"
            and not name
            and part.get_content_subtype() in ("plain", "html")
        ):
            texts.append((part.get_content_subtype(), decode_payload(part)))
        else:
            names.append(name or part.get_content_type())
    out = MIMEMultipart("mixed")
    for key, value in message.raw_items():
        if key.lower() not in _DROPPED_HEADERS:
            out[key] = value
    out[TRUNCATED_HEADER] = f"{original_size} bytes, stored {limit}"
    room = limit
    for subtype, text in texts:
        text = text[: max(room, 0)]
        room -= len(text.encode("utf-8"))
        out.attach(MIMEText(text, subtype, "utf-8"))
    mb = original_size / 1_000_000
    note = (
        f"[Meddelandet var {mb:.0f} MB, större än gränsen {limit / 1_000_000:.0f} MB: rubriker och text är "
        f"sparade, bilagorna inte: {', '.join(names) or 'inga namn'}]"
    )
    # An attachment, not a text part: the parser must not read our note as something the sender wrote.
    part = MIMEText(note, "plain", "utf-8")
    part.add_header("Content-Disposition", "attachment", filename="bilagor-som-inte-sparades.txt")
    out.attach(part)
    return out.as_bytes()
