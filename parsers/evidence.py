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
from parsers import per_person
from parsers.clause_role import (
    circumstance,
    is_request,
    only_mentioned,
    own_food_words,
    role,
    sentence_pieces,
    suggests,
)
from parsers.diet import diet_in
from parsers.models import MeetingDate
from parsers.people import ADDRESS_PATTERN, Mention, Sender
from parsers.roles import role_of
from parsers.text import EMAIL_RE, Cue, clauses, first_char_checked, fold, sentences

# A greeting or thanks line names the organiser it is written to ("Hej Johanna!", "Tack Eva").
_GREETING = re.compile(r"^\s*(?:hej|hejsan|hallå|hi|hello|dear|kära|tack|god morgon|morgon)\b", re.I)
# People the text names only to say they are unchanged ("Ola och Jenny är fortfarande med").
_UNCHANGED = re.compile(
    r"\b(?:som planerat|som vanligt|som tidigare|fortfarande|kommer ändå|står i kopia|i kopia|as planned"
    r"|är kvar|stannar kvar|står kvar|blir kvar|remains|stays on"
    r"|still|vi ses|see you|med igen|back again)\b",
    re.I,
)
_UNCHANGED = first_char_checked(_UNCHANGED)  # speed only: same matches
# A meeting singled out of the whole series just named: "inte heller den på torsdag", "även den i december"
_EVEN = re.compile(
    r"(?:^|,)\W*(?:inte\s+heller|ej\s+heller|även|inklusive|inräknat|not\s+even|including)\b", re.I
)
# Words that point at a meeting: the resolver must turn each into meetings, or the clause is unread.
_NOUN = r"(?:träff|tillfälle|möte|meeting|session)\w*"
_MEETINGISH = re.compile(
    rf"\b(?!(?-i:may)\b){meeting_refs.MONTH}(?![a-zåäö])|\b(?:måndag|tisdag|onsdag|torsdag|fredag|monday|tuesday|wednesday"
    r"|thursday|friday)\w*"
    rf"|\b(?:första|andra|tredje|fjärde|sista|övriga|resterande|first|second|third|fourth|last|remaining)\s+(?:\w+\s+)?{_NOUN}"
    r"|\b(?:två|tre|two|three)\s+(?:första|sista|first|last)\b"
    rf"|\b{_NOUN}\s+(?-i:[IVX]+)\b|\b{_NOUN}\s+\d\b|\b\d{{1,2}}/\d{{1,2}}\b|\w-?{_NOUN}",
    re.I,
)
# Some meetings picked by season without a meeting noun ("bara på de två i höst", "only this spring"):
# which ones the writer counts is for a person to read, whatever the verb
_SEASON_PICK = Cue(
    r"\b(?:bara|endast|enbart|only|de\s+(?:två|tre)|the\s+(?:two|three))\b.{0,40}?"
    r"(?:\bi\s+(?:höst|vår)\b|\b(?:höst|vår)(?:en|ens)\b|\b(?:this|the|in)\s+(?:autumn|fall|spring)\b)"
    r"|(?:\bi\s+(?:höst|vår)\b|\b(?:höst|vår)(?:en|ens)\b).{0,20}?\b(?:bara|endast|enbart)\b",
    "höst|vår|autumn|fall|spring",
)
# "idag", "i morgon" name a meeting only in a clause about being there, not about sending a registration
_RELATIVE_DAY = re.compile(r"^(?:i\s*dag|i\s*morg\w*|i\s*morr\w*|ikväll|today|tomorrow)$", re.I)
_ATTENDING = re.compile(
    r"\b(?:träff|tillfäll|möte|meeting|session|delta|vara med|kommer|komma|närvara|attend|join|missa|krock"
    r"|återbud|ses)",
    re.I,
)
# A deadline for the writer's request is no meeting ("kan du anmäla mig innan fredag?", "by Friday")
_DEADLINE = re.compile(
    r"\b(?:innan|före|senast|till|by|before|until)\s+(?:på\s+|nu\s+på\s+|nästa\s+|next\s+|this\s+)?"
    r"(?:måndag|tisdag|onsdag|torsdag|fredag|monday|tuesday|wednesday|thursday|friday)\w*"
    # Christmas, not July: "fram till jul", "före julen", "efter jul"
    r"|\b(?:innan|före|till|efter|över|inför|kring|runt)\s+jul(?:en)?\b(?!\.?\s*\d)",
    re.I,
)
_DEADLINE_GATE = Cue(_DEADLINE.pattern, "innan|före|senast|till|by|before|until|efter|över|inför|kring|runt")
# A date the clause gives as the registration deadline, or as the day someone's leave begins ("sista anmälningsdag var den 23 augusti", "anmälan
# senast 1/9", "the deadline was 23 August"): no meeting, so no date of no meeting either
_DEADLINE_DATE = Cue(
    r"anmälningsdag|anmälningsdatum|anmälningstid|sista\s+(?:dag|datum)\b|deadline|\bsenast\b|\bosa\b|\brsvp\b"
    r"|closing\s+date|\bregister\s+by\b"
    # the first day of someone's leave: "jag är tjänstledig från 1 november, så X tar mina platser"
    r"|\b(?:tjänstledig|föräldraledig|sjukskriven|on\s+leave)\w*\s+(?:från|fr\.?\s?o\.?\s?m\.?|from)\b",
    "anmälningsdag|anmälningsdatum|anmälningstid|sista|deadline|senast|osa|rsvp|closing|register|ledig|sjukskriven"
    "|leave",
)
# Sentences that only thank or look back on the event ("Tack för en bra första träff!")
_THANKS = re.compile(r"^\s*(?:tack|thanks|thank you)\b", re.I)
# The writer speaks of themself ("jag", "själv"): their own plans when they are not a participant
_FIRST_PERSON = re.compile(r"\b(?:(?i:jag|mig|mej|själv|me|myself)|I)\b")


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
    used |= {p.replaces.lower() for p in people if p.replaces}  # the replaced person, named by address
    out: list[str] = []
    for match in EMAIL_RE.finditer(ctx.body):
        address = match.group(0).lower().strip(".")
        line_start = ctx.body.rfind("\n", 0, match.start()) + 1
        line_end = ctx.body.find("\n", match.end())
        line = ctx.body[line_start : line_end if line_end >= 0 else len(ctx.body)]
        sentence = next((s for s in sentences(line) if match.group(0) in s), line)
        if not is_request(sentence):
            continue  # an old address, or one in a question or the past
        if any(match.group(0) in m.group(0) for m in ADDRESS_PATTERN.finditer(line)):
            continue  # "fornamn.efternamn@x.se": the pattern the people's addresses were spelled from
        if address not in used and address not in out:
            out.append(address)
    return [f"adress som inte används: {a}" for a in out]


