"""The parser's conductor: decode, split off history, classify, find people, organisation, meetings, diet."""

from __future__ import annotations

import re

from parsers import assign, attachments, evidence, forwarded, junk, lexicon, row_people
from parsers import meetings as meeting_refs
from parsers.autoreply import is_auto_reply, is_bulk, is_challenge
from parsers.bounce import Bounce, looks_like_bounce, read_bounce
from parsers.clause_role import sentence_pieces as clause_pieces
from parsers.diet import diet_in
from parsers.intent import QUESTION, IntentGuess, answering_confirmation, classify
from parsers.mime import Decoded, decode
from parsers.models import MeetingDate, ParsedMessage, Person
from parsers.organisation import decide, employers, of_address, text_spans
from parsers.people import (
    Mention,
    Sender,
    by_pattern,
    cc_colleagues,
    directory,
    display_name,
    find_mentions,
    is_mailbox,
    mailbox_writer,
    quoted_names,
    quoted_roles,
    role_by_predicate,
    sender_identity,
    with_writer,
)
from parsers.reply import Split, split
from parsers.roles import role_of
from parsers.structure import read_structure, unwrap
from parsers.text import NAME_RE, fold, sentences

NEW_TEXT_LIMIT = 4000
# the messenger names the forwarded author by title: "nedan från vår kommundirektör", "from our mayor"
_FROM_OUR = re.compile(r"\b(?:från|ifrån|from)\s+(?:vår|vårt|våran|min|mitt|our|my)\s+([\w-]+)", re.I)
# Telltale words of each language, counted over the words of the text (one scan, then set lookups).
_ENGLISH = frozenset(["the", "and", "would", "like", "please", "regards", "my", "to", "for", "with", "thank"])
_SWEDISH = frozenset(
    ["och", "jag", "att", "till", "för", "med", "det", "är", "vill", "på", "hej", "inte", "mig", "vi"]
)
_I_AM = re.compile(r"\bi am\b", re.I)
_WORD = re.compile(r"\w+")
_READ_RECEIPT = re.compile(rb"(?i)report-type=\"?disposition-notification")
# A calendar part (an invitation's answer) sits inside multipart/alternative without a file name.
_CALENDAR_PART = re.compile(rb"(?i)content-type:\s*text/calendar")
_CALENDAR_NAME = re.compile(r"(?i)\.(?:ics|vcs)$")
_CARD_NAME = re.compile(r"(?i)\.vcf$")
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
        auth_results=decoded.auth_results,
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
    # -- machine mail: one line ending, so LF, CRLF and CR-only mail read alike (nested reports differ otherwise)
    raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    # -- end of machine mail
    try:
        decoded = decode(raw)
    except Exception:
        out = ParsedMessage()
        out.flag("Meddelandet kunde inte avkodas")
        return out
    out = _envelope(decoded)
    for problem in decoded.problems:
        out.flag(problem)
    if decoded.several_senders:
        out.intent = "other"  # for an organiser to read; never answered, never acted on
        return out

    # a read receipt (RFC 8098) is an automatic answer, not a failure, unless it names failed addresses
    head = raw[:4096]
    # the literal first: a case-insensitive bytes pattern is a slow scan, and few messages are receipts
    receipt = b"disposition-notification" in head.lower() and _READ_RECEIPT.search(head) is not None
    # -- machine mail (parsers/bounce.py, parsers/autoreply.py): reports are read before any person's words
    if is_challenge(decoded):
        out.new_text = decoded.text[:NEW_TEXT_LIMIT]
        return out  # "other": never answered, never a registration
    if looks_like_bounce(decoded):
        report = read_bounce(decoded)
        out.returned_message_ids = report.returned_message_ids
        if report.kind is not None and not (receipt and not report.permanent):
            return _machine(out, decoded, report)
    # -- end of machine mail

    if receipt:
        out.intent = "auto_reply"
        out.new_text = decoded.text[:NEW_TEXT_LIMIT]
        return out
    from_name = display_name(decoded.sender_name, decoded.sender)
    names = tuple(n for n in (from_name, decoded.sender_name) if n)
    parts = split(decoded.text, names)
    out.new_text = parts.new_text[:NEW_TEXT_LIMIT]
    out.language = "en" if _language(parts.body) == "en" else "sv"
    body, signature = _own_content(decoded, parts, names)
    # a participant's own mail forwarded by someone else: its author is the one who writes
    author = forwarded.author_mail(decoded, parts)
    settled = None  # a forwarded author registered already, whose mail only explains the forwarder's
    if (
        author is not None
        and forwarded.messenger_too(parts.body)
        and (forwarded.author_already_registered(author.text) or forwarded.only_sends_forwarder(author.text))
    ):
        # the author registered already, or only asks the forwarder to go ("kan du gå på det här för vår del?")
        settled, author = author.sender, None
    if author is not None and (
        forwarded.messenger_registers(parts.body, author.sender, decoded.sender)
        or forwarded.messenger_comes_in(parts.body)
    ):
        # "kan du anmäla Daniel?" forwarded and the messenger gives Daniel's address; "jag går i hennes ställe"
        author = None
    writer, writer_name = decoded.sender, decoded.sender_name
    if author is not None:
        inner = split(author.text, _author_names(author.sender_name, author.sender))
        body, signature = inner.body, inner.signature
        writer, writer_name = author.sender, author.sender_name
    body = unwrap(body)  # the words read the same however the client wrapped the lines
    body = lexicon.correct(body)
    sender = sender_identity(writer, writer_name, signature, body)
    if author is not None and sender.role is None:
        # the messenger often says who the author is ("vårt kommunalråd Göran Frost")
        sender.role = next(
            (m.role for m in find_mentions(parts.body, text_spans(parts.body), []) if m.name in sender.names),
            None,
        )
        # "Vidarebefordrar nedan från vår kommundirektör": the title alone, with no name after it
        said = _FROM_OUR.search(parts.body)
        if sender.role is None and said and not NAME_RE.match(parts.body[said.end() :].lstrip(" ,")):
            sender.role = role_of(said.group(1))
        if sender.role is None and sender.name:
            # "Per, som är samhällsbyggnadschef hos oss, vill avboka": the messenger's words about the author
            sender.role = role_by_predicate(parts.body, sender.name.split()[0])
    mailbox = is_mailbox(writer, writer_name, body)
    if mailbox:
        _mailbox_sender(sender, signature, body)
    card = attachments.card_of(decoded.cards, sender.email, sender.names, only=mailbox)
    if card is not None:  # the sender's own business card: its title and address are theirs
        sender.role = sender.role or role_of(card.title or "")
        sender.email = card.email or sender.email
        if mailbox and card.name:
            sender.name = card.name
            sender.names = tuple(dict.fromkeys([card.name, *sender.names]))

    org = decide(body, signature, writer)
    out.organisation = org.organisation
    out.sender_organisation = of_address(decoded.sender)

    if is_auto_reply(decoded, parts.new_text):
        out.intent = "auto_reply"
        return out
    if is_bulk(decoded):
        out.intent = "other"
        return out

    if author is not None and forwarded.is_invitation(body):
        out.intent = "other"  # an invitation to some other event, passed on as a tip
        return out
    if junk.kind(parts.body + "\n" + "\n".join(parts.signature)):
        out.intent = "other"  # spam, phishing, a list for sale or a tip about something else
        return out
    guess = classify(body, decoded.subject)
    if author is not None and guess.intent in {"other", "question"}:
        # "Vidarebefordrar nedan från vårt kommunalråd, som vill anmäla sig": the forwarder says what it is
        messenger = classify(parts.body, decoded.subject)
        guess = messenger if messenger.intent not in {"other", "question"} else guess
    intent = guess.intent
    # an answer to our confirmation (its subject, or the registration it lists quoted) changes that registration
    if _CONFIRMATION_REPLY.search(decoded.subject) or _quotes_confirmation(parts):
        states = diet_in(body) is not None or bool(meeting_refs.reference(body, meetings, decoded.date))
        states = states or bool(re.search(r"\bträff", body, re.I))
        guess = answering_confirmation(guess, body, states, role_of(body) is not None)
        intent = guess.intent
    if (
        intent in {"other", "question"}
        and decoded.calendar
        and (not body.strip() or not QUESTION.search(body))
    ):
        # a calendar answer (declined, accepted) says what the mail wants when its words do not
        answer = attachments.calendar_intent(decoded.calendar)
        if answer and body.strip() and guess.reason:
            guess = IntentGuess(answer)
        intent = answer or intent
    out.intent = intent
    if guess.uncertain and guess.reason:
        out.flag(guess.reason)
    if intent == "other" and junk.thanks(body):
        out.review_reasons = [r for r in out.review_reasons if r != guess.reason]
        out.needs_review = bool(out.review_reasons)
        return out  # a thank-you note after a meeting asks nothing
    if intent == "question":
        # a food need stated as a fact, not asked about, belongs to someone's registration
        stated = evidence.stated_food(body)
        if stated:
            out.flag(f"kostuppgift i ett meddelande tolkat som fråga: «{stated}»")
    if intent in {"question", "other"}:
        return out

    known = directory(decoded.to + decoded.cc, [q.text for q in parts.quoted])
    listed_before: set[str] = set()
    if intent in {"update", "cancel"}:
        # "Vi har registrerat Leif Sandström, Amanda Ros och …" quoted: the people an update may name by first name
        for name in quoted_names([q.text for q in parts.quoted]):
            known.setdefault(fold(name), (name, None))
            listed_before.add(fold(name))
    for other in decoded.cards:  # a colleague's business card completes the name the text gives
        if other.name and other.email and other is not card:
            known.setdefault(fold(other.name), (other.name, other.email))
    # rows of a table or list are people with their own cells; the words are read in the prose left over
    structure = read_structure(body, decoded.html)
    prose = structure.prose
    mentions = row_people.mentions(structure.rows, meetings, decoded.date, intent)
    for reason in row_people.unread_cells(structure.rows, mentions):
        out.flag(reason)
    mentions += find_mentions(prose, text_spans(prose), decoded.cc)
    mentions += cc_colleagues(prose, decoded.cc, sender.email, assign.ONLY_INFORMED)
    people = assign.participants(intent, prose, sender, mentions, known, out)
    assign.diets(prose, people, sender, out)
    if author is not None:
        # the messenger's own words about the author complete the author's mail: "Per äter inte fläskkött"
        for author_mention in (m for m in people if m.is_sender and m.diet is None):
            author_mention.diet = forwarded.messenger_food(parts.body, sender.names)
    assign.meetings(intent, prose, people, sender, meetings, decoded.date, out)
    with_writer(prose, people)
    _calendar_decides(decoded, people, sender, meetings, out)
    _subject_decides(decoded, intent, people, meetings)
    _subject_flags(decoded, intent, people, meetings, out)
    if intent == "update" and len(people) == 1 and people[0].meetings is not None:
        # "kan ni lägga till februari": added to what the quoted confirmation says is registered
        registered = assign.registered_meetings([q.text for q in parts.quoted], meetings)
        if registered and assign.adds_meetings(body):
            people[0].meetings = sorted(registered | set(people[0].meetings))
    swapped = False
    if intent == "update" and _quotes_confirmation(parts):
        swapped = _drops_from_registration(body, people, [q.text for q in parts.quoted], meetings, decoded)
    if intent == "update" and not swapped and _swaps(body, meetings, decoded):
        # "byt träff 3 mot träff 4" with no registration quoted: the meetings kept are not known here
        out.flag("byte av träff, men vilka träffar som redan är anmälda framgår inte")
    _cards_complete(decoded.cards, card, people, out)
    by_pattern(body, sender, people)  # "Mejladresserna följer mönstret fornamn.efternamn@x.se"
    if intent in {"update", "cancel"} and any(p.role is None and p.name for p in people):
        # someone the new text names without a title keeps the one the quoted registration lists
        registered_roles = quoted_roles([q.text for q in parts.quoted])
        for mention in people:
            if mention.role is None and mention.name:
                mention.role = registered_roles.get(fold(mention.name))
    out.people = [_person(p, sender, intent) for p in people]
    if org.organisation is None and sender.email and sender.email != writer:
        org = decide(body, signature, sender.email)  # the writer's work address, given in the text
        out.organisation = org.organisation
    theirs = [p.email for p in out.people if p.email and p.email not in {writer, sender.email}]
    if theirs and (org.uncertain or any(e != org.organisation for e in employers(theirs))):
        # the people signed up work elsewhere than the writer's mail says, or the writer's mail leaves it open
        # (a consultancy's signature beside the municipality it writes for): whom they work for weighs too
        org = decide(body, signature, sender.email or writer, tuple(theirs))
        out.organisation = org.organisation
        for employer in employers(theirs):
            if org.organisation is not None and employer != org.organisation:
                out.flag(f"deltagare med adress hos en annan organisation: {employer.name}")
    # evidence accounting (parsers/evidence.py): what the record leaves unused flags the message
    context = evidence.Context(body, sender, _recipients(decoded), meetings, decoded.date, intent)
    for reason in evidence.unaccounted(context, people, mentions):
        out.flag(reason)
    # calendar and card parts the attachment reader could not read are evidence left unused
    unread = [n for n in decoded.attachments if not (_CARD_NAME.search(n) and decoded.cards)]
    unread = [n for n in unread if not (_CALENDAR_NAME.search(n) and decoded.calendar)]
    if not decoded.calendar and b"text/calendar" in raw.lower() and _CALENDAR_PART.search(raw):
        unread.append("(kalenderdel)")
    authors = [] if author is not None else [a for a in _foreign_quotes(decoded, parts) if a != settled]
    if author is not None and forwarded.messenger_too(parts.body):
        out.flag(f"{decoded.sender} vidarebefordrar en anmälan och vill själv också anmälas")
    for reason in evidence.unread(unread, authors):
        out.flag(reason)

    if org.organisation is not None and org.organisation.kind == "company" and intent == "signup":
        # the invitation is to municipalities and regions: a company's sign-up is for an organiser to judge
        out.flag(f"Anmälan från ett företag ({org.organisation.name}), inte kommun eller region")
    if org.organisation is None:
        out.flag("Kunde inte avgöra vilken organisation anmälan gäller")
    elif org.uncertain:
        out.flag("Osäkert vilken organisation anmälan gäller")
    if not out.people:
        out.flag("Hittade ingen person i meddelandet")
    for person in out.people:
        # a cancellation finds the registration by name; someone new needs an address to be answered
        # an update of someone the quoted registration names finds them by name too
        if not person.email and intent != "cancel" and fold(person.name or "") not in listed_before:
            out.flag(f"E-postadress saknas för {person.name or 'en deltagare'}")
        if not person.name:
            out.flag("Namn saknas för en deltagare")
    if mailbox:
        _flag_mailbox(writer, out)
    if intent == "substitute" and any(not p.replaces for p in out.people):
        out.flag("Oklart vem som ersätts")
    return out


