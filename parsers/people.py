"""People in a message: the sender (From and signature), forms ("Namn:"), lists and prose mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from parsers.diet import diet_in
from parsers.models import Diet, Role
from parsers.roles import role_of, title_in
from parsers.text import EMAIL_RE, NAME_RE, Cue, fold, name_matches_address, proper_name

# Capitalised words that open sentences or name things, never a person's first name.
_STOP_FIRST = {
    "hej", "hejsan", "hallå", "tack", "kära", "från", "vi", "jag", "med", "till", "ser", "om", "det", "den", "detta",
    "som", "och", "men", "hoppas", "inga", "ingen", "mvh", "hälsningar", "vänliga", "vänligen", "region", "regionen",
    "länsstyrelsen", "kommun", "kommunen", "dear", "hi", "hello", "kind", "best", "please", "thanks", "the", "we",
    "business", "development", "municipality", "kommunstyrelsens", "kommunstyrelsen", "hållbara", "dalalab",
    "dalalabs", "träff", "träffen", "anmälan", "namn", "titel", "organisation", "specialkost", "tel", "telefon",
    "mobil", "box", "besöksadress", "skickat", "ämne", "datum", "kopia", "god", "glad", "trevlig", "trevliga",
    "vår", "våra", "min", "mina", "hans", "hennes", "alla", "samtliga", "efter", "innan", "nu", "när", "hur",
    "vad", "var", "vem", "kan", "ska", "vill", "har", "är", "blir", "finns", "sista", "ny", "nya", "stora",
    "etableringsdagarna", "webbinarium", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag",
    "söndag", "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
    "november", "december", "sverige", "dalarna", "falun", "enheten", "förvaltningen", "avdelningen",
    "my", "our", "your", "his", "her", "their", "this", "that", "on", "in", "at", "for", "and", "but", "food",
}  # fmt: skip
_STOP_ANY = {"kommun", "kommuns", "region", "län", "länsstyrelse", "ab", "stad", "förvaltning", "kontor"}
_STOP_ANY |= {"municipality", "county", "council", "agency", "administration", "board"}
# a language is no name ("My Swedish is not good enough", "Min engelska")
_STOP_ANY |= {"swedish", "english", "svenska", "engelska", "finnish", "finska", "polish", "polska", "german"}
_RELATION = re.compile(
    r"\b(kollega|kollegor|kollegan|medarbetare|efterträdare|ersättare|vikarie|chef|skickar vi|kommer|och|samt"
    r"|colleague|successor|replacement|deputy|assistent)\s*$",
    re.I,
)
_FORM_FIELD = re.compile(
    r"^\s*(namn|name|titel|title|befattning|roll|e-?post|e-?mail|mejl|mail|epost|specialkost|kost|allergi\w*"
    r"|matpreferens\w*|organisation|kommun|förvaltning|telefon|tel|mobil|träffar|deltar)\s*:\s*(.*)$",
    re.I,
)
_LIST_LINE = re.compile(
    r"^\s*(?:[-•*·]|\d{1,2}[.)])?\s*"
    r"(?P<name>[A-Za-zÅÄÖåäöÉéÜü][\wåäöÅÄÖéÉüÜ'-]+(?:\s+[A-Za-zÅÄÖåäöÉéÜü][\wåäöÅÄÖéÉüÜ'-]+){1,2})"
    r"\s*(?:[,–(|:\t]|-\s|\s{2,})\s*(?P<rest>.+)$"
)
_PARENS = re.compile(r"\([^)]*\)")
_COMPANY_AFTER = re.compile(
    r"\s+(?:AB|Aktiebolag|HB|KB|Ltd|Inc|GmbH|Oy|A/S|AS|ASA|SA|SAS|Group|Consulting)\b"
)
_TITLE_AFTER = re.compile(r"\s*(?:,|\(|–|-)\s*(?:ny|nya|vår|min|som)?\s*([^,.)\n]{3,50})")
# "Sanna Ljunggren som är exploateringsingenjör", "Lars Berg (lars@x.se), som jobbar som planerare"
_SOM_AR = re.compile(r"(?:\s*\([^)]*\))?\s*,?\s+som\s+(?:är|jobbar\s+som|arbetar\s+som)\s+([^,.)\n]{3,50})")
_SENTENCE_STOP = re.compile(r"[.!?\n]")
_PRONOUN_TITLE = re.compile(
    # also joined to the writer's own title: "Jag är bygglovschef och han är översiktsplanerare"
    r"(?:^|[.!?]\s+|\s(?:och|and)\s+)(?:Hon|Han|She|He|(?<=och )(?:hon|han)|(?<=and )(?:she|he))\s+"
    r"(?:är|jobbar\s+som|arbetar\s+som|is|works\s+as)\s+(?:an?\s+|vår\s+|our\s+)?"
    r"((?:[\w-]+\s+){0,2}[\w-]+)"
)
_LEADING_PARENS = re.compile(r"^\s*(?:\([^()\n]{0,80}\)|,?\s*<?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+>?)")
_NAMED_ADDRESS = re.compile(r"([^<>\"]{3,60}?)\s*<([^<>\s]+@[^<>\s]+)>")
_ROW_MARK = re.compile(r"^[\s>]*(?:\d{1,2}[.)]|[-*•–])\s+")
# "Lars är exploateringsingenjör", "Per, som är samhällsbyggnadschef hos oss, …", "Eva som jobbar som planerare"
_PREDICATE = re.compile(
    r"\b([A-ZÅÄÖÉ][\w-]+),?\s+(?:som\s+)?(?:är|jobbar som|arbetar som)\s+((?:\S+\s+){0,3})"
)
_SELF_TITLE = re.compile(
    r"\b(?:jobbar|arbetar)\s+som\s+(?P<a>[\wåäöÅÄÖ\- ]{3,60})|\bi work as an?\s+(?P<b>[\w\- ]{3,60})"
    # "jag är 2:e vice ordförande i kommunstyrelsen": an ordinal and "vice" before the title; "är jag
    # tillförordnad X", "jag är numera X": the title the writer holds now
    r"|\bjag är\s+(?:(?:\d:[ae]|förste|första|andre|andra|tredje)\s+)?(?:vice\s+|ställföreträdande\s+)?"
    r"(?P<c>[\wåäöÅÄÖ\-]{4,40})\s+(?:på|i|hos|vid|för)\b"
    # "Jag heter Sofia Lindqvist och är ordförande i samhällsbyggnadsnämnden"
    r"|\bjag heter\s+(?:\S+\s+){1,3}?och\s+är\s+(?P<h>[\wåäöÅÄÖ\-]{4,40}(?:\s+i\s+[\wåäöÅÄÖ\-]+)?)"
    r"|\b(?:jag är|är jag)\s+(?:(?:numera|nu|sedan\s+\S+(?:\s+\S+)?)\s+(?:tillförordnad\s+|tf\.?\s+)?"
    r"|(?:tillförordnad|tf\.?|t\.f\.)\s+)(?P<d>[\wåäöÅÄÖ\-]{4,40})\b"
    r"|\bI(?:'m|\s+am)\s+(?:the\s+|an?\s+)?(?P<e>[\w\- ]{3,40}?)\s+(?:at|in|with|for)\b",
    re.I,
)


@dataclass
class Mention:
    """One person the new text talks about, with what was written next to them."""

    name: str | None
    email: str | None = None
    role: Role | None = None
    diet: list[Diet] | None = None
    start: int = 0
    source: str = "prose"  # form | list | prose | cc
    qualified: bool = False  # said clearly enough to be a participant
    meetings: list[int] | None = None
    replaces: str | None = None
    is_sender: bool = False
    diet_adds: bool = False  # "även/också/dessutom": the diet adds to what is registered

    @property
    def first(self) -> str:
        return fold(self.name.split()[0]) if self.name else ""


@dataclass
class Sender:
    email: str | None = None
    name: str | None = None
    role: Role | None = None
    names: tuple[str, ...] = field(default_factory=tuple)  # ways the sender may be written


def _clean_name(text: str) -> str:
    text = _PARENS.sub(" ", text)
    return " ".join(text.replace('"', " ").split()).strip(" ,.")


def display_name(display: str | None, address: str | None) -> str | None:
    """A From display name in reading order: Outlook's "Berg Mikael" becomes "Mikael Berg"."""
    if not display or "@" in display:
        return None
    name = _clean_name(display.replace(",", " ") if "," in display else display)
    if "," in display:
        # "Berg, Mikael"
        last, _, first = display.partition(",")
        name = _clean_name(f"{first} {last}")
    words = name.split()
    if len(words) == 2 and address:
        local = fold(address.split("@", 1)[0])
        a, b = fold(words[0]), fold(words[1])
        if local.startswith(re.sub(r"[^a-z-]", "", b)) and not local.startswith(re.sub(r"[^a-z-]", "", a)):
            words = [words[1], words[0]]
    return proper_name(" ".join(words)) if words else None


