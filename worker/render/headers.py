"""A mail policy that writes a header as it stands when it needs no encoding, refolding only the rest."""

from __future__ import annotations

from email.policy import EmailPolicy
from typing import Any

# RFC 5322's hard limit; 78 is only a SHOULD, and a long line reads better than Python's folding, which
# can drop the space between two encoded words ("Hållbarasamhällen").
MAX_LINE = 998


class FlatHeaders(EmailPolicy):
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