def _drops_from_registration(
    body: str, people: list[Mention], quoted: list[str], meetings: tuple[MeetingDate, ...], decoded: Decoded
) -> bool:
    """ "Jag kan inte den 3 december längre. Oktober och februari som planerat": an answer to our
    confirmation that drops a meeting leaves the writer the registered ones less those dropped, also the
    ones it does not name (a meeting already held stays registered)."""
    writer = [p for p in people if p.is_sender and p.meetings is not None]
    if len(writer) != 1 or any(p.meetings is not None for p in people if not p.is_sender):
        return False
    registered = assign.registered_meetings(quoted, meetings)
    dropped: set[int] = set()
    taken: set[int] = set()  # "byt träff 3 mot träff 4": a meeting swapped in for one dropped
    for sentence in sentences(body):
        for clause in clause_pieces(sentence):
            swap = meeting_refs.swapped(clause, meetings, decoded.date)
            if swap is not None:
                dropped |= swap[0]
                taken |= swap[1]
            elif meeting_refs.is_negative(clause):
                dropped |= meeting_refs.reference(clause, meetings, decoded.date).numbers
    kept = set(writer[0].meetings or [])
    if dropped and dropped <= registered and kept <= registered | taken and not kept & dropped:
        writer[0].meetings = sorted((registered - dropped) | taken)
        return bool(taken)
    return False


