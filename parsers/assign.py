"""Who the message is about, and whose food needs and meetings each sentence states."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from parsers import meetings as meeting_refs
from parsers import per_person
from parsers.clause_role import (
    SIGNS_UP_ALONE,
    SIGNS_UP_ALONE_WORDS,
    is_request,
    only_mentioned,
    own_food_words,
    put_off,
    restricted,
    sentence_pieces,
    suggests,
)
from parsers.diet import diet_in
from parsers.intent import ADDS_TO_OWN, CANCEL, CANCEL_WEAK, SEND_FOR_ABSENT, SIGNUP_STRONG, SUBSTITUTE
from parsers.models import Diet, MeetingDate, ParsedMessage
from parsers.organisation import of_address
from parsers.people import Mention, Sender, role_by_predicate, role_by_pronoun, role_near
from parsers.roles import role_of
from parsers.text import EMAIL_RE, Cue, clauses, first_char_checked, fold, name_matches_address, sentences

# "I am one of them": each branch behind its own words (the text says "anmäl" in nearly every sign-up).
_SELF_IN = (
    Cue(r"anmäl\w*\s+(?:härmed\s+|gärna\s+|också\s+)?(mig|mej|oss)\b", "mig|mej|oss"),
    Cue(
        r"\bjag själv\b|\bjag och\b|\bmig och\b|\boch jag\b|\bäven jag\b|\bjag också\b|\bjag deltar\b"
        r"|\bjag skulle gärna\b|\bjag kommer\b",
        "jag själv|jag och|mig och|och jag|även jag|jag också|jag deltar|jag skulle gärna|jag kommer",
    ),
    Cue(r"\bI(?: would|'d) like to\b|\bregister (myself|me)\b", "would like to|'d like to|register m"),
    Cue(
        r"\bjag vill\b[^.]{0,40}\b(delta|vara med|komma)|\bvill jag\b[^.]{0,20}\b(delta|vara med|komma)",
        "jag vill|vill jag",
    ),
)
_SELF_OUT = Cue(
    r"\b(inte|ej)\s+(möjlighet|tid|kan)\b[^.]{0,30}\bsjälv\b|\bpå uppdrag av\b|\bon behalf of\b"
    r"|\bkan (tyvärr )?(inte|ej) (delta|komma) själv|\bsjälv (kan|kommer|deltar) (jag )?(tyvärr )?(inte|ej)\b"
    # "Jag deltar inte själv", "jag själv kommer inte": the writer only sends the others
    r"|\bjag (själv )?(deltar|kommer|går) (tyvärr )?(inte|ej) (med )?själv\b|\bjag själv (deltar|kommer|går|kan) (tyvärr )?(inte|ej)\b",
    "själv|på uppdrag av|on behalf of",
)
_REPLACES_SENDER = re.compile(
    r"\b(för mig|min plats|mina platser|mitt ställe|min efterträdare|min ersättare|min vikarie|ersätter mig|instead of me"
    r"|in my place|my successor|replace me)\b",
    re.I,
)
# The writer is the one who comes in: "jag har tagit över hennes tjänst", "tar jag också över hennes plats",
# "I am replacing", "jag efterträder Maria Ek"
_WRITER_TAKES_OVER = re.compile(
    r"\b(?:jag|I)\s+(?:(?:har|ska|kommer\s+att|also|will|am|have|nu|också|även)\s+){0,2}"
    r"(?:ersätter|ersätta|efterträder|efterträda|tar\s+över|ta\s+över|tagit\s+över|tog\s+över|övertar|övertagit"
    r"|replac\w+|succeed\w*|tak(?:e|en|ing)\s+over)\b"
    r"|\b(?:ersätter|efterträder|tar|övertar)\s+jag\b",
    re.I,
)
_WRITER_SENDS_INSTEAD = re.compile(
    r"\b(?:jag|vi) skickar (?:[^.!?\n]|\.(?=\S)){2,80} i ?stället\b(?! för)", re.I
)
_STAYS = re.compile(r"\b(som planerat|som vanligt|som tidigare|kommer ändå|as planned)\b", re.I)
_GROUP_REST = re.compile(r"\b(vi andra|de andra|dom andra|övriga|resten|the others|the rest)\b", re.I)
_GROUP_ALL = re.compile(
    r"\b(ingen av (oss|dem|dom)|alla|samtliga|båda|vi har inga|none of (us|them)|both of us|all of us|vi är)\b",
    re.I,
)
# "Jag är även vegetarian" adds to an allergy already registered; a correction ("rättelse",
# "inte gluten utan vegetarian", "i stället") replaces it, even when it also says "även".
_ADDS = re.compile(r"\b(?:även|också|dessutom|likaså|also|as well|too)\b", re.I)
_CORRECTS = re.compile(
    r"\b(?:rättelse|rätta\w*|korrigera\w*|felaktig\w*|skrev fel|ändra\w*|byt\w*|i\s?stället|ersätt\w*"
    r"|bara|endast|enbart|correction|instead|only)\b|\binte\s+\w+\s+utan\b",
    re.I,
)
_CORRECTS = first_char_checked(_CORRECTS)  # speed only: same matches
_FIRST_PERSON = re.compile(r"\b(?:(?i:jag|mig|mej|min|mitt|me|my)|I)\b")
_THIRD_PERSON = re.compile(r"\b(han|hon|hans|hennes|honom|henne|he|she|his|her)\b", re.I)
_WORDS = re.compile(r"[\w-]+")
# "Hon bad mig hälsa att hon är vegetarian": the writer only passes on what someone else says of themself
_REPORTED = re.compile(
    r"^(?!.*\b(?:(?i:jag|min|mitt|mina|my)|I)\b).*\b(?i:han|hon|he|she)\b.*\b(?i:mig|mej|me)\b", re.S
)
# "Det gäller alltså mig och Per": a sentence that says whom the cancellation before it concerns
_CONCERNS = re.compile(r"\s*(?:det|detta|det här|that|this)\s+(?:gäller|rör|applies to)\b", re.I)
# A row: a name, then a comma or dash, then more (title, address) — read with its person, not as prose.
_ROW_LIKE = re.compile(r"^\s*[A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+){1,2}\s*(?:,|–|-|\t|\|)")
_FOOD_FIELD = re.compile(r"^\s*(specialkost|kost|allergi\w*)\s*:", re.I)
# A topic named once and left out after ("Specialkost: Erik är vegetarian, jag har inga."): the part that
# only says "none" is about the field's topic
_FOOD_TOPIC = re.compile(
    r"^\s*(specialkost\w*|kost\w*|allergi\w*|matpreferens\w*|dietary\s+requirements|allergies)\s*:", re.I
)
_ELLIPTIC_NONE = re.compile(
    r"^\s*(?:(?:och|men|and|but)\s+)?(?:jag|vi|hon|han|I|we|[A-ZÅÄÖ]\w+)\s+(?:har|have|has)\s+"
    r"(?:inga|ingen|inget|inte\s+några|none|no)\s*[.!]?\s*$",
    re.I,
)
_PERSON_COMMA = re.compile(r",\s*(?=(?:och\s+)?(?:jag|han|hon|vi|I)\b)")
_CAPITALISED = re.compile(r"\b[A-ZÅÄÖÉ][a-zåäöé]+\b")
_LIST_ITEM = re.compile(r"^\s*([-•*]|\d+[.)])\s")


def _is_sender(mention: Mention, sender: Sender) -> bool:
    if mention.email and sender.email and mention.email == sender.email:
        return True
    if mention.name:
        folded = fold(mention.name)
        return any(folded == fold(n) for n in sender.names if n and " " in n)
    return False


def _sender_mention(sender: Sender, found: Mention | None = None) -> Mention:
    person = found or Mention(sender.name, start=-1, qualified=True)
    person.is_sender = True
    person.email = person.email or sender.email
    person.name = person.name or sender.name
    if sender.name and person.name and len(sender.name.split()) > len(person.name.split()):
        person.name = sender.name
    person.role = person.role or sender.role
    return person


@lru_cache(maxsize=64)
def _padded_words(text: str) -> str:
    """The folded words of a sentence or clause between spaces; asked once per person, built once."""
    return f" {' '.join(_WORDS.findall(fold(text)))} "


def _named_in(text: str, person: Mention) -> bool:
    """Is the person named (full or first name) in the text? Plain string search: no per-name regex."""
    if not person.name:
        return False
    padded = _padded_words(text)
    return f" {fold(person.name)} " in padded or f" {person.first} " in padded


def _resolve_first_names(
    sentence: str, known: dict[str, tuple[str, str | None]], skip: set[str]
) -> list[Mention]:
    """Capitalised first names in a sentence completed from the directory ("Linnea" → Linnea Hed)."""
    out: list[Mention] = []
    for word in _CAPITALISED.findall(sentence):
        matches = {v for k, v in known.items() if k.split()[0] == fold(word) and k not in skip}
        if len(matches) == 1:
            name, email = next(iter(matches))
            at = sentence.find(word)
            role = role_near(sentence, at, at + len(word), word)
            out.append(Mention(name, email, role=role, start=at, qualified=True))
    return out


# "min kollega Maria": a first name after a relation word, completed from Cc, To or quoted history
_RELATION_BEFORE = re.compile(
    r"\b(?:kol{1,2}egan?|kollegor|medarbetare|medarbetaren|chef|chefen|assistent|colleague|och|samt|plus|and)\s+$",
    re.I,
)
# "min kolega aino" written on a phone: a first name in lower case right after the relation word
_RELATION_THEN_WORD = re.compile(
    r"\b(?:kol{1,2}egan?|medarbetare|medarbetaren|colleague)\s+([a-zåäöé][a-zåäöé-]+)\b"
)


def _colleagues_by_first_name(
    body: str, known: dict[str, tuple[str, str | None]], sender: Sender, already: list[Mention]
) -> list[Mention]:
    if not known:
        return []
    taken = {fold(m.name) for m in already if m.name} | {fold(n) for n in sender.names}
    found: list[Mention] = []
    for sentence in sentences(body):
        if not is_request(sentence):
            continue
        for person in _resolve_first_names(sentence, known, taken):
            at = sentence.find(person.name.split()[0]) if person.name else -1
            if at > 0 and _RELATION_BEFORE.search(sentence[:at]) and not _is_sender(person, sender):
                person.start = body.find(sentence) + at
                taken.add(fold(person.name or ""))
                found.append(person)
        for match in _RELATION_THEN_WORD.finditer(sentence):
            word = match.group(1)
            matches = {v for k, v in known.items() if k.split()[0] == fold(word) and k not in taken}
            if len(matches) == 1:
                name, email = next(iter(matches))
                taken.add(fold(name))
                found.append(Mention(name, email, start=body.find(sentence) + match.start(1), qualified=True))
    return found


# The writer named together with others in the cancelling clause: "både min och Eva Bergs", "jag och Per"
_WRITER_TOO = re.compile(
    # "både för mig och för vår näringslivsutvecklare Johan": a preposition and a title may come between
    r"\b(?:både\s+)?(?:för\s+)?(?:jag|min|mitt|mig|mej)\s+(?:och|o|&)\s+(?:för\s+)?(?:(?:min|vår|mina|våra)\s+[\wåäö-]+\s+)?[A-ZÅÄÖ]"
    r"|\b[A-ZÅÄÖ]\w+\s+och\s+(?:jag|mig|mej)\b"
    r"|\bbåde\s+(?:för\s+)?(?:jag|min|mitt|mig)\b"
    # "varken jag eller Petra", "varken Per eller jag", "neither I nor Petra"
    r"|\b(?:varken|neither)\s+(?:jag|mig|mej|I|me)\s+(?:eller|nor)\s+[A-ZÅÄÖ]"
    r"|\b(?:varken|neither)\s+[A-ZÅÄÖ]\w+\s+(?:eller|nor)\s+(?:jag|mig|mej|I|me)\b"
)
# Someone who has left or cannot come on a day, whose place a newcomer takes: "Sara Lind har slutat hos oss",
# "går i pension", "Kjell kan inte den 23 oktober"
_LEAVES = re.compile(
    r"\b(?:har\s+slutat|slutar|har\s+gått\s+i\s+pension|går\s+i\s+pension|har\s+bytt\s+jobb|jobbar\s+inte\s+"
    r"(?:kvar|längre)|(?:has\s+)?left\s+(?:us|the)|kan\s+(?:tyvärr\s+)?inte\s+(?:den|på)\s+(?:\d|\w+dag|träff))",
    re.I,
)
# A name in the genitive: "Eva Bergs anmälan", "både min och Eva Bergs" (the noun left out)
_GENITIVE_AFTER = re.compile(r"^\s*(?:anmälan|plats|platser|registrering|deltagande|namn)\b", re.I)
_GENITIVE_BEFORE = re.compile(r"\b(?:min|mitt|mina|din|hans|hennes|vår|vårt|er|ert)\s+och\s+$", re.I)


def _genitive(mention: Mention, body: str, known: dict[str, tuple[str, str | None]]) -> None:
    """ "Eva Bergs" in "både min och Eva Bergs (anmälan)" is Eva Berg: drop the genitive -s of a prose name."""
    name = mention.name
    if not name or mention.email or not name.endswith("s") or name.endswith("ss") or mention.start < 0:
        return
    at = body.find(name, max(0, mention.start - 2))
    if at < 0:
        return
    after, before = body[at + len(name) :], body[max(0, at - 20) : at]
    bare = name[:-1]
    if _GENITIVE_AFTER.match(after) or _GENITIVE_BEFORE.search(before) or fold(bare) in known:
        mention.name = bare
        entry = known.get(fold(bare))
        if entry and entry[1]:
            mention.email = entry[1]


def _cancelled(
    body: str, sender: Sender, mentions: list[Mention], known: dict[str, tuple[str, str | None]]
) -> list[Mention]:
    chosen: list[Mention] = []
    last: Mention | None = None
    sender_folded = {fold(n) for n in sender.names}
    cancelling = False
    listed = [m for m in mentions if m.source == "list"]
    intro = None
    for sentence in sentences(body) if listed else ():
        if sentence.rstrip().endswith(":") and (CANCEL.search(sentence) or CANCEL_WEAK.search(sentence)):
            # "Följande avanmäls:" above a list: everyone listed is cancelled, the writer's row too
            chosen = [_sender_mention(sender, m) if _is_sender(m, sender) else m for m in listed]
            intro = sentence
            break
    for sentence in sentences(body):
        if sentence == intro:
            continue
        named = [m for m in mentions if _named_in(sentence, m)]
        if not named:
            named = _resolve_first_names(sentence, known, sender_folded)
            named = [m for m in named if not _is_sender(m, sender)]
        if cancelling and _CONCERNS.match(sentence):
            # "ingen av oss kan komma. Det gäller mig, Jonas och Petra": the next sentence says who
            if _FIRST_PERSON.search(sentence):
                chosen.append(_sender_mention(sender))
            chosen.extend(m for m in named if not _is_sender(m, sender))
            continue
        cancelling = bool(CANCEL.search(sentence) or CANCEL_WEAK.search(sentence))
        if cancelling and not _STAYS.search(sentence):
            # "Viktor Almqvist och Elin Backlund kan inte komma": everyone named in the cancelling clause
            in_clause = [
                m
                for c in clauses(sentence)
                if CANCEL.search(c)
                for m in named
                if _named_in(c, m) and not _is_sender(m, sender)
            ]
            if in_clause and any(_WRITER_TOO.search(c) for c in clauses(sentence) if CANCEL.search(c)):
                chosen.extend([_sender_mention(sender), *in_clause])
            elif len(in_clause) > 1:
                chosen.extend(in_clause)
            elif named and not _is_sender(named[0], sender):
                chosen.append(named[0])
            elif _THIRD_PERSON.search(sentence) and last is not None:
                chosen.append(last)
            else:
                chosen.append(_sender_mention(sender))
        if named:
            last = named[-1]
    unique: dict[str, Mention] = {}
    for person in chosen:
        unique.setdefault(fold(person.email or person.name or ""), person)
    return list(unique.values())


def participants(
    intent: str,
    body: str,
    sender: Sender,
    mentions: list[Mention],
    known: dict[str, tuple[str, str | None]],
    out: ParsedMessage,
) -> list[Mention]:
    """The people the message is about, per SCHEMA.md: signed up, cancelled, coming in, or changed."""
    people = _participants(intent, body, sender, mentions, known, out)
    for person in people:
        # "Jag och Lars kommer … Lars är exploateringsingenjör": a title stated of a first name elsewhere
        if person.role is None and person.name and not _is_sender(person, sender):
            person.role = role_by_predicate(body, person.name.split()[0])
    untitled = [p for p in people if p.role is None and p.name and not _is_sender(p, sender)]
    if len(untitled) == 1 and len(people) - sum(p.is_sender for p in people) == 1:
        # the only other person: "… Erik Söderberg över – han blir tillförordnad planchef"
        untitled[0].role = role_by_pronoun(body, untitled[0].name.split()[0])  # type: ignore[union-attr]
    return people


def _participants(
    intent: str,
    body: str,
    sender: Sender,
    mentions: list[Mention],
    known: dict[str, tuple[str, str | None]],
    out: ParsedMessage,
) -> list[Mention]:
    """`participants` before titles stated elsewhere in the text are filled in."""
    own = _stated_own_address(body, sender)
    if own is not None and intent in {"signup", "update"}:
        # "använd gärna min jobbadress X": the address the text gives wins over From, also for the
        # writer's own list row, so it is settled before the writer's mentions take the sender's address
        sender.email = own
    for mention in mentions:
        if mention.source == "prose":
            _genitive(mention, body, known)
        if _is_sender(mention, sender):
            _sender_mention(sender, mention)
        elif mention.name and not mention.email:
            entry = known.get(fold(mention.name))
            if entry and entry[1]:
                mention.email = entry[1]
    qualified = [m for m in mentions if m.qualified or m.is_sender]
    others = [m for m in qualified if not m.is_sender]
    listed_self = [m for m in qualified if m.is_sender]

    if intent == "signup":
        # someone named only in the past or a question ("Per anmälde sig förra veckan") is not signed up now
        # (a name the Cc completed is still a name in the text: its clause decides too)
        others = [
            m for m in others if m.source not in {"prose", "cc"} or is_request(_sentence_at(body, m.start))
        ]
        # "min chef X föreslog att jag …", "Jonas är inte anmäld ännu": named, not signed up
        others = [m for m in others if m.source not in {"prose", "cc"} or not _only_mentioned(body, m)]
        others += _colleagues_by_first_name(body, known, sender, others)
        others = _not_only_informed(body, others)
        low = body.lower()
        self_out = bool(_SELF_OUT.search(body, low))
        self_in = not self_out and any(cue.search(body, low) for cue in _SELF_IN)
        people = list(others)
        if listed_self:
            people = [*listed_self[:1], *others]
            people.sort(key=lambda p: p.start)
        elif self_in or (not others and not self_out):
            people = [_sender_mention(sender), *others]
        return people
    if intent == "cancel":
        return _cancelled(body, sender, mentions, known)
    if intent == "substitute":
        # "Jag kan inte komma på träff 2, men min kollega Eva går i stället för mig": the cancelling clause,
        # not its whole sentence, names whom the newcomer replaces
        # not its whole sentence, names whom the newcomer replaces; in "X går i stället för Y, som har fått
        # förhinder" only the names after the substitution cue are replaced
        cancel_clauses = []
        for c in (c for s in sentences(body) for c in clauses(s) if CANCEL.search(c) or _LEAVES.search(c)):
            cue = SUBSTITUTE.search(c)
            cancel_clauses.append(c[cue.start() :] if cue else c)
        replaced = [m for m in mentions if any(_named_in(c, m) for c in cancel_clauses) and not m.is_sender]
        replaced = replaced or _replaced_by_reference(body, mentions)
        newcomers = [m for m in others if m not in replaced]
        if replaced and _WRITER_TAKES_OVER.search(body) and not _REPLACES_SENDER.search(body):
            # "Jag har tagit över Maria Eks tjänst … enligt överenskommelse med vår chef X": the writer comes in
            newcomers = []
        if not newcomers and replaced:
            # "Jag ska gå i stället för min kollega Oskar Lund": the writer comes in
            newcomers = [_sender_mention(sender, listed_self[0] if listed_self else None)]
        target: str | None = None
        if (_REPLACES_SENDER.search(body) or SEND_FOR_ABSENT.search(body)) and not any(
            p.is_sender for p in newcomers
        ):
            target = sender.email
        elif replaced:
            target = replaced[0].email or replaced[0].name
        elif not any(p.is_sender for p in newcomers) and (
            any(_FIRST_PERSON.search(c) for c in cancel_clauses) or _WRITER_SENDS_INSTEAD.search(body)
        ):
            # "Jag har fått förhinder … I stället kommer min kollega X", "Jag skickar X i stället": the writer's place
            target = sender.email
        for person in newcomers:
            person.replaces = target
        if len(newcomers) > 1:
            # "I mitt ställe kommer Linn …. I Oscars ställe kommer Samir …": each says whose place they take
            places = [_place_taken(body, p, mentions, sender) for p in newcomers]
            if all(places) and len(set(places)) == len(places):
                for person, whom in zip(newcomers, places, strict=True):
                    person.replaces = whom
            else:
                out.flag("Flera möjliga ersättare i meddelandet")
        return newcomers
    # update: the sender's own registration unless the text names someone else; a name or address the
    # text gives as the old one ("anmäld som Josefin Ahl", "min gamla adress") is the sender's own past
    # "Jonas är inte anmäld ännu": someone not registered has nothing to change
    others = [m for m in others if not _only_mentioned(body, m)]
    others += _changed_by_first_name(body, known, sender, others)
    # a row of a table or list of changes is a change asked for, whatever the prose around it says
    requested = [
        m
        for m in others
        if m.source == "list" or is_request(_sentence_at(body, m.start)) or _address_given(body, m)
    ]
    # "Kommunalrådet Bo Ekman, som är anmäld, har fått celiaki. Kan ni notera glutenfri kost för honom?"
    if (
        not requested
        and len(others) == 1
        and any(_THIRD_PERSON.search(c) and is_request(c) for c in sentences(body))
    ):
        requested = list(others)
    others = requested
    people = others or [_sender_mention(sender, listed_self[0] if listed_self else None)]
    if others and listed_self and listed_self[0].source == "list":
        # the writer's own row among the rows of changes
        people = sorted([_sender_mention(sender, listed_self[0]), *others], key=lambda p: p.start)
    elif others and not listed_self and _writer_changes_too(body, others):
        # "Två ändringar för min del: … Och till min kollega X:s anmälan …": the writer's own changes count too
        people = [_sender_mention(sender), *others]
    if not others:
        me = people[0]
        new_addresses = [
            e.group(0).lower()
            for e in EMAIL_RE.finditer(body)
            if e.group(0).lower() != sender.email and is_request(_sentence_at(body, e.start()))
        ]
        if new_addresses and re.search(r"adress|e-?post|mejl|mail", body, re.I):
            me.email = new_addresses[0]
    return people


def _address_given(body: str, mention: Mention) -> bool:
    """Is the person's address stated in a request ("…, men rätt adress är per.holm@…")?"""
    if not mention.email or mention.email not in body.lower():
        return False
    at = body.lower().find(mention.email)
    return any(mention.email in c.lower() and is_request(c) for c in _pieces(_sentence_at(body, at)))