def _explained_line(line: str) -> bool:
    return bool(_GREETING.match(line) or _UNCHANGED.search(line))


def _person_like(body: str, mention: Mention) -> str | None:
    """The mention's words on its own line, without the lexicon words (titles, food, headings) at its edges."""
    if not mention.name:
        return None
    raw = body[max(mention.start, 0) :]
    raw = raw[: raw.find("\n")] if "\n" in raw else raw
    words = mention.name.split()[: len(raw.split())] if mention.start >= 0 else mention.name.split()
    while words and _lexicon_word(words[0]):
        words.pop(0)
    while words and _lexicon_word(words[-1]):
        words.pop()
    return " ".join(words) if len(words) >= 2 else None


def _lexicon_word(word: str) -> bool:
    low = word.lower()
    return low in _HEADINGS or role_of(word) is not None or diet_in(word) is not None


# Words of form and table headings and sentence openers that sit next to a name without being one
_HEADINGS = frozenset(
    [
        "namn",
        "name",
        "titel",
        "title",
        "roll",
        "role",
        "befattning",
        "e-post",
        "epost",
        "email",
        "mejl",
        "träffar",
        "meetings",
        "kost",
        "specialkost",
        "organisation",
        "hör",
        "ser",
        "vi",
        "jag",
        "tack",
        "hej",
    ]
)


