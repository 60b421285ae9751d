"""The parser's conductor: decode, split off history, classify, find people, organisation, meetings, diet."""

from __future__ import annotations

import re

from parsers import assign, attachments, row_people
from parsers.autoreply import is_auto_reply, is_bulk
from parsers.bounce import failed_addresses, looks_like_bounce
from parsers.diet import diet_in
from parsers.intent import classify
from parsers.mime import Decoded, decode
from parsers.models import MeetingDate, ParsedMessage, Person
from parsers.organisation import decide, text_spans
from parsers.people import Mention, Sender, directory, display_name, find_mentions, sender_identity
from parsers.reply import Split, split
from parsers.roles import role_of
from parsers.structure import read_structure, unwrap
from parsers.text import fold

NEW_TEXT_LIMIT = 4000
# Telltale words of each language, counted over the words of the text (one scan, then set lookups).
_ENGLISH = frozenset(["the", "and", "would", "like", "please", "regards", "my", "to", "for", "with", "thank"])
_SWEDISH = frozenset(
    ["och", "jag", "att", "till", "för", "med", "det", "är", "vill", "på", "hej", "inte", "mig", "vi"]
)
_I_AM = re.compile(r"\bi am\b", re.I)
_WORD = re.compile(r"\w+")
_CONFIRMATION_REPLY = re.compile(r"^\s*(sv|re|aw|svar)\s*:.*bekräft", re.I)


def parse_message(raw: bytes, meetings: tuple[MeetingDate, ...]) -> ParsedMessage:
    """Parse one message; never raises. Anything not understood is flagged with a Swedish reason."""
    try:
        return _parse(raw, meetings)
    except Exception:
        out = ParsedMessage()
        out.flag("Meddelandet kunde inte tolkas automatiskt")
        return out


def _envelope(decoded: Decoded) -> ParsedMessage:
    return ParsedMessage(
        sender=decoded.sender,
        sender_name=decoded.sender_name,
        reply_to=decoded.reply_to,
        sender_verified=decoded.sender_verified,
        recipients=list(dict.fromkeys(a.lower() for _, a in decoded.to + decoded.cc + decoded.resent if a)),
        subject=decoded.subject,
        message_id=decoded.message_id,
        in_reply_to=decoded.in_reply_to,
        attachments=decoded.attachments,
    )


def _language(text: str) -> str:
    sample = text[:2000]
    words = _WORD.findall(sample.lower())
    english = sum(map(_ENGLISH.__contains__, words)) + (len(_I_AM.findall(sample)) if "am" in words else 0)
    swedish = sum(map(_SWEDISH.__contains__, words))
    return "en" if english > 2 * swedish + 1 else "sv"


def _own_content(decoded: Decoded, parts: Split, names: tuple[str, ...]) -> tuple[str, list[str]]:
    """New text plus a forwarded message the sender wrote themself (a forwarded sign-up is content)."""
    body, signature = parts.body, list(parts.signature)
    sender_domain = (decoded.sender or "@").split("@", 1)[1]
    for quoted in parts.quoted:
        same = quoted.sender and (
            quoted.sender == decoded.sender or quoted.sender.split("@", 1)[1] == sender_domain
        )
        if quoted.forward and same:
            inner = split(quoted.text, names)
            body = f"{body}\n\n{inner.body}".strip()
            signature = signature + inner.signature
    return body, signature