# The writer speaking of their own registration: "för min del", "jag" as the one who changes
_WRITER_OWN = Cue(r"\bför\s+min\s+(?:egen\s+)?del\b|\bjag\b|\bI\b", "för min|jag|i")


# a meeting named by word or date; a bare digit may be a phone number
_MEETING_WORDS = re.compile(
    r"\bträff|\b\d{1,2}/\d{1,2}\b|\b(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober"
    r"|november|december)\w*|\b(?:jan|feb|sept?|okt|nov|dec)\b",
    re.I,
)


def _writer_changes_too(body: str, others: list[Mention]) -> bool:
    """Does an update that names colleagues also change the writer's own registration? A sentence in the
    first person that names none of them and states a meeting, a food need or a title is the writer's."""
    firsts = [m.name.split()[0] for m in others if m.name]
    for sentence in sentences(body):
        if not _WRITER_OWN.search(sentence) or _THIRD_PERSON.search(sentence):
            continue
        if any(re.search(rf"\b{re.escape(f)}\b", sentence) for f in firsts) or "@" in sentence:
            continue
        if not is_request(sentence):
            continue
        states = (
            diet_in(sentence) is not None
            or role_of(sentence) is not None
            or bool(_MEETING_WORDS.search(sentence))
        )
        if states:
            return True
    return False