_SIGN_OFF_LINE = re.compile(r"^(?:/|–\s|--?\s)\s*[A-ZÅÄÖ][\w-]+\s+[A-ZÅÄÖ][\w-]+\s*,")


def sender_identity(address: str | None, display: str | None, signature: list[str], body: str) -> Sender:
    """Who wrote the message: address from From, name and title from the signature when it has them."""
    out = Sender(email=address)
    from_name = display_name(display, address)
    tokens = set(fold(from_name).split()) if from_name else set()
    name_line = None
    # a one-line sign-off left at the end of the text ("/Olle Berg, näringslivsutvecklare, Hedemora kommun")
    last = body.rstrip().rsplit("\n", 1)[-1].strip()
    if _SIGN_OFF_LINE.match(last) and last not in signature:
        signature = [*signature, last.lstrip("/–- ")]
    for i, line in enumerate(signature[:8]):
        cleaned = _clean_name(re.split(r"[|,]", line)[0])
        if not cleaned or not NAME_RE.fullmatch(cleaned):
            continue
        folded = set(fold(cleaned).split())
        if (tokens and folded == tokens) or (address and name_matches_address(cleaned, address)):
            name_line = i
            out.name = cleaned
            break
    if out.name is None:
        out.name = from_name
    # the title is the first line after the name that names a role (or the name line's own tail)
    lines = signature[name_line:] if name_line is not None else signature
    for line in lines[:5]:
        tail = line
        if name_line is not None and line is lines[0]:
            tail = re.sub(re.escape(re.split(r"[|,]", lines[0])[0]), "", line, count=1)
            tail = re.sub(r"\([^)]*\)", "", tail)
        role = role_of(tail)
        if role:
            out.role = role
            break
    if out.role is None:
        match = _SELF_TITLE.search(body)
        if match:
            out.role = role_of(next(g for g in match.groups() if g))
    names = [n for n in (out.name, from_name) if n]
    if from_name and len(from_name.split()) == 2:
        names.append(" ".join(reversed(from_name.split())))
    if out.name:
        names.append(out.name.split()[0])
    out.names = tuple(dict.fromkeys(names))
    return out