def unused_names(ctx: Context, people: list[Mention], mentions: list[Mention]) -> list[str]:
    """Full names in the new text that are no participant, not the sender and not a recipient."""
    known = {fold(p.name) for p in people if p.name} | {fold(n) for n in ctx.sender.names if n}
    known |= {fold(p.replaces) for p in people if p.replaces}
    # the replaced person given by address: their name in the text is accounted for too
    gone = {p.replaces.lower() for p in people if p.replaces and "@" in p.replaces}
    known |= {fold(m.name) for m in mentions if m.name and m.email and m.email.lower() in gone}
    known |= {k for k in ctx.recipients if "@" not in k}
    firsts = {fold(p.name).split()[0] for p in people if p.name}
    out: list[str] = []
    for mention in mentions:
        name = _person_like(ctx.body, mention)
        if not name or fold(name) in known or any(k in fold(name) for k in known if " " in k):
            continue
        line_start = ctx.body.rfind("\n", 0, max(mention.start, 0)) + 1
        line_end = ctx.body.find("\n", mention.start)
        line = ctx.body[line_start : line_end if line_end >= 0 else len(ctx.body)]
        sentence = next((s for s in sentences(line) if name in s), line)
        if any(p.email and p.email in line.lower() for p in people):
            continue  # a participant's own row: its other words are their title and needs
        if _explained_line(sentence) or not is_request(sentence) or _THANKS.match(sentence):
            continue
        if only_mentioned(sentence) or suggests(sentence):  # "vår chef X står på kopia för kännedom"
            continue
        if len(name.split()) == 1 and fold(name) in firsts:
            continue
        out.append(f"person som inte används: {name}")
    return out


_MOSTLY = re.compile(
    r"\b(?:det\s+mesta|nästan\s+allt|most\s+things|almost\s+(?:anything|everything))\b", re.I
)
# A food need named as a need, whatever is said of it: when the food rules read nothing from the clause, a
# person must ("Matrestriktioner: se bilaga", "några kostrestriktioner har jag", "dietary requirements").
_FOOD_NEED = Cue(
    r"\b(?:mat|kost|födoämnes)\w*(?:restriktion|begränsning|allergi|intoleran|överkänslig|önskemål|preferens)\w*"
    r"|\bspecialkost\w*|\b(?:mat)?allergi\w*|\bintoleran\w*|\bdietary\s+(?:restriction|requirement|need)\w*"
    # a diet no category names, or a food the writer does eat: "pescetarian", "äter fisk men inte kött"
    r"|\bp[e]s[ck]etar\w*|\bflexitar\w*|\b(?:äter|eats?)\s+(?:gärna\s+|bara\s+|endast\s+|också\s+|även\s+|only\s+)?"
    r"(?:fisk|skaldjur|ägg|fish|seafood|eggs?)\b",
    "restriktion|begränsning|allergi|intoleran|överkänslig|önskemål|preferens|specialkost|dietary|etar|itar|äter|eat",
)


def unused_food(ctx: Context, people: list[Mention]) -> list[str]:
    """Food needs the text states that no participant carries, and food statements that contradict."""
    given = {d for p in people for d in (p.diet or [])}
    anyone_none = any(p.diet == [] for p in people)
    out: list[str] = []
    unread = not any(p.diet is not None for p in people)
    for sentence in sentences(ctx.body):
        if not is_request(sentence) and role(sentence) != "past":
            if (
                unread
                and role(sentence) != "question"
                and _FOOD_NEED.search(sentence)
                and diet_in(sentence) is None
            ):
                # "Några allergier har jag, jag återkommer om dem": a need put off is still a need
                out.append(f"kostuppgift som inte kunde tolkas: {_snippet(sentence)}")
            continue
        parts = list(clauses(sentence))
        for at, clause in enumerate(parts):
            # what the record says now, or a non-participant's food, is no need left unused
            diet = diet_in(clause)
            if diet is not None and not _names_someone(clause, people):
                diet = diet_in(own_food_words(clause))
            if diet is None:
                if unread and _FOOD_NEED.search(clause):
                    out.append(f"kostuppgift som inte kunde tolkas: {_snippet(clause)}")
                continue
            if diet == [] and _MOSTLY.search(clause) and any(diet_in(p) for p in parts[at + 1 :]):
                continue  # "Själv äter jag det mesta, men inga räkor": the exception that follows is the need
            missing = [d for d in diet if d not in given]
            if missing or (diet == [] and not anyone_none):
                out.append(f"kostuppgift som inte används: {_snippet(clause)}")
    return out


def _names_someone(clause: str, people: list[Mention]) -> bool:
    folded = fold(clause)
    return any(p.name and fold(p.name).split()[0] in folded for p in people if not p.is_sender)