# "X efterträder Peter Malm", "tar över efter Peter": the one replaced named right after the verb
_REPLACES_NAMED = re.compile(
    r"\b(?:ersätter|efterträder|tar\s+över\s+efter|replaces|succeeds)\s+(?:(?:min|vår)\s+(?:kollega|chef)\s+)?"
    r"(?P<who>[A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+)?)"
    # "har tagit över Maria Eks tjänst", "tar över Per Lunds plats": the one whose post is taken over
    r"|\b(?:tar|tagit|tog|övertar|övertagit)\s+(?:(?:jag|vi|hon|han|också|även|nu)\s+){0,3}över\s+"
    r"(?P<whose>[A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+)?)s\s+(?:tjänst|plats|roll|uppdrag|befattning)"
)
# "Hanna tar över hans plats", "i hennes ställe", "efterträder honom": the one replaced was named before
_REPLACES_PRONOUN = re.compile(
    r"\b(?:(?:tar\s+(?:(?:jag|vi|hon|han|också|även|nu)\s+){0,3}över|övertar|går\s+in\s+på)\s+(?:hans|hennes)\s+plats|i\s+(?:hans|hennes)\s+ställe"
    r"|(?:ersätter|efterträder|tar\s+över\s+efter)\s+(?:honom|henne)|takes\s+over\s+(?:his|her)\s+place"
    r"|(?:replaces|succeeds)\s+(?:him|her))\b",
    re.I,
)