def directory(pairs: list[tuple[str, str]], quoted_texts: list[str]) -> dict[str, tuple[str, str | None]]:
    """Known people (folded full name → name, address) from headers and quoted history, for lookups only.

    A person found only here is never a participant; the directory completes a first name or a name
    without an address that the new text does mention ("Linnea ... stryka henne").
    """
    known: dict[str, tuple[str, str | None]] = {}
    for display, address in pairs:
        name = display_name(display, address)
        if name:
            known.setdefault(fold(name), (name, address))
    for text in quoted_texts:
        for line in text.split("\n"):
            if "<" not in line or "@" not in line:
                continue
            for match in _NAMED_ADDRESS.finditer(line):
                # "  2. Elin Forsberg <elin.forsberg@…>": a numbered or bulleted row of a registration we sent
                name = _clean_name(_ROW_MARK.sub("", match.group(1).split(":")[-1]))
                if NAME_RE.fullmatch(name):
                    known.setdefault(fold(name), (name, match.group(2).lower()))
        current: str | None = None
        for line in text.split("\n"):
            field_match = _FORM_FIELD.match(line)
            if not field_match:
                continue
            key, value = field_match.group(1).lower(), field_match.group(2).strip()
            if key in {"namn", "name"} and NAME_RE.fullmatch(_clean_name(value)):
                current = _clean_name(value)
                known.setdefault(fold(current), (current, None))
            elif key in {"e-post", "epost", "e-mail", "email", "mejl", "mail"} and current:
                addr = EMAIL_RE.search(value)
                if addr:
                    known[fold(current)] = (current, addr.group(0).lower())
    return known