def unused_meetings(ctx: Context, people: list[Mention]) -> list[str]:
    """Meeting references in requests that no participant's meetings bear out, and dates of no meeting."""
    if not ctx.dates or ctx.intent not in {"signup", "cancel", "substitute", "update"}:
        return []
    everyone = {m.number for m in ctx.dates}
    writer_out = not any(p.is_sender for p in people)
    out: list[str] = []

    def says(text: str) -> bool:
        return bool(meeting_refs.reference(text, ctx.dates, ctx.sent))

    for sentence in sentences(ctx.body):
        for clause in sentence_pieces(sentence):
            if circumstance(clause):
                # "den 23 oktober har vi fullmäktige": the reason for staying away from a meeting nobody keeps
                kept = {n for p in people for n in (p.meetings or everyone)}
                if kept & meeting_refs.reference(clause, ctx.dates, ctx.sent).numbers:
                    out.append(f"träff som inte används: «{_snippet(clause)}»")
                continue
            if not is_request(clause) or _UNCHANGED.search(clause) or _THANKS.match(sentence):
                continue
            if ctx.intent in {"substitute", "cancel"} and meeting_refs.AGAIN.search(clause):
                # "han räknar med att vara tillbaka till decemberträffen", "hoppas vara med i februari igen":
                # a return after what is cancelled, which stays as registered
                continue
            if writer_out and _FIRST_PERSON.search(clause) and not _names_someone(clause, people):
                continue  # the writer's own plans, who is not signing up
            ref = meeting_refs.reference(clause, ctx.dates, ctx.sent)
            take_part = meeting_refs.TAKE_PART.search(clause.lower()) is not None
            for raw in ref.unknown_dates if take_part and not _DEADLINE_DATE.search(clause) else ():
                if _RELATIVE_DAY.match(raw) and not _ATTENDING.search(clause):
                    continue  # "skicka anmälan idag": when to send, not a day of the event
                out.append(f"datum som inte är en träff: {raw.rstrip('.')}")
            numbers = ref.numbers
            unread = (
                not ref
                and not ref.unknown_dates
                and take_part
                and _MEETINGISH.search(_DEADLINE.sub(" ", clause) if _DEADLINE_GATE.hit(clause) else clause)
            )
            if unread or (not ref and _SEASON_PICK.search(clause)):
                out.append(f"träffhänvisning som inte kunde tolkas: «{_snippet(clause)}»")
            if not numbers or numbers == everyone:
                continue
            if _EVEN.search(clause) and all(
                p.meetings is None or set(p.meetings) == everyone for p in people
            ):
                continue  # "… på någon av träffarna, inte heller den på torsdag": one singled out of the series
            # with several people, each named segment must be borne out by its own person
            said = per_person.split([clause], people, says) if len(people) > 1 else None
            segments = [(people, clause)] if said is None else [(people, t) for t in said.group]
            if said is not None:
                segments += [([people[i]], t) for i, texts in said.own.items() for t in texts]
            for whom, text in segments:
                if not _borne_out(text, whom, ctx, everyone):
                    out.append(f"träff som inte används: «{_snippet(clause)}»")
                    break
    return out


_ASIDE = re.compile(r"\(([^()]*)\)")


def _borne_out(text: str, whom: list[Mention], ctx: Context, everyone: set[int]) -> bool:
    if "(" in text and _ASIDE.search(text):
        # "3 december (februari krockar)": the aside in brackets declines on its own, the rest asks
        parts = [p for p in _ASIDE.split(text) if p.strip()]
        if len(parts) > 1:
            return all(_borne_out(p, whom, ctx, everyone) for p in parts)
    numbers = meeting_refs.reference(text, ctx.dates, ctx.sent).numbers
    if not numbers or numbers == everyone:
        return True
    explicit = [set(p.meetings) for p in whom if p.meetings is not None]
    swap = meeting_refs.swapped(text, ctx.dates, ctx.sent)
    if swap is not None:
        # "byt träff 3 mot träff 4": the one left is not kept, the one taken is
        return any(not (swap[0] & chosen) and swap[1] <= chosen for chosen in explicit)
    if ctx.intent in {"signup", "update"} and meeting_refs.is_negative(text):
        return any(not (numbers & chosen) for chosen in explicit)
    if ctx.intent == "update":
        # "jag kan komma på träff 3 ändå": added to a registration, the series may be complete now
        return any(numbers <= chosen for chosen in explicit)
    # the whole series does not bear out a text that names only some meetings
    return any(numbers <= chosen != everyone for chosen in explicit)


