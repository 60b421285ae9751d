"""Who is writing when a mail is forwarded: the forwarded author signs up, with their own organisation.

An assistant, a colleague or the organiser herself forwards a participant's own mail ("Vidarebefordrar
nedan från vårt kommunalråd ...", "Monica bad mig skicka vidare det här"). The author of the forwarded
mail is then the one signing up; the forwarder is only the messenger. Mail quoted from the organiser's
side (the registration mailbox's domain) is the invitation, not a sign-up.
"""

from __future__ import annotations

import re

from parsers.diet import diet_in
from parsers.mime import Decoded
from parsers.models import Diet
from parsers.reply import Forwarded, Split, split
from parsers.text import EMAIL_RE, NAME_RE, fold, sentences

_FORWARD_SUBJECT = re.compile(r"^\s*(?:(?:vb|fw|fwd|vs|wg|tr)\s*:\s*)+", re.I)
_FORWARD_WORDS = re.compile(
    r"\b(?:vidarebefordr\w*|skicka\w*\s+vidare|skickar\s+\w+\s+vidare|forward\w*)\b", re.I
)


def _domain(address: str | None) -> str:
    return (address or "@").rsplit("@", 1)[1].lower()


def author_mail(decoded: Decoded, parts: Split) -> Forwarded | None:
    """The forwarded mail of someone else that the sender passes on as theirs to read, if there is one."""
    if not parts.quoted or not (_FORWARD_SUBJECT.match(decoded.subject) or _FORWARD_WORDS.search(parts.body)):
        return None
    organiser = {a.lower() for _, a in decoded.to if a}
    organiser_side = {_domain(a) for a in organiser}
    first = parts.quoted[0]
    forwarder = (decoded.sender or "").lower()
    if not first.sender or first.sender.lower() == forwarder:
        return None
    if first.sender.lower() in organiser:
        return None  # our own confirmation or answer, passed back
    if _domain(first.sender) in organiser_side and not _colleague_to_forwarder(
        first, forwarder, organiser_side
    ):
        return None  # the invitation or an answer from the organiser's own side
    if _passes_ours_on(first, organiser):
        return None
    return first


def _passes_ours_on(first: Forwarded, organiser: set[str]) -> bool:
    """Is the forwarded mail only a colleague passing our own mail on ("FYI, kolla att allt stämmer!")?

    The sender then writes about it in their own name: "Petter skickade vidare bekräftelsen till mig. Min
    adress är felstavad …" is Jenny's change, not Petter's.
    """
    inner = split(first.text, ())
    below = inner.quoted[0].sender if inner.quoted else None
    own = inner.body.strip()
    return bool(below and below.lower() in organiser and len(own) < 200 and not _OWN_CONTENT.search(own))


# What a pass-on note does not say: a registration's own words
_OWN_CONTENT = re.compile(
    r"anmäl|avboka|avanmäl|återbud|träff|kost|allergi|vegetar|plats|ställe|ersätt|register|cancel|meeting",
    re.I,
)


def _colleague_to_forwarder(first: Forwarded, forwarder: str, organiser_side: set[str]) -> bool:
    """A colleague at the organiser's own organisation who wrote to the forwarder (a region's staff take
    part too): the domain says nothing there, the quoted mail's To does."""
    return _domain(forwarder) in organiser_side and forwarder in first.recipients


# An invitation to some event: its own registration call or welcome, as a mailing or a calendar would say it
_INVITATION = re.compile(
    r"\b(?:anmäl\s+dig|anmälan\s+(?:görs|sker)|välkommen\s+till|inbjudan\s+till|register\s+(?:now|here)"
    r"|you\s+are\s+invited|welcome\s+to)\b",
    re.I,
)


def is_invitation(text: str) -> bool:
    """Is the forwarded author's own text an invitation (to another event), not a participant writing?"""
    return bool(_INVITATION.search(text[:3000]))


# The messenger signs up too: "Anmäl gärna mig också", "jag vill också vara med"
_MESSENGER_TOO = re.compile(
    r"\banmäl\w*\s+(?:gärna\s+|även\s+|också\s+)*(?:mig|mej|oss)\b"
    r"|\b(?:jag|vi)\s+(?:vill\s+|kommer\s+|skulle\s+vilja\s+)?(?:också|även|gärna\s+också)\s+(?:anmäla|delta|vara\s+med|komma)"
    r"|\bäven\s+jag\b|\bjag\s+också\b|\b(?:register|sign\s+up)\s+me\b",
    re.I,
)