def quoted_names(quoted_texts: list[str]) -> list[str]:
    """Full names written in the quoted history's prose (the registration a confirmation lists)."""
    out: list[str] = []
    for text in quoted_texts:
        for match in NAME_RE.finditer(text[:4000]):
            name = _clean_name(match.group(1))
            words = fold(name).split()
            if "\n" not in match.group(1) and words[0] not in _STOP_FIRST and not _STOP_ANY & set(words):
                out.append(name)
    return out


def quoted_roles(quoted_texts: list[str]) -> dict[str, Role]:
    """Roles of the list rows in the quoted history ("Petra Holmgren, översiktsplanerare – alla träffar" in
    the confirmation a cancellation answers), by folded name: what is registered for them."""
    out: dict[str, Role] = {}
    for text in quoted_texts:
        for mention in _list_people(text[:4000]):
            if mention.name and mention.role:
                out.setdefault(fold(mention.name), mention.role)
    return out


# An address pattern the writer states for their colleagues: "fornamn.efternamn@lansstyrelsen.se"
ADDRESS_PATTERN = re.compile(
    r"\b(?:f[oö]rnamn|firstname|first[._]name)\.(?:efternamn|lastname|last[._]name|surname)@([a-z0-9.-]+\.[a-z]{2,})",
    re.I,
)
_PLAIN_NAME = re.compile(r"[A-Za-z]+")


def by_pattern(body: str, sender: Sender, people: list[Mention]) -> None:
    """People without an address get "first.last@domain" when the text states that pattern for the sender's
    own domain and the sender's address follows it; only plain names (two words, no diacritics, no hyphen)
    are spelled out, since how a client folds "Öberg" or "Jan-Olof" is the organisation's own rule."""
    if "@" not in body or not sender.email or "@" not in sender.email or not sender.name:
        return
    match = ADDRESS_PATTERN.search(body)
    local, domain = sender.email.split("@", 1)
    if match is None or match.group(1).lower().rstrip(".") != domain:
        return
    if local != ".".join(fold(sender.name).replace("-", "").split()[:1] + fold(sender.name).split()[-1:]):
        return  # the writer's own address does not follow the pattern as we would spell it
    for person in people:
        words = (person.name or "").split()
        if person.email or len(words) != 2 or not all(_PLAIN_NAME.fullmatch(w) for w in words):
            continue
        person.email = f"{words[0]}.{words[1]}@{domain}".lower()


# A form's food field left as a dash or a plain no says there is none
_NO_VALUE = re.compile(r"^\s*(?:[-–—.]*|nej|no|none|ingen|inget|inga|n/a|x)\s*\.?\s*$", re.I)


def _form_diet(value: str) -> list[Diet]:
    if _NO_VALUE.match(value):
        return []
    found = diet_in(value)
    return found if found is not None else ["other"]


def _form_people(body: str) -> list[Mention]:
    people: list[Mention] = []
    offset = 0
    for line in body.split("\n"):
        match = _FORM_FIELD.match(line)
        if match:
            key, value = match.group(1).lower(), match.group(2).strip()
            if key in {"namn", "name"} and value:
                people.append(
                    Mention(proper_name(_clean_name(value)), start=offset, source="form", qualified=True)
                )
            elif people:
                person = people[-1]
                if key in {"titel", "title", "befattning", "roll"}:
                    person.role = role_of(value)
                elif key in {"e-post", "epost", "e-mail", "email", "mejl", "mail"}:
                    addr = EMAIL_RE.search(value)
                    person.email = addr.group(0).lower() if addr else person.email
                elif key.startswith(("specialkost", "kost", "allergi", "matpref")):
                    person.diet = _form_diet(value)
        offset += len(line) + 1
    return people