def _changed_by_first_name(
    body: str, known: dict[str, tuple[str, str | None]], sender: Sender, already: list[Mention]
) -> list[Mention]:
    """ "Amanda är vegetarian och Kenneth tål inte laktos" in an update: first names the directory (the
    quoted registration, To/Cc) completes, in sentences that state a food need or a meeting."""
    if not known:
        return []
    taken = {fold(m.name) for m in already if m.name} | {fold(n) for n in sender.names}
    found: list[Mention] = []
    for sentence in sentences(body):
        if diet_in(sentence) is None and not _MEETING_WORDS.search(sentence):
            continue
        if not is_request(sentence):
            continue
        for person in _resolve_first_names(sentence, known, taken):
            if _is_sender(person, sender) or not person.name:
                continue
            person.start = body.find(sentence) + max(0, sentence.find(person.name.split()[0]))
            taken.add(fold(person.name))
            found.append(person)
    return found


# "i mitt ställe", "i Oscars ställe", "i stället för mig / för Oscar": whose place a newcomer takes
_PLACE_OF = re.compile(
    r"\b[Ii]\s+(?:(?P<me>mitt)|(?P<who>(?:[A-ZÅÄÖ][\w-]+\s+)?[A-ZÅÄÖ][\w-]+?)s)\s+ställe\b"
    r"|\b[Ii]\s?stället\s+för\s+(?:(?P<me2>mig|mej)|(?P<who2>[A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)?))"
    r"|\b[Ii]n\s+(?:(?P<me3>my)|(?P<who3>[A-Z][\w-]+?)'s)\s+place\b",
)


