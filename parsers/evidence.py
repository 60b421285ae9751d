"""Evidence accounting: what the new text names that the record neither uses nor explains away.

Every address, person-like name, food word and meeting reference in the new text must either be in
the record or be explained by a named rule (greeting, the sender, the organiser and other recipients,
a question, the past, a condition, someone staying as planned). What is left is a Swedish reason that
names it, and the message is flagged: this is what turns an unforeseen kind of mail into a flag
rather than a wrong registration.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parsers import meetings as meeting_refs
from parsers.clause_role import is_request, role
from parsers.diet import diet_in
from parsers.models import MeetingDate
from parsers.people import Mention, Sender
from parsers.text import EMAIL_RE, clauses, fold, sentences

# A greeting or thanks line names the organiser it is written to ("Hej Johanna!", "Tack Eva").
_GREETING = re.compile(r"^\s*(?:hej|hejsan|hallå|hi|hello|dear|kära|tack|god morgon|morgon)\b", re.I)
# People the text names only to say they are unchanged ("Ola och Jenny är fortfarande med").
_UNCHANGED = re.compile(
    r"\b(?:som planerat|som vanligt|som tidigare|fortfarande|kommer ändå|står i kopia|i kopia|as planned"
    r"|still|vi ses|see you)\b",
    re.I,
)
# Words that point at a meeting: the resolver must turn each into meetings, or the clause is unread.
_MEETINGISH = re.compile(
    r"\b(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[a-z]*\b|\b(?:måndag|tisdag|onsdag|torsdag|fredag"
    r"|monday|tuesday|wednesday|thursday|friday)\w*|\b(?:höst|vår|vinter|sommar|autumn|spring|winter)\w*"
    r"|\b(?:första|andra|tredje|fjärde|sista|övriga|resterande|first|second|third|fourth|last|remaining)\b"
    r"|\b(?:träff|tillfälle|möte|meeting)\w*\s+(?:[ivx]+|\d)\b|\b\d{1,2}/\d{1,2}\b|-träff",
    re.I,
)


@dataclass
class Context:
    """What the accounting needs besides the record: who sent and received the message, and when."""

    body: str
    sender: Sender
    recipients: dict[str, str]  # folded display name or address → address, To and Cc
    dates: tuple[MeetingDate, ...]
    sent: dt.date | None
    intent: str


def _snippet(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def unused_addresses(ctx: Context, people: list[Mention]) -> list[str]:
    """Addresses in the new text that are no participant's, not the sender's and not a recipient's."""
    if "@" not in ctx.body:
        return []
    used = {p.email for p in people if p.email} | {ctx.sender.email} | set(ctx.recipients.values())
    out: list[str] = []
    for match in EMAIL_RE.finditer(ctx.body):
        address = match.group(0).lower().strip(".")
        if address not in used and address not in out:
            out.append(address)
    return [f"adress som inte används: {a}" for a in out]


def _explained_line(line: str) -> bool:
    return bool(_GREETING.match(line) or _UNCHANGED.search(line))


def unused_names(ctx: Context, people: list[Mention], mentions: list[Mention]) -> list[str]:
    """Full names in the new text that are no participant, not the sender and not a recipient."""
    known = {fold(p.name) for p in people if p.name} | {fold(n) for n in ctx.sender.names if n}
    known |= {k for k in ctx.recipients if "@" not in k}
    firsts = {fold(p.name).split()[0] for p in people if p.name}
    out: list[str] = []
    for mention in mentions:
        if not mention.name or fold(mention.name) in known:
            continue
        line_start = ctx.body.rfind("\n", 0, max(mention.start, 0)) + 1
        line_end = ctx.body.find("\n", mention.start)
        line = ctx.body[line_start : line_end if line_end >= 0 else len(ctx.body)]
        sentence = next((s for s in sentences(line) if mention.name in s), line)
        if _explained_line(sentence) or not is_request(sentence):
            continue
        if len(mention.name.split()) == 1 and fold(mention.name) in firsts:
            continue
        out.append(f"person som inte används: {mention.name}")
    return out


def unused_food(ctx: Context, people: list[Mention]) -> list[str]:
    """Food needs the text states that no participant carries, and food statements that contradict."""
    given = {d for p in people for d in (p.diet or [])}
    anyone_none = any(p.diet == [] for p in people)
    out: list[str] = []
    for sentence in sentences(ctx.body):
        if not is_request(sentence) and role(sentence) != "past":
            continue
        for clause in clauses(sentence):
            diet = diet_in(clause)
            if diet is None:
                continue
            missing = [d for d in diet if d not in given]
            if missing or (diet == [] and not anyone_none):
                out.append(f"kostuppgift som inte används: {_snippet(clause)}")
    return out


def unused_meetings(ctx: Context, people: list[Mention]) -> list[str]:
    """Meeting references in requests that no participant's meetings bear out, and dates of no meeting."""
    if not ctx.dates or ctx.intent not in {"signup", "cancel", "substitute", "update"}:
        return []
    everyone = {m.number for m in ctx.dates}
    explicit = [set(p.meetings) for p in people if p.meetings is not None]
    out: list[str] = []
    for sentence in sentences(ctx.body):
        for clause in clauses(sentence):
            if not is_request(clause) or _UNCHANGED.search(clause):
                continue
            ref = meeting_refs.reference(clause, ctx.dates, ctx.sent)
            for raw in ref.unknown_dates:
                out.append(f"datum som inte är en träff: {raw}")
            numbers = ref.numbers
            if not ref and _MEETINGISH.search(clause):
                out.append(f"träffhänvisning som inte kunde tolkas: «{_snippet(clause)}»")
            if not numbers or numbers == everyone:
                continue
            negative = meeting_refs.is_negative(clause)
            if ctx.intent in {"signup", "update"} and negative:
                ok = any(not (numbers & chosen) for chosen in explicit)
            else:
                # the whole series does not bear out a clause that names only some meetings
                ok = any(numbers <= chosen != everyone for chosen in explicit)
            if not ok:
                out.append(f"träff som inte används: «{_snippet(clause)}»")
    return out


# Attachments that carry registration data which this parser does not read yet.
_DATA_ATTACHMENT = re.compile(r"\.(?:ics|vcs|vcf)$|^\(kalenderdel\)$", re.I)


def unread(attachments: list[str], forwarded_authors: list[str]) -> list[str]:
    """Evidence outside the new text: calendar and contact attachments, forwarded authors' own mail."""
    reasons = [f"bilaga som inte lästs: {name}" for name in attachments if _DATA_ATTACHMENT.search(name)]
    reasons += [f"vidarebefordrat meddelande från {a}: vem anmäls?" for a in forwarded_authors[:1]]
    return reasons


def unaccounted(ctx: Context, people: list[Mention], mentions: list[Mention]) -> list[str]:
    """Every reason the record leaves some evidence of the new text unused; empty when all is accounted."""
    if ctx.intent not in {"signup", "cancel", "substitute", "update"}:
        return []
    reasons = unused_addresses(ctx, people)
    reasons += unused_names(ctx, people, mentions)
    reasons += unused_food(ctx, people)
    reasons += unused_meetings(ctx, people)
    return list(dict.fromkeys(reasons))