def _list_people(body: str) -> list[Mention]:
    people: list[Mention] = []
    offset = 0
    for line in body.split("\n"):
        match = _LIST_LINE.match(line)
        if match and not _FORM_FIELD.match(line):
            name = match.group("name")
            rest = match.group("rest")
            words = [fold(w) for w in name.split()]
            email = EMAIL_RE.search(rest)
            title = title_in(EMAIL_RE.sub(" ", rest))
            # a name with a lower-case word ("fredrik sundin, …") counts only when its address is made of it:
            # "En liten uppdatering: jag är nu enhetschef" is a sentence, not a row
            lower_case = any(w[:1].islower() for w in name.split())
            if (
                words[0] not in _STOP_FIRST
                and not any(w in _STOP_ANY for w in words)
                and not role_of(name)
                and (email or (title and title[1]))
                and len(rest) < 200
                and not (lower_case and not (email and name_matches_address(name, email.group(0))))
            ):
                leftover = EMAIL_RE.sub(" ", rest)
                if title:
                    leftover = leftover.replace(title[0], " ", 1)
                people.append(
                    Mention(
                        proper_name(name),
                        email.group(0).lower() if email else None,
                        role_of(title[0]) if title else None,
                        diet_in(leftover),
                        offset,
                        "list",
                        True,
                    )
                )
        offset += len(line) + 1
    return people


@lru_cache(maxsize=8)
def _predicates(body: str) -> tuple[re.Match[str], ...]:
    # "Anders är näringslivsutvecklare": found once per body, asked once per name
    return tuple(_PREDICATE.finditer(body + " "))


def _title_of_next(text: str) -> bool:
    """ "…, vår planarkitekt Eva Berg": the title is followed by the name it belongs to, the next person's."""
    words = text.split()
    for i, word in enumerate(words):
        if role_of(word) or title_in(word):
            return NAME_RE.match(" ".join(words[i + 1 :])) is not None
    return False


# A title the record had, not the one held now: "Eva Berg, som vi anmälde som strateg, är numera planchef",
# "Per Ek, tidigare planarkitekt, har blivit enhetschef", "registered as an officer"
_OLD_TITLE = re.compile(
    r"\b(?:anmäl(?:de|t|d|da)|registrerad\w*|registrerade|tidigare|förut|fd|f\.d\.|före\s+detta|var|fram\s+till"
    r"|registered|formerly|previously|former|was)\b",
    re.I,
)
# The title held now, later in the same sentence: "har gått in som enhetschef", "är numera planchef", "blivit X"
_NEW_TITLE = re.compile(
    r"\b(?:(?:gått|går|gick)\s+in|börjat|tillträtt|(?:fått|tagit)\s+(?:en\s+)?(?:ny\s+)?tjänst(?:en)?|blivit|utsedd\w*"
    r"|(?:är|jobbar|arbetar)\s+(?:numera|nu|sedan\s+\S+(?:\s+\S+)?)|become|is\s+now|now\s+works)"
    r"\s+(?:som\s+|till\s+|as\s+|an?\s+|vår\s+|ny\s+)*([^,.;)\n]{3,50})",
    re.I,
)


def role_near(body: str, start: int, end: int, first: str) -> Role | None:
    """A title written next to a name: "Olof Falk, bygglovschef", "vår kommundirektör Thomas Alm"."""
    after = body[end : end + 60]
    head = _TITLE_AFTER.match(after)
    if head and _OLD_TITLE.search(head.group(1)) and title_in(head.group(1)):
        # the title after the name is the old one: the one held now, if the sentence gives it, else none
        sentence = _SENTENCE_STOP.split(body[end : end + 240])[0]
        now = _NEW_TITLE.search(sentence)
        title = title_in(now.group(1)) if now else None
        return title[1] if title else None
    # "Jonas Berg (jonas.berg@mora.se), exploateringsingenjör": the title after an address in brackets
    bare = _LEADING_PARENS.sub("", body[end : end + 120], count=1)[:60]
    for text in (after, bare) if bare != after else (after,):
        for pattern in (_TITLE_AFTER, _SOM_AR):
            match = pattern.match(text)
            role = role_of(match.group(1)) if match else None
            if role and not _title_of_next(match.group(1) if match else ""):
                return role
    # the words just before the name, within its own sentence
    before = _SENTENCE_STOP.split(body[max(0, start - 60) : start])[-1]
    words = before.split()[-3:]
    if words:
        title = title_in(" ".join(words))
        if title:
            return title[1]
    # "… Sara Nilsson (sara@x.se) will attend. She is a planning architect.": the next sentence's pronoun
    following = body[end : end + 200]
    pronoun = _PRONOUN_TITLE.search(following)
    if pronoun and not NAME_RE.search(following[: pronoun.start()]):
        role = role_of(pronoun.group(1))
        if role:
            return role
    for predicate in _predicates(body):
        if fold(predicate.group(1)) != fold(first):
            continue
        title = title_in(predicate.group(2))
        if title:
            return title[1]
    return None