def _swaps(body: str, meetings: tuple[MeetingDate, ...], decoded: Decoded) -> bool:
    """Does the text swap one meeting for another ("byt träff 3 mot träff 4")?"""
    return any(
        meeting_refs.swapped(clause, meetings, decoded.date) is not None
        for sentence in sentences(body)
        for clause in clause_pieces(sentence)
    )


def _cards_complete(
    cards: list[attachments.Card], own: attachments.Card | None, people: list[Mention], out: ParsedMessage
) -> None:
    """A colleague's card gives the title of the participant it names; a card of no participant is flagged."""
    for other in cards:
        if other is own:
            continue
        holder = next((p for p in people if p.email and p.email == other.email), None)
        if holder is None:
            out.flag(f"visitkort som inte används: {other.name or other.email or 'okänd'}")
        elif holder.role is None:
            holder.role = role_of(other.title or "")


def _mailbox_sender(sender: Sender, signature: list[str], body: str) -> None:
    """From a shared mailbox the writer is who signs ("Hälsningar\nUlrika"), never the mailbox's name."""
    full, first = mailbox_writer(signature, body)
    sender.name = full or first
    sender.names = tuple(n for n in (full, first) if n)


def _flag_mailbox(address: str | None, out: ParsedMessage) -> None:
    """A participant left with the shared mailbox's address or without a surname needs an organiser."""
    for person in out.people:
        if address and person.email == address:
            out.flag(f"Avsändaren är en gemensam brevlåda ({address}): deltagarens egen adress saknas")
        if person.name and " " not in person.name.strip():
            out.flag(f"Avsändaren är en gemensam brevlåda: efternamn saknas för {person.name}")