def _place_taken(body: str, person: Mention, mentions: list[Mention], sender: Sender) -> str | None:
    """The address (else name) of the one whose place the sentence naming this newcomer says they take."""
    if person.start < 0:
        return None
    found = _PLACE_OF.search(_sentence_at(body, person.start))
    if found is None:
        return None
    if found.group("me") or found.group("me2") or found.group("me3"):
        return sender.email
    who = fold(found.group("who") or found.group("who2") or found.group("who3") or "")
    matches = [
        m for m in mentions if m is not person and not m.is_sender and m.name and fold(m.name).startswith(who)
    ]
    if len({fold(m.name or "") for m in matches}) != 1:
        return None
    return matches[0].email or matches[0].name


def _replaced_by_reference(body: str, mentions: list[Mention]) -> list[Mention]:
    """Whom a newcomer replaces when no cancelling clause says it: the person named right after the verb
    ("X efterträder Peter Malm"), or, by "hans/hennes plats", the one named last before that sentence."""
    low = body.lower()
    if not any(w in low for w in ("ersätt", "efterträd", "över", "ställe", "place", "repl", "succeed")):
        return []  # a cheap gate: most messages name no replacement
    for sentence in sentences(body):
        named = _REPLACES_NAMED.search(sentence)
        if named:
            who = fold(named.group("who") or named.group("whose"))
            found = [m for m in mentions if not m.is_sender and m.name and fold(m.name).startswith(who)]
            if found:
                return found[:1]
        pronoun = _REPLACES_PRONOUN.search(sentence)
        if pronoun:
            # the one named before the pronoun, in an earlier sentence or earlier in this one ("Jonas är sjuk och
            # har bett mig gå i hans ställe")
            at = body.find(sentence)
            after = sentence[pronoun.start() :]
            earlier = [m for m in mentions if not m.is_sender and m.start < at and not _named_in(sentence, m)]
            earlier = earlier or [
                m
                for m in mentions
                if not m.is_sender and at <= m.start < at + pronoun.start() and not _named_in(after, m)
            ]
            if earlier:
                return [max(earlier, key=lambda m: m.start)]
    return []


# Someone the writer only keeps informed, in copy or not: "står på kopia för kännedom", "deltar inte själv"
ONLY_INFORMED = Cue(
    r"\bför\s+kännedom\b|\bför\s+(?:din\s+|er\s+)?info(?:rmation)?\b|\bfyi\b|\bfor\s+(?:your\s+)?information\b"
    r"|\b(?:deltar|kommer)\s+(?:inte|ej)(?:\s+själv)?\s*(?:[.,!;]|$)|\binte\s+med\s+själv\b"
    r"|\b(?:is|will)\s+not\s+(?:be\s+)?(?:attending|joining)\s*(?:[.,!;]|$)"
    # "har inte möjlighet att delta i höst", "has no chance to attend this time": not at all, no meeting named
    r"|\b(?:har|hade|have|has)\s+(?:inte|ej|ingen|not|no)\s+(?:\w+\s+)?(?:möjlighet|chans|tid|opportunity|chance|time)\s+"
    r"(?:att\s+|to\s+)?(?:delta|vara\s+med|komma|attend|join|come)"
    r"(?:\s+(?:i\s+höst|i\s+år|nu|den\s+här\s+gången|denna\s+gång|this\s+(?:autumn|fall|time|year)))?\s*(?:[.!;]|,\s*(?:så|men|so|but)\b|$)"
    # "hon får ta del av materialet via mig": kept informed through the writer
    r"|\b(?:ta|tar|får)\s+del\s+av\s+(?:\w+\s+)?(?:materialet|dokumentationen|presentationerna)\s+(?:via|genom|från)\s+(?:mig|oss)\b",
    "kännedom|info|fyi|inte|ej|not|ingen|no|materialet|dokumentationen|presentationerna",
)
# A segment with a verb says something of its own; "Maria Åkesson, vår chef, och" shares the next one
_HAS_VERB = re.compile(
    r"\b(?:står|är|får|finns|deltar|kommer|ska|kan|vill|går|anmäl\w*|is|will|gets|has|joins)\b", re.I
)