def role_by_predicate(body: str, first: str) -> Role | None:
    """ "Lars är exploateringsingenjör" anywhere in the text: the role of the person called so."""
    for predicate in _predicates(body):
        if fold(predicate.group(1)) == fold(first):
            title = title_in(predicate.group(2))
            if title:
                return title[1]
    return None


# "Erik Söderberg tar över – han blir tillförordnad planchef från 1 december": a title by pronoun after the name
_PRONOUN_PREDICATE = re.compile(
    r"\b(?:han|hon|hen|he|she)\s+(?:\w+\s+){0,2}?(?:är|blir|jobbar\s+som|arbetar\s+som|is|will\s+be|works\s+as)"
    r"\s+((?:\S+\s+){0,3}\S+)",
    re.I,
)


def role_by_pronoun(body: str, first: str) -> Role | None:
    """The role a pronoun's predicate gives, in the text just after the first name is written."""
    at = body.find(first)
    if at < 0:
        return None
    found = _PRONOUN_PREDICATE.search(body, at, at + 250)
    title = title_in(found.group(1)) if found else None
    return title[1] if title else None


def find_mentions(body: str, org_spans: list[tuple[int, int]], cc: list[tuple[str, str]]) -> list[Mention]:
    """Every person the body names, in order: form blocks, list lines, then prose."""
    people = _form_people(body) + _list_people(body)
    taken = {fold(p.name) for p in people if p.name}
    emails = [m.group(0).lower() for m in EMAIL_RE.finditer(body)] if "@" in body else []
    cc_names = {fold(n): (n, a) for n, a in ((display_name(d, a), a) for d, a in cc) if n}
    for match in NAME_RE.finditer(body):
        name = match.group(1)
        title_first: Role | None = None
        head, _, rest = name.partition(" ")
        if len(rest.split()) == 2 and role_of(head) and not role_of(rest):
            # "Kommunalrådet Bo Ekman", "Planchefen Anna Ek" at the start of a sentence: title, then the name
            title_first, name = role_of(head), rest
        if name.endswith("s") and fold(name[:-1]) in cc_names:
            name = cc_names[fold(name[:-1])][0]  # genitive of a colleague in Cc: "Anneli Lanttos räkning"
        words = [fold(w) for w in name.split()]
        if words[0] in _STOP_FIRST or any(w in _STOP_ANY for w in words) or fold(name) in taken:
            continue
        if any(s <= match.start() < e or match.start() <= s < match.end() for s, e in org_spans):
            continue
        if _COMPANY_AFTER.match(body, match.end()):
            continue  # "Västerdal Industrifastigheter AB": a company's name, not a person's
        if role_of(name):
            continue
        # a line of its own that is only a name in the body is a greeting or sign-off, not a mention
        line_start = body.rfind("\n", 0, match.start()) + 1
        line_end = body.find("\n", match.end())
        line = body[line_start : line_end if line_end >= 0 else len(body)].strip()
        if line == name and fold(body[max(0, line_start - 30) : line_start]).strip().endswith(
            ("halsningar", "mvh")
        ):
            continue
        person = Mention(proper_name(name), start=match.start() + (len(head) + 1 if title_first else 0))
        matching = [e for e in emails if name_matches_address(name, e)]
        # "Där står oskar.lind@…, men rätt adress är oskar.lindh@…": the address spelled as the name wins
        spelled = ".".join(fold(name).split())
        person.email = next((e for e in matching if fold(e.split("@")[0]) == spelled), None) or next(
            iter(matching), None
        )
        if person.email is None and fold(name) in cc_names:
            person.email = cc_names[fold(name)][1]
            person.source = "cc"
        person.role = title_first or role_near(body, match.start(), match.end(), name.split()[0])
        before = body[max(0, match.start() - 40) : match.start()]
        person.qualified = bool(person.email or person.role or _RELATION.search(before.strip(" ,")))
        taken.add(fold(name))
        people.append(person)
    people += _lower_case_owners(body, emails, people, org_spans)
    people.sort(key=lambda p: p.start)
    return people