def _quotes_confirmation(parts: Split) -> bool:
    """Does the reply quote our confirmation, which lists what is registered ("Träffar: 1 och 2")?"""
    return any(assign.quotes_registration(q.text) for q in parts.quoted)


def _foreign_quotes(decoded: Decoded, parts: Split) -> list[str]:
    """Authors of quoted or forwarded mail who are neither the sender nor a recipient."""
    ours = {decoded.sender} | {a.lower() for _, a in decoded.to + decoded.cc if a}
    organiser_side = {a.lower().rsplit("@", 1)[-1] for _, a in decoded.to if a}
    return [
        q.sender
        for q in parts.quoted
        if q.sender
        and q.sender.lower() not in ours
        and q.sender.lower().rsplit("@", 1)[-1] not in organiser_side
    ]


def _author_names(display: str | None, address: str | None) -> tuple[str, ...]:
    """Ways a forwarded author may sign: the quoted header's name, else first.last of the address."""
    name = display_name(display, address)
    if name:
        return (name,)
    tokens = [t for t in (address or "").split("@", 1)[0].split(".") if t.isalpha()]
    return (" ".join(t.capitalize() for t in tokens),) if len(tokens) == 2 else ()


def _recipients(decoded: Decoded) -> dict[str, str]:
    """To and Cc by folded display name and by address: the organiser and colleagues in copy."""
    out: dict[str, str] = {}
    for display, address in decoded.to + decoded.cc:
        if not address:
            continue
        out[address.lower()] = address.lower()
        name = display_name(display, address)
        if name:
            out[fold(name)] = address.lower()
    return out