def _parse(raw: bytes, meetings: tuple[MeetingDate, ...]) -> ParsedMessage:
    try:
        decoded = decode(raw)
    except Exception:
        out = ParsedMessage()
        out.flag("Meddelandet kunde inte avkodas")
        return out
    out = _envelope(decoded)
    for problem in decoded.problems:
        out.flag(problem)

    if looks_like_bounce(decoded):
        failures = failed_addresses(decoded)
        if failures.permanent or failures.temporary or decoded.content_type == "multipart/report":
            out.intent = "bounce"
            out.bounced = failures.permanent
            out.review_reasons = [r for r in out.review_reasons if "MIME" not in r]
            out.needs_review = bool(out.review_reasons)
            if not failures.permanent:
                out.flag(
                    "Studsmeddelande utan permanent misslyckad adress (tillfälligt fel eller okänt format)"
                )
            out.new_text = decoded.text[:NEW_TEXT_LIMIT]
            return out

    from_name = display_name(decoded.sender_name, decoded.sender)
    names = tuple(n for n in (from_name, decoded.sender_name) if n)
    parts = split(decoded.text, names)
    out.new_text = parts.new_text[:NEW_TEXT_LIMIT]
    out.language = "en" if _language(parts.body) == "en" else "sv"
    body, signature = _own_content(decoded, parts, names)
    body = unwrap(body)  # the words read the same however the client wrapped the lines
    sender = sender_identity(decoded.sender, decoded.sender_name, signature, body)
    card = attachments.card_of(decoded.cards, sender.email, sender.names)
    if card is not None:  # the sender's own business card: its title and address are theirs
        sender.role = sender.role or role_of(card.title or "")
        sender.email = card.email or sender.email

    org = decide(body, signature, decoded.sender)
    out.organisation = org.organisation

    if is_auto_reply(decoded, parts.new_text):
        out.intent = "auto_reply"
        return out
    if is_bulk(decoded):
        out.intent = "other"
        return out

    guess = classify(body, decoded.subject)
    intent = guess.intent
    # an answer to our confirmation that gives food needs or meetings changes the registration
    if (
        _CONFIRMATION_REPLY.search(decoded.subject)
        and intent in {"other", "question"}
        and (diet_in(body) is not None or re.search(r"\bträff", body, re.I))
    ):
        intent = "update"
        guess.uncertain = True
        guess.reason = "Svar på bekräftelse tolkat som ändring"
    if intent in {"other", "question"} and not body.strip():
        intent = attachments.calendar_intent(decoded.calendar) or intent
    out.intent = intent
    if guess.uncertain and guess.reason:
        out.flag(guess.reason)
    if intent in {"question", "other"}:
        return out

    known = directory(decoded.to + decoded.cc, [q.text for q in parts.quoted])
    # rows of a table or list are people with their own cells; the words are read in the prose left over
    structure = read_structure(body, decoded.html)
    prose = structure.prose
    mentions = row_people.mentions(structure.rows, meetings, decoded.date, intent)
    mentions += find_mentions(prose, text_spans(prose), decoded.cc)
    people = assign.participants(intent, prose, sender, mentions, known, out)
    assign.diets(prose, people, sender, out)
    assign.meetings(intent, prose, people, sender, meetings, decoded.date, out)
    _calendar_decides(decoded, people, sender, meetings, out)
    out.people = [_person(p, sender, intent) for p in people]

    if org.organisation is None:
        out.flag("Kunde inte avgöra vilken organisation anmälan gäller")
    elif org.uncertain:
        out.flag("Osäkert vilken organisation anmälan gäller")
    if not out.people:
        out.flag("Hittade ingen person i meddelandet")
    for person in out.people:
        if not person.email:
            out.flag(f"E-postadress saknas för {person.name or 'en deltagare'}")
        if not person.name:
            out.flag("Namn saknas för en deltagare")
    if intent == "substitute" and any(not p.replaces for p in out.people):
        out.flag("Oklart vem som ersätts")
    return out


def _calendar_decides(
    decoded: Decoded,
    people: list[Mention],
    sender: Sender,
    meetings: tuple[MeetingDate, ...],
    out: ParsedMessage,
) -> None:
    """A calendar reply or request names its meeting by DTSTART; text that names another one is flagged."""
    chosen = attachments.calendar_meetings(decoded.calendar, meetings)
    if not chosen:
        return
    if not people and attachments.calendar_intent(decoded.calendar):
        # a bare calendar answer is the sender's own
        people.append(Mention(sender.name, sender.email, sender.role, qualified=True, is_sender=True))
    for person in people:
        if person.meetings is None:
            person.meetings = list(chosen)
        elif sorted(person.meetings) != chosen:
            out.flag("Kalenderbilagan och texten anger olika träffar")


def _person(mention: Mention, sender: Sender, intent: str) -> Person:
    return Person(
        name=mention.name,
        email=mention.email,
        role=mention.role,
        meetings=mention.meetings,
        diet=mention.diet,
        replaces=mention.replaces,
    )


__all__ = ["fold", "parse_message"]