# Two words side by side, for a name written in lower case ("o kollegan petra holm")
_WORD_PAIR = re.compile(r"(?<![\w@.-])(?=([^\W\d_]{2,})\s+([^\W\d_]{2,})(?![\w@.-]))")


def _lower_case_owners(
    body: str, emails: list[str], people: list[Mention], org_spans: list[tuple[int, int]]
) -> list[Mention]:
    """A name written in lower case that an address in the text is made of ("petra holm" … petra.holm@…).

    Mobile writers skip capitals; the address confirms the two words are a name, so the name pattern's
    capitals are not needed. Only addresses no mention holds are asked about, so this rarely runs.
    """
    owned = {p.email for p in people if p.email}
    out: list[Mention] = []
    for address in dict.fromkeys(emails):
        tokens = re.split(r"[._]", fold(address.split("@", 1)[0]))
        if address in owned or len(tokens) != 2 or not all(t.isalpha() and len(t) > 1 for t in tokens):
            continue
        for match in _WORD_PAIR.finditer(body):
            first, last = match.group(1), match.group(2)
            if [fold(first), fold(last)] != tokens or not (first.islower() or last.islower()):
                continue
            if any(s <= match.start() < e for s, e in org_spans):
                continue
            end = match.start() + len(first) + 1 + len(last)
            person = Mention(proper_name(f"{first} {last}"), address, start=match.start(), qualified=True)
            person.role = role_near(body, match.start(), end, first)
            out.append(person)
            owned.add(address)
            break
    return out


# A shared or functional mailbox: a department, a service or a role, read by several people
_MAILBOX_WORDS = frozenset(
    [
        "info", "kansli", "kansliet", "registrator", "kontakt", "kontakta", "samhallsbyggnad", "bygg",
        "samhallsbyggnadsforvaltningen", "byggnadsnamnden", "plan", "planering", "naringsliv", "kommun",
        "kommunen", "kommunstyrelsen", "noreply", "admin", "reception", "vaxel", "vaxeln", "forvaltning",
        "service", "kundtjanst", "post", "office", "expedition", "support", "sekretariat", "diarie", "diariet",
        "ekonomi", "miljo", "utveckling", "etablering", "mottagning", "funktion", "gemensam", "inbox",
        "mailbox", "team", "kontoret",
    ]
)  # fmt: skip
_MAILBOX_TEXT = Cue(
    r"\b(?:gemensamma?|delade?|funktions)\s*brevlåd\w*|\bfunktions(?:adress|brevlåd)\w*"
    r"|\bshared\s+(?:mailbox|inbox|address)",
    "brevlåd|funktions|shared",
)
_PERSONAL_LOCAL = re.compile(r"^[a-z]+(?:-[a-z]+)?[._][a-z]+(?:[._-][a-z]+)?\d*$")
_FIRST_NAME_LINE = re.compile(r"^\s*[/–-]?\s*([A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?)\s*[.,!]?\s*$")


def is_mailbox(address: str | None, display: str | None, body: str) -> bool:
    """Is From a shared or functional mailbox ("Samhällsbyggnad Vansbro" <samhallsbyggnad@…>, info@…)?

    Such an address names no person: its display name is never a participant's name, and the writer
    is who signs the text or whose business card is attached.
    """
    if not address or "@" not in address:
        return False
    local = fold(address.split("@", 1)[0])
    name = display_name(display, address)
    if name and name_matches_address(name, address):
        return False  # the address is made of the display name: a person's own
    for part in re.split(r"[,(|/]", display or ""):
        cleaned = _clean_name(part)
        if cleaned and NAME_RE.fullmatch(cleaned) and name_matches_address(cleaned, address):
            return False  # "Anna Andersson, Ludvika kommun" <aandersson@…>
    if _MAILBOX_TEXT.search(body):
        return True  # "Jag skriver från vår gemensamma brevlåda"
    if _PERSONAL_LOCAL.match(local):
        return False  # first.last
    shown = set(fold(display or "").replace(",", " ").split())
    if shown & (_MAILBOX_WORDS | _STOP_ANY | {"och", "and", "&"}):
        return True  # "Plan och bygg Ludvika", "Kansliet Mora kommun": a department's name, not a person's
    tokens = [t for t in re.split(r"[._+-]+", re.sub(r"\d+", "", local)) if t]
    return bool(tokens) and all(
        t in _MAILBOX_WORDS or any(t.startswith(w) for w in _MAILBOX_WORDS if len(w) >= 6) for t in tokens
    )