_ALONE = re.compile(SIGNS_UP_ALONE, re.I)
_GOES_ON = re.compile(
    r"\W*(?:(?:men|och|så|but|and|so)\s+)?(?:han|hon|hen|he|she)\b"
    r"|\W*(?:men|och|så|but|and|so)\s+(?:har|hade|kan|kommer|är|ska|får|deltar|has|had|can|will|is|gets)\b",
    re.I,
)
_PRONOUN_OPENS = re.compile(r"\W*(?:(?:men|och|but|and)\s+)?(?:han|hon|hen|he|she)\b", re.I)


def _not_only_informed(body: str, others: list[Mention]) -> list[Mention]:
    """People a sign-up names only to say they are informed or are not coming are not signed up.

    Each person's own segment of the sentence (up to the next name; "Per och Anna står på kopia för
    kännedom" shares it) must not say so; a sentence that also signs someone up keeps that person.
    """
    low = body.lower()
    if len(others) == 0 or not (ONLY_INFORMED.hit(body, low) or NOT_YET.hit(body, low)):
        return others
    informed: set[int] = set()
    for sentence in sentences(body):
        if not (ONLY_INFORMED.hit(sentence) or NOT_YET.hit(sentence)):
            continue
        said = per_person.split(list(clauses(sentence)), others, lambda t: _HAS_VERB.search(t) is not None)
        for index, texts in said.own.items():
            if any(
                (ONLY_INFORMED.search(t) and not _SIGN_UP_VERB.search(t)) or NOT_YET.search(t) for t in texts
            ):
                informed.add(index)
        # "Per Lund vill vara med, men han anmäler sig separat": the pronoun is the one person named
        named = [i for i, m in enumerate(others) if m.name and m.name in sentence]
        if len(named) == 1 and any(_PRONOUN_OPENS.match(c) and _ALONE.search(c) for c in clauses(sentence)):
            informed.add(named[0])
        # "X är intresserad men har inte möjlighet att delta, så hon får materialet via mig": the clauses
        # after the one name that go on without a subject of their own (or with a pronoun) are still about X
        if len(named) == 1:
            after = sentence[sentence.find(others[named[0]].name or "") :]
            if any(
                _GOES_ON.match(c) and ONLY_INFORMED.search(c) and not _SIGN_UP_VERB.search(c)
                for c in list(clauses(after))[1:]
            ):
                informed.add(named[0])
    return [m for i, m in enumerate(others) if i not in informed]


# Someone who has not decided, or is registered already: "funderar fortfarande", "kanske vill vara med",
# "har redan anmält sig"; the evidence accounting flags a name left unused that no recipient explains
NOT_YET = Cue(
    r"\b(?:funderar|överväger|considering)\b|\bredan\s+anmäl\w*|\balready\s+registered"
    r"|\b(?:kanske|eventuellt|might|maybe|may\s+(?:also\s+)?(?:want|wish))\b[^.!?]{0,40}\b(?:vill|vara\s+med"
    r"|delta\w*|komma|kommer|anmäl\w*|join|attend)"
    rf"|{SIGNS_UP_ALONE}",
    "funderar|överväger|considering|redan|already|kanske|eventuellt|might|maybe|may|" + SIGNS_UP_ALONE_WORDS,
)


_SIGN_UP_VERB = re.compile(r"\banmäl(?:er|a|s)\b|\bregister", re.I)


def _only_mentioned(body: str, mention: Mention) -> bool:
    """Is a person named in passing, in a sentence that signs nobody up ("Jonas är inte anmäld ännu",
    "X står på kopia för kännedom"), or as the one who suggested it ("min chef X föreslog att jag …")?"""
    if suggests(_sentence_at(body, mention.start)):
        return True
    if not mention.name:
        return False
    # a later sentence may name them by first name
    first = mention.name.split()[0]
    return any(
        only_mentioned(s) and not SIGNUP_STRONG.search(s)
        for s in sentences(body)
        if mention.name in s or re.match(rf"\s*{re.escape(first)}\b", s)
    )


def _pieces(sentence: str) -> tuple[str, ...]:
    return sentence_pieces(sentence)


def _sentence_at(body: str, at: int) -> str:
    """The clause around a position of the body (from the last sentence or clause break before it)."""
    if at < 0:
        return ""
    start = max(body.rfind(mark, 0, at) for mark in (". ", "\n", ", men", "? ", "! "))
    ends = [e for e in (body.find(mark, at) for mark in (". ", "\n", ", ")) if e >= 0]
    return body[start + 1 : min(ends) if ends else len(body)]


# "min jobbadress X", "skicka till min mejl X", "my work address X": the writer's own address in the text
_OWN_ADDRESS = re.compile(
    r"\b(?:min|mitt|my)\s+(?:\w+\s+){0,2}?(?:\w*adress|e-?post\w*|mejl\w*|mail\w*|address|email)\b[^@\n]{0,40}?$",
    re.I,
)


def _stated_own_address(body: str, sender: Sender) -> str | None:
    """An address the writer gives as their own (and, when a name is known, one that fits the name)."""
    if "@" not in body:
        return None
    for match in EMAIL_RE.finditer(body):
        address = match.group(0).lower()
        if address == sender.email:
            continue
        before = body[max(0, match.start() - 80) : match.start()]
        if not is_request(_sentence_at(body, match.start())):
            continue
        if _OWN_ADDRESS.search(before):
            if sender.name and not name_matches_address(sender.name, address):
                continue
            return address
        if _private_to_work(sender, address) and _ABOUT_MAIL.search(_sentence_at(body, match.start())):
            return address  # "skicka bekräftelsen till anna.berg@ludvika.se" from her private mail
    return None