# Attachments that carry registration data which this parser does not read yet.
_DATA_ATTACHMENT = re.compile(r"\.(?:ics|vcs|vcf)$|^\(kalenderdel\)$", re.I)


def unread(attachments: list[str], forwarded_authors: list[str]) -> list[str]:
    """Evidence outside the new text: calendar and contact attachments, forwarded authors' own mail."""
    reasons = [f"bilaga som inte lästs: {name}" for name in attachments if _DATA_ATTACHMENT.search(name)]
    reasons += [f"vidarebefordrat meddelande från {a}: vem anmäls?" for a in forwarded_authors[:1]]
    return reasons


_WORD = re.compile(r"[\wåäöÅÄÖ-]{4,}")
_TOKEN = re.compile(r"[\w-]+")


def unused_titles(ctx: Context, people: list[Mention]) -> list[str]:
    """A title written in the only clause that names a person whose role was left empty."""
    out: list[str] = []
    for person in people:
        if person.role is not None or not person.name or person.is_sender:
            continue
        for sentence in sentences(ctx.body):
            for clause in clauses(sentence):
                words = set(_TOKEN.findall(fold(clause)))
                named = [p for p in people if p.name and p.first in words]
                if named != [person]:
                    continue
                rest = " ".join(w for w in _WORD.findall(fold(clause)) if w not in fold(person.name).split())
                title = next((w for w in _WORD.findall(rest) if role_of(w)), None)
                if title:
                    out.append(f"titel som inte används: {title} ({person.name})")
    # "är kommundirektör här i malung-sälen": a title in a request clause whose role nobody was given
    if not out and ctx.intent in {"signup", "substitute"} and any(p.role is None for p in people):
        given = {p.role for p in people}
        for sentence in sentences(ctx.body):
            if not is_request(sentence):
                continue
            firsts = {p.first for p in people if p.name}
            if not (
                _FIRST_PERSON.search(sentence)
                or _NO_SUBJECT.match(sentence)
                or set(_TOKEN.findall(fold(sentence))) & firsts
            ):
                continue  # someone else's title: "Min chef Eva Sten föreslog att vi skulle delta"
            title = next(
                (
                    m.group(0)
                    for m in _WORD.finditer(sentence)
                    if role_of(m.group(0)) not in (None, *given) and not _OWNED.search(sentence, 0, m.start())
                ),
                None,
            )
            if title:
                out.append(f"titel som inte används: {title}")
                break
    # "… och han är översiktsplanerare": a title by pronoun while someone's role is left empty
    untitled = [p for p in people if p.role is None and p.name and not p.is_sender]
    if untitled and not out and _PRONOUN_IS.hit(ctx.body):
        for match in _PRONOUN_IS.finditer(ctx.body):
            title = next((w for w in _WORD.findall(match.group(1)) if role_of(w)), None)
            if title:
                out.append(f"titel som inte används: {title} ({untitled[0].name}?)")
                break
    return out


# "är kommundirektör här": a hurried clause without its subject; "min chef", "vår förvaltningschef": another's
_NO_SUBJECT = re.compile(r"^\W*(?:är|e)\s", re.I)
_OWNED = re.compile(
    r"\b(?:min|mitt|mina|vår|vårt|våra|er|ert|deras|hans|hennes|my|our|their)\s+(?:\w+\s+)?$", re.I
)

_PRONOUN_IS = Cue(
    r"\b(?:han|hon|hen|he|she)\s+(?:\w+\s+){0,3}?(?:är|jobbar\s+som|arbetar\s+som|is|works\s+as)\s+((?:[\w-]+\s+){0,2}[\w-]+)",
    "han|hon|hen|he|she",
)