def _machine(out: ParsedMessage, decoded: Decoded, report: Bounce) -> ParsedMessage:
    """A delivery or feedback report: never a person's intent, whatever the returned copy says."""
    out.new_text = decoded.text[:NEW_TEXT_LIMIT]
    out.review_reasons = [r for r in out.review_reasons if "MIME" not in r]
    out.needs_review = bool(out.review_reasons)
    if report.kind in {"feedback", "delivered"}:
        out.intent = "other"
        return out
    if report.kind == "receipt":
        out.intent = "auto_reply"
        return out
    out.intent = "bounce"
    out.bounced = report.permanent
    if not report.permanent:
        out.flag("Studsmeddelande utan permanent misslyckad adress (tillfälligt fel eller okänt format)")
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
    if any(e.partstat == "TENTATIVE" for e in decoded.calendar):
        out.flag("Kalendersvaret är preliminärt (TENTATIVE)")  # a maybe is no registration to confirm
    if not people and attachments.calendar_intent(decoded.calendar):
        # a bare calendar answer is the sender's own
        people.append(Mention(sender.name, sender.email, sender.role, qualified=True, is_sender=True))
    for person in people:
        if person.meetings is None:
            person.meetings = list(chosen)
        elif sorted(person.meetings) != chosen:
            out.flag("Kalenderbilagan och texten anger olika träffar")