# The sentence speaks of where mail should go
_ABOUT_MAIL = re.compile(
    r"\b(?:bekräftelse\w*|skicka\w*|\w*adress\w*|mejl\w*|mail\w*|e-?post\w*|send|confirmation)", re.I
)


def _private_to_work(sender: Sender, address: str) -> bool:
    """From a private or webmail address, an address of the writer's own name at an organisation."""
    if not sender.name or len(sender.name.split()) < 2 or not name_matches_address(sender.name, address):
        return False
    return of_address(sender.email) is None and of_address(address) is not None


def _diet_clauses(body: str, row_addresses: frozenset[str] = frozenset(), forms: bool = False) -> list[str]:
    """``forms``: the body has form blocks (Namn:/Kost:), whose food fields were read with their person;
    without them a lone "Specialkost: ingen" is the writer's own, read like a sentence."""
    out: list[str] = []
    # a list row's later sentences ("1. Per Alm, chef, per.alm@x.se – alla träffar. Laktosfri kost.") were
    # read with the row's person, like its first
    row_lines = [
        " ".join(line.split())
        for line in body.splitlines()
        if "@" in line and any(a in line.lower() for a in row_addresses) and _LIST_ITEM.match(line)
    ]
    for sentence in sentences(body):
        if row_addresses and "@" in sentence and any(a in sentence.lower() for a in row_addresses):
            continue  # a table or list row (its person's address is in it) carries its own food needs
        if row_lines and any(sentence in line for line in row_lines):
            continue
        if _LIST_ITEM.match(sentence) or ("@" in sentence and _ROW_LIKE.match(sentence)):
            continue  # list rows carry their own food needs
        if forms and _FOOD_FIELD.match(sentence):
            continue  # form fields were read with their person
        parts = [p for p in _PERSON_COMMA.split(sentence) if p.strip()]
        topic = _FOOD_TOPIC.match(sentence)
        if topic and len(parts) > 1:
            parts = [
                f"{p.strip().rstrip('.!')} {topic.group(1)}." if _ELLIPTIC_NONE.match(p) else p for p in parts
            ]
        out.extend(parts)
    return out


def _person_segments(texts: list[str], people: list[Mention]) -> list[tuple[str, Mention | None]]:
    """Clauses cut where another person's name or "jag" begins ("Karin är vegetarian och jag äter allt"),
    each with the person whose segment it is ("Sofia och jag har inga önskemål": the shared words are
    Sofia's too), or None when the clause is read whole."""
    if len(people) < 2:
        return [(t, None) for t in texts]
    out: list[tuple[str, Mention | None]] = []
    for text in texts:
        said = per_person.split([text], people, lambda t: diet_in(t) is not None)
        # a lead that states no food ("Om maten: Jonas …") does not make the sentence the group's
        if len(said.own) < 2 or any(diet_in(g) is not None for g in said.group):
            out.append((text, None))
            continue
        pieces = [(t, people[i]) for i, texts_ in said.own.items() for t in texts_]
        out.extend(sorted(pieces, key=lambda piece: text.find(piece[0])))
    return out


def _merge(person: Mention, diet: list[Diet]) -> None:
    if not diet:
        if person.diet is None:
            person.diet = []
        return
    current = list(person.diet or [])
    person.diet = current + [d for d in diet if d not in current]


def diets(body: str, people: list[Mention], sender: Sender, out: ParsedMessage) -> None:
    """Attribute each food statement to the people it is about."""
    if not people:
        return
    # a wrapped list item ("... rasmus.hoglund@x.se\n(nötallergi)") carries its food needs on the next line
    for index, row in per_person.rows(body, people).items():
        person = people[index]
        if person.diet is None and "\n" in row:
            person.diet = diet_in(EMAIL_RE.sub(" ", row.split("\n", 1)[1]))
    corrects = bool(_CORRECTS.search(body))
    last_named: Mention | None = None
    row_addresses = frozenset(p.email for p in people if p.email and p.source in {"list", "form"})
    forms = any(p.source == "form" for p in people)
    for clause, owner in _person_segments(_diet_clauses(body, row_addresses, forms), people):
        named = [p for p in people if _named_in(clause, p)]
        if (
            owner is not None
            and owner not in named
            and not (owner.is_sender and _FIRST_PERSON.search(clause))
        ):
            named = [owner]  # the words this person shares with the next one named
        diet = diet_in(clause)
        if diet is not None and not named:
            clause = own_food_words(clause)
            diet = diet_in(clause)
        if diet is None:
            if named:
                last_named = named[-1]
            continue
        targets: list[Mention]
        if _GROUP_REST.search(clause):
            targets = [p for p in people if p.diet is None]
        elif _GROUP_ALL.search(clause) and len(people) > 1:
            targets = [p for p in people if p.diet is None] if diet == [] else list(people)
        elif named:
            targets = named
        elif _FIRST_PERSON.search(clause) and not _REPORTED.search(clause):
            targets = [p for p in people if p.is_sender]
            if not targets and len(people) == 1 and not sender.email:
                targets = list(people)
        elif _THIRD_PERSON.search(clause):
            others = [p for p in people if not p.is_sender]
            targets = [last_named] if last_named in others else (others if len(others) == 1 else [])
        else:
            targets = list(people) if len(people) == 1 else []
        if not targets:
            if not _FIRST_PERSON.search(clause):
                out.flag("Oklart vems specialkost som avses")
            continue
        for person in targets:
            _merge(person, diet)
            person.diet_adds = (
                bool(diet) and not corrects and (person.diet_adds or bool(_ADDS.search(clause)))
            )
        if named:
            last_named = named[-1]


