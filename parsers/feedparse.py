"""``email.message_from_bytes`` for the usual shapes of mail, without the stdlib feedparser's per-line cost.

The stdlib's FeedParser is incremental: every line of every part goes through a generator, a deque and a
stack of end-of-part predicates, and that was a sixth of the parser's time. Sign-ups are whole messages
in memory, so this module walks the same grammar over a list of lines and, in a part's body, only looks
at lines that open with "--" (no other line can end a part). It builds the very objects the stdlib does:
the same ``Message`` tree, headers parsed by the stdlib's own ``FeedParser._parse_headers``, the same
payloads, preambles, epilogues and defects (``tests/unit/parsers/test_feedparse.py`` compares the two on
every corpus file and on broken variants of them).

Anything outside the usual shapes — CR line ends, a message/* or multipart/digest part, a multipart
without its boundaries, a stray "From " line — is handed to the stdlib parser
itself, so the answer is always the stdlib's.
"""

from __future__ import annotations

import email
import re
import sys
from bisect import bisect_left
from collections.abc import Callable
from email import errors
from email._policybase import compat32
from email.feedparser import NLCRE, FeedParser, NLCRE_bol, headerRE  # type: ignore[attr-defined]
from email.message import Message

# Checked against the stdlib parser of this version; on another, the stdlib parser is used until it is.
_VERIFIED = sys.version_info[:2] == (3, 11)
# Line breaks str.splitlines knows and the feedparser does not (it splits on CR and LF only); the others
# it knows (\x85, \u2028, \u2029) cannot come out of bytes decoded as ASCII with surrogateescape.
_ODD_BREAKS = ("\r", "\v", "\f", "\x1c", "\x1d", "\x1e")


def _line_end(text: str) -> str:
    """The line break ending the text, as ``NLCRE_eol.search(text).group(0)`` gives it ("" for none).

    That pattern, ``(\\r\\n|\\r|\\n)\\Z``, is searched from the start of the text, so it walks a whole
    part's payload to look at its last two characters.
    """
    if text.endswith("\r\n"):
        return "\r\n"
    return text[-1:] if text.endswith(("\r", "\n")) else ""


class _Fallback(Exception):
    """A shape this module does not reproduce: the stdlib parser reads the message instead."""


def message_from_bytes(raw: bytes) -> Message:
    """The same ``Message`` as ``email.message_from_bytes(raw)`` (compat32), faster for ordinary mail."""
    if _VERIFIED:
        text = raw.decode("ascii", "surrogateescape")
        if not any(brk in text for brk in _ODD_BREAKS):
            try:
                return _Reader(text).message()
            except (_Fallback, RecursionError):  # deep nesting: the stdlib's reader does not recurse
                pass
    return email.message_from_bytes(raw)


class _HeaderTarget:
    """What ``FeedParser._parse_headers`` uses of its parser: the message it fills and the policy."""

    __slots__ = ("_cur", "policy")

    def __init__(self, message: Message) -> None:
        self._cur = message
        self.policy = compat32


# The stdlib's own header-block reader, so names, values, folding and header defects come out as its do.
_PARSE_HEADERS: Callable[[_HeaderTarget, list[str]], None] = getattr(FeedParser, "_parse_headers")  # noqa: B009


