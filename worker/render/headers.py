"""Mail policies that handle each header once: parsed once per process, written as it stands when it can be."""

from __future__ import annotations

from email.policy import EmailPolicy
from typing import Any

_parsed: dict[tuple[str, str], Any] = {}


class OnceParsed(EmailPolicy):
    """policy.default, but a header value already seen is not parsed again. Header objects are immutable,
    and most of ours repeat in every mail (the parts' Content-Type, Content-Transfer-Encoding, the
    .ics Content-Disposition, From, Auto-Submitted), while the stdlib parses each one on every assignment."""

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        if not isinstance(value, str) or hasattr(value, "name"):
            return super().header_store_parse(name, value)
        key = (name, value)
        found = _parsed.get(key)
        if found is None:
            if len(_parsed) > 4096:  # Date, Message-ID and boundaries never repeat: keep the memory flat
                _parsed.clear()
            found = _parsed[key] = super().header_store_parse(name, value)
        return found


# RFC 5322's hard limit; 78 is only a SHOULD, and a long line reads better than Python's folding, which
# can drop the space between two encoded words ("Hållbarasamhällen").
MAX_LINE = 998


class FlatHeaders(OnceParsed):
    """policy.SMTP, but a header of plain ASCII on one line short enough is written as is. The stdlib
    re-parses and refolds every header on every generation (about 20 ms a mail); ours are built by us,
    so only the few with non-ASCII text (subject, names) need that work, which makes their encoded words."""

    def fold(self, name: str, value: Any) -> str:
        flat = _flat(name, value, self.linesep)
        return flat if flat is not None else super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        flat = _flat(name, value, self.linesep)
        return flat.encode("ascii") if flat is not None else super().fold_binary(name, value)


def _flat(name: str, value: Any, linesep: str) -> str | None:
    text = str(value)
    # "=?" would read as an encoded word; CR/LF would end the header: those take the careful path.
    if (
        not text.isascii()
        or "=?" in text
        or "\r" in text
        or "\n" in text
        or len(name) + 2 + len(text) > MAX_LINE
    ):
        return None
    return f"{name}: {text}{linesep}"


FLAT_SMTP = FlatHeaders(linesep="\r\n", max_line_length=MAX_LINE)
# What the parts are built with: policy.default's line length and 8bit choices, so bodies encode as before.
ONCE_PARSED = OnceParsed()