def messenger_too(messenger_text: str) -> bool:
    """Does the one who forwards a participant's mail ask to be signed up as well? Then it is not theirs alone."""
    return bool(_MESSENGER_TOO.search(messenger_text))


# The forwarded author says they are registered already ("Nu har jag anmält mig", "I have registered") and
# asks nothing themself: their mail is the reason the forwarder writes, not a sign-up
_ALREADY_REGISTERED = re.compile(
    r"\b(?:jag|vi)\s+har\s+(?:nu\s+|redan\s+)?anmält\s+(?:mig|oss)\b|\bhar\s+(?:jag|vi)\s+(?:nu\s+|redan\s+)?anmält"
    r"\s+(?:mig|oss)\b|\bI(?:'ve|\s+have)\s+(?:now\s+|already\s+)?registered\b",
    re.I,
)
_AUTHOR_ASKS = re.compile(
    r"\banmäl(?:er|a)?\s+(?:gärna\s+)?(?:mig|oss)\b|\bvill\s+(?:gärna\s+)?(?:delta|vara\s+med|anmäla)"
    r"|\b(?:register|sign\s+up)\s+(?:me|us)\b|\bI(?:'d|\s+would)\s+like\b",
    re.I,
)


def author_already_registered(author_text: str) -> bool:
    """Does the forwarded author only say they are registered already, asking nothing for themself?"""
    text = author_text[:3000]
    return bool(_ALREADY_REGISTERED.search(text)) and not _AUTHOR_ASKS.search(text)


_LIST_ITEM = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+\S", re.M)


def only_sends_forwarder(author_text: str) -> bool:
    """Does the forwarded author only ask the forwarder to go ("kan du gå på det här för vår del?"), asking
    nothing for themself and naming no one by name, list or address? Then the forwarder's own sign-up counts."""
    own = split(author_text).body[:3000]
    return not (_AUTHOR_ASKS.search(own) or "@" in own or _LIST_ITEM.search(own) or NAME_RE.search(own))


_PRONOUN_START = re.compile(r"^\W*(?:han|hon|hen|he|she)\b", re.I)


def messenger_food(messenger_text: str, author_names: tuple[str, ...]) -> list[Diet] | None:
    """A food need the messenger states of the forwarded author ("Per äter inte fläskkött", "Hon är vegan")."""
    firsts = {fold(n).split()[0] for n in author_names if n}
    for sentence in sentences(messenger_text):
        words = set(fold(sentence).split())
        if not (words & firsts or _PRONOUN_START.match(sentence)):
            continue
        found = diet_in(sentence)
        if found is not None:
            return found
    return None


def messenger_registers(messenger_text: str, author: str | None, forwarder: str | None) -> bool:
    """Does the messenger's own text give someone else's address ("Daniels e-post är …")?

    Then the messenger writes the registration, and the forwarded mail only asked for it ("kan du anmäla
    Daniel?"): the forwarded author is not the one signing up.
    """
    own = {(author or "").lower(), (forwarder or "").lower()}
    return any(m.group(0).lower().strip(".") not in own for m in EMAIL_RE.finditer(messenger_text))


# The messenger takes the author's place: "jag går i Annelie Strands ställe på träff 4", "jag tar över hennes plats"
_MESSENGER_COMES_IN = re.compile(
    r"\bjag\s+(?:går|kommer|tar|åker|deltar)\s+(?:\w+\s+){0,2}?"
    r"(?:i\s+(?:\S+\s+)?\S+\s+ställe\b|i\s?stället\b|över\s+(?:hennes|hans|\S+s)\s+plats)"
    r"|\bI\s+(?:will\s+)?(?:go|attend|come)\s+(?:\w+\s+){0,2}?(?:in\s+\S+\s+place|instead)\b",
    re.I,
)


def messenger_comes_in(messenger_text: str) -> bool:
    """Does the messenger say they take the forwarded author's place (so the messenger is the one who comes)?"""
    return bool(_MESSENGER_COMES_IN.search(messenger_text))