class _Reader:
    """One message's lines and a cursor, with the feedparser's stack of end-of-part predicates."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.pos = 0
        self.eof: list[Callable[[str], object]] = []
        # indexes of the lines that may be a boundary (the only lines a part's body has to look at);
        # found when a multipart first needs them
        self.dashes: list[int] | None = None

    def readline(self) -> str:
        """The next line, or "" at the end of the input or of the current part (the line stays unread)."""
        if self.pos >= len(self.lines):
            return ""
        line = self.lines[self.pos]
        if self.eof and line.startswith("--"):
            for at_end in reversed(self.eof):
                if at_end(line):
                    return ""
        self.pos += 1
        return line

    def unreadline(self) -> None:
        self.pos -= 1

    def message(self) -> Message:
        root, ctype = self._part(None, "")
        if ctype.startswith("multipart/") and not root.is_multipart():
            compat32.handle_defect(root, errors.MultipartInvariantViolationDefect())
        return root

    def _part(self, parent: Message | None, parent_type: str) -> tuple[Message, str]:
        """One message or part, headers and body, attached to its parent; and its content type."""
        msg = Message(policy=compat32)
        if parent is not None:
            if parent_type == "multipart/digest":
                raise _Fallback  # its parts default to message/rfc822
            parent.attach(msg)
        headers: list[str] = []
        lines, eof, pos = self.lines, self.eof, self.pos
        while pos < len(lines):  # self.readline() inlined: this loop sees every header line
            line = lines[pos]
            if eof and line.startswith("--") and any(at_end(line) for at_end in eof):
                break  # the end of the part, left unread
            if not headerRE.match(line):
                if NLCRE.match(line):
                    pos += 1  # the blank line after the headers
                else:  # no blank line after the headers: the line is the body's
                    compat32.handle_defect(msg, errors.MissingHeaderBodySeparatorDefect())
                break
            if line.startswith("From "):
                raise _Fallback  # an envelope line: the stdlib may push it back into the body
            headers.append(line)
            pos += 1
        self.pos = pos
        _PARSE_HEADERS(_HeaderTarget(msg), headers)
        ctype = msg.get_content_type()  # get_content_maintype() is its part before "/"
        if ctype.startswith("message/"):  # message/rfc822, message/delivery-status, ...
            raise _Fallback
        if ctype.startswith("multipart/"):
            self._multipart(msg, ctype)
        else:
            msg.set_payload(self._body())
        return msg, ctype

    def _body(self) -> str:
        """The rest of the current part: up to the first line an end-of-part predicate accepts."""
        start = self.pos
        end = len(self.lines)
        if self.eof:
            if self.dashes is None:
                self.dashes = [i for i, line in enumerate(self.lines) if line.startswith("--")]
            for i in self.dashes[bisect_left(self.dashes, start) :]:
                line = self.lines[i]
                if any(at_end(line) for at_end in self.eof):
                    end = i
                    break
        self.pos = end
        return "".join(self.lines[start:end])

    def _multipart(self, msg: Message, ctype: str) -> None:
        boundary = msg.get_boundary()
        if boundary is None:
            raise _Fallback
        if str(msg.get("content-transfer-encoding", "8bit")).lower() not in ("7bit", "8bit", "binary"):
            compat32.handle_defect(msg, errors.InvalidMultipartContentTransferEncodingDefect())
        separator = "--" + boundary
        boundaryre = re.compile(
            "(?P<sep>" + re.escape(separator) + r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
        )
        capturing_preamble = True
        preamble: list[str] = []
        linesep: str | None = None
        close_boundary_seen = False
        while True:
            line = self.readline()
            if line == "":
                break
            mo = boundaryre.match(line)
            if not mo:
                if not capturing_preamble:
                    raise _Fallback  # the stdlib asserts here
                preamble.append(line)
                continue
            if mo.group("end"):
                close_boundary_seen = True
                linesep = mo.group("linesep")
                break
            if capturing_preamble:
                if preamble:
                    lastline = preamble[-1]
                    eol = _line_end(lastline)
                    if eol:
                        preamble[-1] = lastline[: -len(eol)]
                    msg.preamble = "".join(preamble)
                capturing_preamble = False
                self.unreadline()
                continue
            # consecutive boundary lines open one part
            while True:
                line = self.readline()
                if line == "":
                    raise _Fallback  # the stdlib pushes back an empty line here
                if not boundaryre.match(line):
                    self.unreadline()
                    break
            self.eof.append(boundaryre.match)
            last, last_type = self._part(msg, ctype)
            # RFC 2046: the line break before a boundary belongs to the boundary
            if last_type.startswith("multipart/"):
                epilogue = last.epilogue
                if epilogue == "":
                    last.epilogue = None
                elif epilogue is not None:
                    eol = _line_end(epilogue)
                    if eol:
                        last.epilogue = epilogue[: -len(eol)]
            else:
                payload = last._payload  # type: ignore[attr-defined]
                if isinstance(payload, str):
                    eol = _line_end(payload)
                    if eol:
                        last._payload = payload[: -len(eol)]  # type: ignore[attr-defined]
            self.eof.pop()
        if capturing_preamble or not close_boundary_seen:
            raise _Fallback  # a missing start or end boundary: defects the stdlib records its own way
        rest = [""] if linesep else []
        while True:
            line = self.readline()
            if line == "":
                break
            rest.append(line)
        if rest:
            bolmo = NLCRE_bol.match(rest[0])
            if bolmo:
                rest[0] = rest[0][len(bolmo.group(0)) :]
        msg.epilogue = "".join(rest)
