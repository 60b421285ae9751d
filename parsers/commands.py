"""Organiser commands in a reply to the digest: one per line, Swedish with English aliases. Pure."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CommandName = Literal["approve", "reject", "cancel", "waitlist", "answer", "list", "help", "unknown"]

# Keys are written without diacritics and upper-case: a keyword is folded the same way before lookup,
# so "Godkänn", "GODKANN" and "godkänn:" all land here.
_KEYWORDS: dict[str, CommandName] = {
    "GODKANN": "approve",
    "GODKAN": "approve",
    "APPROVE": "approve",
    "NEKA": "reject",
    "AVSLA": "reject",
    "REJECT": "reject",
    "DECLINE": "reject",
    "AVANMAL": "cancel",
    "AVBOKA": "cancel",
    "CANCEL": "cancel",
    "VANTELISTA": "waitlist",
    "VANTLISTA": "waitlist",
    "WAITLIST": "waitlist",
    "SVARA": "answer",
    "SVAR": "answer",
    "ANSWER": "answer",
    "REPLY": "answer",
    "LISTA": "list",
    "LISTOR": "list",
    "LIST": "list",
    "HJALP": "help",
    "HELP": "help",
    "?": "help",
}

# Commands that name registrations: every further word is a reference ("GODKÄNN K7M2QX, P3R4TT").
_REF_COMMANDS = {"approve", "cancel", "waitlist"}

# Bullets and list numbering an organiser (or Outlook's auto-format) puts in front of a line.
_BULLET = re.compile(r"^(?:[-*•·–—]+\s*|\d{1,2}[.)]\s+)+")
# Where the quoted digest begins in programs that quote without ">": stop reading there.
_HISTORY = re.compile(
    r"^(?:-{2,}\s*(?:original message|ursprungligt meddelande|vidarebefordrat meddelande)"
    r"|-- ?$"
    r"|_{5,}"
    r"|(?:från|from|skickat|sent)\s*:"
    r"|(?:den|on)\s.+\s(?:skrev|wrote)\b.*:$)",
    re.IGNORECASE,
)
# A closing line: what follows is the signature (name, title, organisation), not commands.
_CLOSING = re.compile(
    r"^(?:(?:(?:med\s+)?(?:vänlig|vänliga|bästa|varma)\s+hälsning(?:ar)?|hälsning(?:ar)?|mvh|vh"
    r"|(?:best|kind|warm)\s+regards|regards)(?:[\s,.!/]+[\w-]+(?:\s+[\w-]+)?)?"
    r"|(?:tack|thanks|cheers)?[\s,.!]*/\s*[\w-]+"
    r"|tack|thanks|cheers|skickat från min \w+|sent from my \w+)[\s,.!]*$",
    re.IGNORECASE,
)


class Command(BaseModel):
    """One line of an organiser's reply, understood: `args` are references, or [nr, text], or [ref, reason]."""

    model_config = ConfigDict(frozen=True)

    name: CommandName
    args: list[str] = Field(default_factory=list)
    line: str  # the line as written, for the answer ("GODKÄNN K7M2QX: klart")


def _fold(word: str) -> str:
    """Upper-case without diacritics: "Väntelista" -> "VANTELISTA"."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _clean_ref(token: str) -> str:
    # People paste references as "[K7M2-QX4P-9TRZ8]", "K7M2-QX4P-9TRZ8," or "ref:K7M2-QX4P-9TRZ8".
    token = token.strip("[](){}<>.,;:!\"'").upper()
    prefixed = re.match(r"^REF[:.]?([0-9A-Z][0-9A-Z-]{5,15})$", token)
    return prefixed[1] if prefixed else token


def parse_line(line: str) -> Command | None:
    """One line as a command, or None when it says nothing (empty, or a quoted line)."""
    text = line.strip()
    if not text or text.startswith(">"):
        return None
    text = _BULLET.sub("", text).strip()
    if not text:
        return None
    head, _, rest = text.partition(" ")
    # "GODKÄNN:K7M2QX" and "HJÄLP:" both split on the colon too.
    if ":" in head:
        head, _, after = head.partition(":")
        rest = f"{after} {rest}".strip()
    name = _KEYWORDS.get(_fold(head.rstrip(".!")))
    rest = rest.strip().lstrip(":").strip()
    if name is None:
        return Command(name="unknown", line=line.strip())
    if name in _REF_COMMANDS:
        args = [_clean_ref(t) for t in re.split(r"[\s,;]+", rest) if _clean_ref(t)]
    elif name == "reject":
        ref, _, reason = rest.partition(" ")
        reason = reason.strip().lstrip(":-–").strip()
        args = [a for a in (_clean_ref(ref), reason) if a]
    elif name == "answer":
        # "SVARA 3 text", "SVARA #3: text", "SVARA nr 3 text"
        match = re.match(r"^(?:nr\.?\s*)?#?(\d+)[.:)]?\s*(.*)$", rest, re.IGNORECASE | re.DOTALL)
        args = [match[1], match[2].strip()] if match else ([rest] if rest else [])
    else:
        args = []
    return Command(name=name, args=args, line=line.strip())


def parse_commands(new_text: str) -> list[Command]:
    """Every command in the new part of a reply, in order; unknown non-empty lines become name="unknown"."""
    commands: list[Command] = []
    for line in (new_text or "").splitlines():
        if _HISTORY.match(line.strip()) or _CLOSING.match(line.strip()):
            break
        command = parse_line(line)
        if command is not None:
            commands.append(command)
    return commands