def meetings(
    intent: str,
    body: str,
    people: list[Mention],
    sender: Sender,
    dates: tuple[MeetingDate, ...],
    sent: dt.date | None,
    out: ParsedMessage,
) -> None:
    """Resolve the meetings the message names and give them to its people."""
    if not people or not dates:
        return
    chosen: list[str] = []
    # meetings named where the writer does not ask for them: what "de tre övriga" leaves out
    elsewhere: set[int] = set()
    conditional: list[str] = []  # "träff 3 också, men bara om den går digitalt"
    for sentence in sentences(body):
        for clause in _pieces(sentence):
            if not is_request(clause):
                ref = meeting_refs.reference(clause, dates, sent)
                elsewhere |= ref.numbers
                if ref and (restricted(clause) or put_off(clause)):
                    conditional.append(clause)
    for sentence in sentences(body):
        if intent == "substitute" and not (
            SUBSTITUTE.search(sentence)
            or CANCEL.search(sentence)
            or any(_named_in(sentence, p) for p in people)
            or (_THIRD_PERSON.search(sentence) and not _FIRST_PERSON.search(sentence))
        ):
            continue
        if intent == "substitute" and meeting_refs.AGAIN.search(sentence) and not SUBSTITUTE.search(sentence):
            continue  # "Han räknar med att vara tillbaka till decemberträffen": the replaced one's return
        if (
            intent == "signup"
            and "@" in sentence
            and EMAIL_RE.search(sentence)
            and _LIST_ITEM.match(sentence)
        ):
            continue
        chosen.extend(c for c in _pieces(sentence) if is_request(c))
    if len(people) > 1:
        _meetings_per_person(chosen, body, people, dates, sent, intent, frozenset(elsewhere), out)
    else:
        selection = meeting_refs.select(chosen, dates, sent, intent, frozenset(elsewhere))
        if selection.conflict:
            out.flag("Motstridiga uppgifter om vilka träffar som gäller")
        _flag_hedged(selection, out)
        for person in people:
            if person.meetings is None:  # a table row or list item that named its own meetings keeps them
                person.meetings = selection.meetings
    if conditional and all(p.meetings is None for p in people):
        # the only meetings named hang on a condition ("men bara om den går digitalt") or are put off
        # ("återkommer om träff 3"): not the whole series
        text = " ".join(conditional[0].split())
        out.flag(f"villkorad träff: «{text[:60]}{'…' if len(text) > 60 else ''}»")


def _meetings_per_person(
    chosen: list[str],
    body: str,
    people: list[Mention],
    dates: tuple[MeetingDate, ...],
    sent: dt.date | None,
    intent: str,
    elsewhere: frozenset[int],
    out: ParsedMessage,
) -> None:
    """Several people: each row, list item or named segment gives its person's meetings; the rest the group's."""
    row_text = per_person.rows(body, people)
    in_rows = [" ".join(t.split()) for t in row_text.values()]
    prose = [c for c in chosen if not any(c in row or row in c for row in in_rows)]

    def says(text: str) -> bool:
        return bool(meeting_refs.reference(text, dates, sent))

    said = per_person.split(prose, people, says)
    group = meeting_refs.select(said.group, dates, sent, intent, elsewhere)
    own_clauses: dict[int, list[str]] = {i: list(said.own.get(i, [])) for i in range(len(people))}
    for index, text in row_text.items():
        row_clauses = [c for s in sentences(text) for c in clauses(s) if is_request(c)]
        # "Per Lund (per@…) och jag anmäler oss. Per på träff 2, jag på 1": a row line may speak of others too
        in_row = per_person.split(row_clauses, people, says)
        for other, texts in in_row.own.items():
            own_clauses[other] += texts
        own_clauses[index] += in_row.group
    chosen_by: dict[int, meeting_refs.Selection | None] = {
        i: meeting_refs.select(own, dates, sent, intent, elsewhere) if own else None
        for i, own in own_clauses.items()
    }
    for index, own in own_clauses.items():
        if any(meeting_refs.reference(c, dates, sent).rest for c in own):
            # "Olof – träff 1, Sanna – de övriga": the rest is what the other people take
            others = _taken_by_others(index, people, chosen_by, dates)
            chosen_by[index] = meeting_refs.select(own, dates, sent, intent, elsewhere | others)
    for index, person in enumerate(people):
        selection = chosen_by[index]
        if selection is None or selection.meetings is None:
            selection = group
        if selection.conflict:
            out.flag("Motstridiga uppgifter om vilka träffar som gäller")
        _flag_hedged(selection, out)
        if person.meetings is None:
            person.meetings = selection.meetings


def _flag_hedged(selection: meeting_refs.Selection, out: ParsedMessage) -> None:
    for clause in selection.hedged[:1]:
        text = " ".join(clause.split())
        out.flag(f"osäker träff: «{text[:60]}{'…' if len(text) > 60 else ''}»")


def _taken_by_others(
    index: int,
    people: list[Mention],
    chosen_by: dict[int, meeting_refs.Selection | None],
    dates: tuple[MeetingDate, ...],
) -> frozenset[int]:
    """The meetings the other people take by name (the whole series says nothing of what is left)."""
    everyone = {m.number for m in dates}
    taken: set[int] = set()
    for other, person in enumerate(people):
        if other == index:
            continue
        selection = chosen_by.get(other)
        own = person.meetings or (selection.meetings if selection else None)
        if own and set(own) != everyone:
            taken |= set(own)
    return frozenset(taken)


# Our own confirmation, quoted in a reply, lists what is registered ("Träffar: 1 och 2"); a writer who
# quotes another system's receipt, or retypes it, names the field as people do ("Anmäld till: träff 1 och
# 2", "Registrerad på:", "Du deltar på:", "Registered for:")
_REGISTERED = re.compile(
    r"^[ \t>]*(?:träffar|meetings|(?:du\s+är\s+)?(?:anmäld|registrerad)\s+(?:till|på|för)|du\s+deltar\s+(?:på|i)"
    r"|deltar\s+(?:på|i)|registered\s+for|attending)\s*:\s*(?:träff(?:arna|ar|en)?\s+|meetings?\s+)?(.+)$",
    re.I | re.M,
)


def registered_meetings(quoted: list[str], dates: tuple[MeetingDate, ...]) -> set[int]:
    """The meetings a quoted confirmation lists for the writer, or nothing when none is quoted."""
    for text in quoted:
        match = _REGISTERED.search(text)
        if match:
            return set(meeting_refs.reference(f"träff {match.group(1)}", dates, None).numbers)
    return set()


def quotes_registration(quoted: str) -> bool:
    """Does a quoted text list a registration's meetings, as our confirmation does?"""
    return bool(_REGISTERED.search(quoted))


def adds_meetings(body: str) -> bool:
    """Does the writer add meetings to a registration ("också", "lägga till") rather than replace them?"""
    return bool(ADDS_TO_OWN.search(body))