def mailbox_writer(signature: list[str], body: str) -> tuple[str | None, str | None]:
    """Who writes from a shared mailbox: (full name, first name) from the sign-off, either may be None."""
    lines = [line.strip() for line in signature[:6] if line.strip()]
    tail = [line.strip() for line in body.rstrip().split("\n")[-2:]]
    for line in lines + tail:
        cleaned = _clean_name(re.split(r"[|,]", line)[0])
        if (
            cleaned
            and NAME_RE.fullmatch(cleaned)
            and cleaned.split()[0].lower() not in _STOP_FIRST
            and not any(fold(w) in _MAILBOX_WORDS or fold(w) in _STOP_ANY for w in cleaned.split())
        ):
            return cleaned, cleaned.split()[0]
    for line in lines + tail:
        match = _FIRST_NAME_LINE.match(line)
        word = match.group(1) if match else ""
        if match and word.lower() not in _STOP_FIRST | _CLOSINGS and fold(word) not in _MAILBOX_WORDS:
            return None, word
    return None, None


_CLOSINGS = frozenset(["hälsningar", "hälsning", "vänligen", "regards", "cheers", "tack", "mvh", "hej"])


# Colleagues the text points to in copy without naming them ("mina kollegor som står på kopia")
_CC_COLLEAGUES = Cue(
    r"\b(?:kollegor|kollegorna|kollega|kollegan|medarbetare|colleagues?)\b[^.!?\n]{0,40}"
    r"\b(?:kopia|cc|kopierade|copied)\b"
    r"|\b(?:i|på)\s+kopia\b[^.!?\n]{0,40}\b(?:kollegor|kollegorna|kollega|kollegan|medarbetare)\b",
    "kopia|cc|kopierade|copied",
)


_SIGN_UP_WORDS = re.compile(r"\b(?:anmäl\w*|delta\w*|vara med|kommer|register\w*|join\w*|attend\w*)", re.I)


def cc_colleagues(body: str, cc: list[tuple[str, str]], sender: str | None, informed: Cue) -> list[Mention]:
    """The people in Cc when the text signs up "my colleagues in copy" without naming them.

    Someone the text names is found as a prose mention (Cc completes the address); a sentence that
    keeps them only informed ("i kopia för kännedom") signs no one up.
    """
    match = _CC_COLLEAGUES.search(body)
    if match is None:
        return []
    start = max(body.rfind(mark, 0, match.start()) for mark in (". ", "\n", "! ", "? ")) + 1
    stop = [e for e in (body.find(mark, match.end()) for mark in (". ", "\n")) if e >= 0]
    sentence = body[start : min(stop) if stop else len(body)]
    if informed.search(sentence) or not _SIGN_UP_WORDS.search(sentence):
        return []
    said = f" {' '.join(re.findall(r'[a-z0-9-]+', fold(sentence)))} "
    if any(f" {fold(n.split()[0])} " in said for n in (display_name(d, a) for d, a in cc) if n):
        return []  # "min kollega Olle Berg (i kopia)": a colleague the text names is read by name
    words = f" {' '.join(re.findall(r'[a-z0-9-]+', fold(body)))} "
    out: list[Mention] = []
    for display, address in cc:
        name = display_name(display, address)
        if not name or not address or address.lower() == sender or f" {fold(name.split()[0])} " in words:
            continue
        out.append(Mention(name, address.lower(), start=match.start(), source="cc", qualified=True))
    return out


def with_writer(body: str, people: list[Mention]) -> None:
    """ "Jag och mina kollegor i kopia kommer på träff 1": colleagues in copy go where the writer goes."""
    writer = next((p for p in people if p.is_sender), None)
    if writer is None or writer.meetings is None:
        return
    for person in people:
        if person.source != "cc" or person.meetings is not None or person.start < 0:
            continue
        sentence = body[max(body.rfind(m, 0, person.start) for m in (". ", "\n")) + 1 :]
        sentence = re.split(r"[.!?]\s|\n", sentence, maxsplit=1)[0]
        if re.search(r"\b(?:jag|mig|vi|oss)\b", sentence, re.I):
            person.meetings = list(writer.meetings)