def _subject_decides(
    decoded: Decoded, intent: str, people: list[Mention], meetings: tuple[MeetingDate, ...]
) -> None:
    """ "SV: Påminnelse: träff 3 den 3 december" / "Återbud träff 3" with a text that names no meeting: the
    subject names it."""
    if intent not in {"cancel", "substitute"} or not people or any(p.meetings is not None for p in people):
        return  # a sign-up's subject may name a meeting it asks about ("Anmälan + fråga om träff 3")
    numbers = _subject_meetings(decoded, meetings)
    for person in people if numbers else ():
        person.meetings = sorted(numbers)


# A subject that asks, or that gives the registration deadline ("Påminnelse – sista dag för anmälan är fredag
# 23 augusti"), names no meeting the mail is about
_SUBJECT_NAMES_NONE = re.compile(r"\?|\bfråga|\bquestion|\bsista\s+(?:dag|datum)|\bsenast\b|\bdeadline", re.I)


def _subject_meetings(decoded: Decoded, meetings: tuple[MeetingDate, ...]) -> set[int]:
    """The meetings the subject names, when it names some but not the whole series."""
    if not decoded.subject or _SUBJECT_NAMES_NONE.search(decoded.subject):
        return set()
    numbers = meeting_refs.reference(decoded.subject, meetings, decoded.date, anchored=True).numbers
    return numbers if numbers != {m.number for m in meetings} else set()


def _subject_flags(
    decoded: Decoded,
    intent: str,
    people: list[Mention],
    meetings: tuple[MeetingDate, ...],
    out: ParsedMessage,
) -> None:
    """ "SV: Medverkan på Dalalab 23 oktober" on a sign-up that gives everyone the whole series: the subject
    may say which meeting the reply is about, a reading for a person."""
    if intent != "signup" or not people or any(p.meetings is not None for p in people):
        return
    if _subject_meetings(decoded, meetings):
        out.flag(f"ämnesraden nämner en träff som anmälan inte använder: «{decoded.subject[:60]}»")


def _person(mention: Mention, sender: Sender, intent: str) -> Person:
    return Person(
        name=mention.name,
        email=mention.email,
        role=mention.role,
        meetings=mention.meetings,
        diet=mention.diet,
        diet_adds=mention.diet_adds,
        replaces=mention.replaces,
    )


__all__ = ["fold", "parse_message"]