# A head count the writer states: "anmäla två personer", "vi blir tre", "jag och två kollegor", "3 deltagare".
# The cap quoted from the invitation ("högst tre personer per kommun") and questions are no count.
_COUNTS = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "two": 2,
    "three": 3,
    "four": 4,
}
_COUNT_WORD = r"(?P<{}>en|ett|två|tre|fyra|fem|sex|two|three|four|[1-6])"
_HEADCOUNT = Cue(
    rf"(?<![\w-])(?:(?P<me>jag\s+och|me\s+and|myself\s+and)\s+)?{_COUNT_WORD.format('n')}\s+(?:st\s+|stycken\s+|nya\s+|av\s+mina\s+|av\s+våra\s+)?"
    r"(?P<what>personer|deltagare|kollegor|medarbetare|tjänstepersoner|politiker|people|persons|participants"
    r"|colleagues)\b"
    rf"|\bvi\s+(?:blir|är|kommer\s+att\s+vara|kommer|will\s+be|are)\s+{_COUNT_WORD.format('we')}\b(?!\s*(?:av|of)\b)",
    "personer|deltagare|kollegor|medarbetare|tjänstepersoner|politiker|people|persons|participants|colleagues"
    "|vi",
)
_CAP = re.compile(
    r"\b(?:högst|max\w*|upp\s+till|at\s+most|up\s+to|totalt|fler\s+än|more\s+than|mer\s+än|bara)\s+$"
    r"|\b(?:per|varje|each)\s*$",
    re.I,
)


def stated_count(ctx: Context, people: list[Mention]) -> list[str]:
    """A head count stated in a request that the people found do not make up."""
    if ctx.intent != "signup" or not _HEADCOUNT.hit(ctx.body):
        return []
    writer_in = any(p.is_sender for p in people)
    for sentence in sentences(ctx.body):
        if not is_request(sentence) or _THANKS.match(sentence):
            continue
        for match in _HEADCOUNT.finditer(sentence):
            before = sentence[max(0, match.start() - 14) : match.start()]
            after = sentence[match.end() : match.end() + 12].lower()
            if _CAP.search(before) or after.lstrip().startswith(("per ", "från varje", "each")):
                continue  # the cap, not this mail's count
            said = match.group("n") or match.group("we")
            n = _COUNTS.get(said.lower()) or int(said)
            what = (match.group("what") or "").lower()
            if match.group("me"):
                allowed = {n + 1}
            elif what in {"kollegor", "medarbetare", "colleagues"}:
                allowed = {n, n + 1} if writer_in else {n}  # "två kollegor": with or without the writer
            else:
                allowed = {n}
            if len(people) not in allowed:
                return [f"antal som inte stämmer: «{_snippet(match.group(0))}», {len(people)} i anmälan"]
    return []


def unaccounted(ctx: Context, people: list[Mention], mentions: list[Mention]) -> list[str]:
    """Every reason the record leaves some evidence of the new text unused; empty when all is accounted."""
    if ctx.intent not in {"signup", "cancel", "substitute", "update"}:
        return []
    reasons = unused_addresses(ctx, people)
    reasons += unused_names(ctx, people, mentions)
    reasons += unused_food(ctx, people)
    reasons += unused_titles(ctx, people)
    reasons += unused_meetings(ctx, people)
    reasons += pointed_meetings(ctx, people)
    reasons += stated_count(ctx, people)
    return list(dict.fromkeys(reasons))


# A meeting pointed at rather than named ("jag anmäler mig till den träffen", "that session"): which one is
# in an earlier sentence, a reading the record must show. Anyone left with the whole series did not get it.
_POINTED = Cue(
    r"\b(?:den|denna|det|detta)\s+(?:här\s+|där\s+)?(?:träffen|mötet|tillfället|seminariet)\b"
    r"|\b(?:that|this)\s+(?:particular\s+)?(?:meeting|session|event)\b",
    "träffen|mötet|tillfället|seminariet|meeting|session|event",
)


def pointed_meetings(ctx: Context, people: list[Mention]) -> list[str]:
    """A request that points at one meeting while the record gives someone every meeting."""
    if not any(p.meetings is None for p in people):
        return []
    for sentence in sentences(ctx.body):
        if (found := _POINTED.search(sentence)) and is_request(sentence):
            return [f"oklart vilken träff som avses: {found.group(0)}"]
    return []


def stated_food(body: str) -> str | None:
    """A food need stated as a fact in a request (not asked about): a clause that names one, or None."""
    for sentence in sentences(body):
        if not is_request(sentence):
            continue
        for clause in clauses(sentence):
            if diet_in(clause):
                return _snippet(clause)
    return None
