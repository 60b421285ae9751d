"""Meeting references ("träff 1 och 3", "12/9", "den 3:e december", "höstens träffar") resolved
against the event's own meeting dates, which come in as an argument and are never hard-coded."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from parsers.models import MeetingDate
from parsers.text import Cue

_NUMBER_WORDS = {"ett": 1, "ettan": 1, "två": 2, "tvåan": 2, "tre": 3, "trean": 3, "fyra": 4}
_NUMBER_WORDS |= {"fyran": 4, "fem": 5, "sex": 6, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_ORDINALS = {"första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6}
_ORDINALS |= {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(jan(?:uari|uary)?|feb(?:ruari|ruary)?|mar(?:s|ch)?|apr(?:il)?|maj|may|jun(?:i|e)?|jul(?:i|y)?"
    r"|aug(?:usti|ust)?|sep(?:t|tember)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_NUM = r"(?:\d{1,2}|ett|två|tre|fyra|fem|sex|one|two|three|four|five)"
_NOUN = r"(?:träff(?:en|ar|arna)?|tillfäll(?:e|et|en|ena)|mötet|möte|meetings?|sessions?)"
# a range written out: "1 t.o.m. 3", "1 till och med 3", "1 through 3"
_RANGE_WORD = r"till\s+och\s+med|t\.\s?o\.\s?m\.?|tom|through|thru|till|to"
_LIST_SEP = rf"\s*(?:,|och|&|samt|resp\.?|respektive|eller|and|or|-|–|{_RANGE_WORD})\s*"
_NUMBERED = re.compile(
    rf"\b{_NOUN}(?:\s*:)?\s+(?:(?:nr\.?|nummer|no\.?|#)\s*)?({_NUM}(?:{_LIST_SEP}(?:{_NOUN}\s*)?{_NUM})*)\b",
    re.I,
)
_FROM_ON = re.compile(rf"\b(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|from)\s+{_NOUN}\s*({_NUM})\b", re.I)
_UNTIL = re.compile(rf"\b(?:till\s+och\s+med|t\.?\s?o\.?\s?m\.?|up\s+to)\s+{_NOUN}\s*({_NUM})\b", re.I)
_ORDINAL = re.compile(
    r"\b(första|andra|tredje|fjärde|femte|sista|first|second|third|fourth|fifth|last)"
    r"(?:\s+(?:och|and|&)\s+(?:den\s+|the\s+)?(första|andra|tredje|fjärde|femte|sista|first|second|third|fourth|last))?"
    r"(\s+(?:träffen|tillfället|mötet|meeting|session|träffarna))?",
    re.I,
)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?::?e|:a|st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?![a-zåäö])", re.I)
_DAYS_MONTH = re.compile(rf"\b(\d{{1,2}}(?:\s*(?:,|och|&)\s*\d{{1,2}})+)\s+{_MONTH}(?![a-zåäö])", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)
_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")
_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
# "den 12:e", "den 3:e" without a month: the meeting on that day of the month, when only one is
_DAY_ONLY = re.compile(r"\bden\s+(\d{1,2})(?::e|:a|e)\b(?!\s*(?:/|\.\d|(?:of\s+)?[a-zåäö]{3}))", re.I)
# "träffarna den 12 och 23": days of the month alone, after a meeting noun, each the one meeting that day
_DAYS_ONLY = re.compile(
    r"\b(?:träff\w*|tillfälle\w*|möte\w*)\s+den\s+(\d{1,2}(?:\s*(?:,|och|&)\s*\d{1,2})+)(?!\d|\s*(?:/|\.\d|:\d|[a-zåäö]{3}))",
    re.I,
)
# "12.9", "23.10": a date with dots, not a time ("kl. 9.30") nor a decimal or a version ("1.2.3")
_DOTTED = re.compile(r"(?<![\d.,])(?<!kl\. )(?<!kl )(?<!kl\.)(\d{1,2})\.(\d{1,2})(?!\d|[.,]\d)", re.I)
_FROM_MONTH = re.compile(
    rf"\b(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|from|starting\s+in)\s+"
    rf"(?:(?:träffen|mötet|tillfället|the\s+meeting|the\s+session)\s+(?:i|in)\s+)?{_MONTH}(?![a-zåäö])",
    re.I,
)
# "de två första", "the first two": the first or last N meetings of the series
# A month or weekday written together with the meeting noun: "decemberträffen", "oktober-mötet",
# "onsdagsträffen", "tisdagsträffarna" (and "från och med decemberträffen": that one and the later ones)
_FULL_MONTH = (
    r"(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    r"|january|february|march|june|july|august|october)"
)
_MONTH_NOUN = re.compile(
    rf"(?:\b(från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|from)\s+)?\b{_FULL_MONTH}s?-?(?:träff|möte|tillfälle|meeting|session)",
    re.I,
)
# (not "träffen på tisdag", which is the coming Tuesday: see _WEEKDAY)
_WEEKDAY_NOUN = re.compile(
    r"\b(måndag|tisdag|onsdag|torsdag|fredag)s?-?(träffen|mötet|tillfället|träff|möte|tillfälle)"
    r"|\b(?:träff\w*|möte\w*|tillfälle\w*)\s+(?:\w+\s+){0,3}?(?:på|är|ligger)\s+en\s+(måndag|tisdag|onsdag|torsdag|fredag)\b"
    r"|\b(monday|tuesday|wednesday|thursday|friday)\s+(meeting|session)",
    re.I,
)
_FULL_MONTHS = {
    "januari": 1, "january": 1, "februari": 2, "february": 2, "mars": 3, "march": 3, "april": 4, "maj": 5,
    "juni": 6, "june": 6, "juli": 7, "july": 7, "augusti": 8, "august": 8, "september": 9, "oktober": 10,
    "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_FIRST_N = re.compile(
    r"\b(?:de\s+)?(två|tre|2|3)\s+(första|sista)\b|\b(?:the\s+)?(first|last)\s+(two|three|2|3)\b", re.I
)
# Roman numerals after a Swedish meeting noun ("träff II och III"); upper case only, "träffen i Falun" is a place
_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
_ROMAN = re.compile(
    r"\b(?i:träff(?:en|arna|ar)?|tillfälle(?:na)?)(?:\s*:)?\s+((?:IV|VI|V|I{1,3})(?:\s*(?:,|och|&|samt|-|–)\s*(?:IV|VI|V|I{1,3}))*)\b"
)
_ROMAN_PART = re.compile(r"((?:IV|VI|V|I{1,3}))\s*(?:(-|–)\s*((?:IV|VI|V|I{1,3})))?")


def _roman_numbers(body: str) -> set[int]:
    """ "II, III" is a list, "I–IV" a range (every meeting from the first to the last end)."""
    found: set[int] = set()
    for part in _ROMAN_PART.finditer(body):
        a = _ROMAN_VALUES[part.group(1)]
        b = _ROMAN_VALUES[part.group(3)] if part.group(3) else a
        found |= set(range(a, b + 1)) if a <= b else {a, b}
    return found


# "de tre övriga", "resterande träffar": the meetings the text does not name elsewhere
_REST = re.compile(
    r"\b(?:övriga|resterande|återstående|kommande|remaining|other|upcoming)\s+(?:\w+\s+)?(?:träff|tillfäll|möte|meeting|datum)"
    r"|\bresten\s+av\s+(?:\w+\s+)?(?:träff|tillfäll|möte|serien|datum)|\brest\s+of\s+the\s+(?:meeting|session)"
    # "återbud till resten av lärprojektet", "the rest of the programme": the series named as a whole
    r"|\bresten\s+av\s+(?:\w+\s+)?(?:\w*projekt|\w*program|\w*serie|\w*utbildning)"
    r"|\brest\s+of\s+the\s+(?:\w+\s+)?(?:project|programme|program|series|course)"
    r"|\bde\s+andra\s+(?:\w+\s+)?(?:träffarna|tillfällena|mötena|datumen)|\bthe\s+other\s+(?:meetings|sessions)"
    # "de övriga två tar Cecilia", "de två återstående": the count stands for the meetings, nothing follows
    r"|\bde\s+(?:(?:övriga|resterande|återstående)\s+(?:två|tre|2|3)|(?:två|tre|2|3)\s+(?:övriga|resterande|återstående))"
    r"(?=\s*(?:$|[,.;:!)–]|(?:tar|går|kommer|blir|får|deltar|sköter)\b))"
    # "den får jag hoppa över, men de andra tre går bra": the count that suits stands for the meetings
    r"|\bde\s+andra\s+(?:två|tre|2|3)\s+(?:går|passar|fungerar|funkar)\b",
    re.I,
)
# A row or list item whose meetings are only "de övriga" / "resten": what the other people do not take
_BARE_REST = re.compile(
    r"(?:^\W*(?:och\s+|på\s+|till\s+)?|\b(?:tar|på|till|går\s+på|med\s+på)\s+)(?:de\s+|alla\s+)?"
    r"(?:övriga|resterande|återstående|resten)\s*(?:$|[,.;:!)])",
    re.I,
)
# A weekday without a date after it ("på tisdag") is the next such day after the Date header.
_WEEKDAYS = {"måndag": 0, "tisdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "monday": 0, "tuesday": 1}
_WEEKDAYS |= {"wednesday": 2, "thursday": 3, "friday": 4}
_WEEKDAY = re.compile(
    r"\b(?:på|nu\s+på|nästa|on|this|next)\s+(måndag|tisdag|onsdag|torsdag|fredag|monday|tuesday|wednesday|thursday"
    r"|friday)(?:en|s)?\b(?!\s*(?:den\s+)?\d)",
    re.I,
)
# A month alone is a meeting only where the clause speaks of taking part ("i december" may be a trip).
TAKE_PART = re.compile(
    r"\b(?:träff|tillfäll|möte|meeting|session|delta(?!gar)|vara med|komma|kommer|närvara|anmäl|attend|join"
    r"|cancel|återbud|avanmäl|missa|krock)"
)
MONTH = _MONTH
# Being able or not, with the verb of coming left out: "jag kan dock inte i oktober", "kan bara i december",
# "oktober passar inte", "can't make it in October"
_ABLE_WHEN = re.compile(
    r"\b(?:kan|går|passar|funkar|fungerar)\s+(?:\w+\s+){0,2}?(?:inte|ej|bara|endast|enbart)\s+(?:på|i|under|den)\s"
    r"|\b(?:passar|går|funkar|fungerar)\s+(?:\w+\s+)?(?:inte|ej)\b|\bmake\s+it\b"
)
# A weekday in the plural is every such day: "tisdagar", "onsdagarna", "on Tuesdays"
_WEEKDAY_PLURAL = re.compile(
    r"\b(måndag|tisdag|onsdag|torsdag|fredag)(?:ar|arna)\b|\b(monday|tuesday|wednesday|thursday|friday)s\b",
    re.I,
)
# ... when the clause says which days suit the writer
_AVAILABLE = re.compile(r"\b(?:kan|bara|endast|enbart|passar|går|only|can|available|suit)\b")
_WEEKDAY_IN_MONTH = re.compile(
    rf"\b(?:(måndag|tisdag|onsdag|torsdag|fredag)en|the\s+(monday|tuesday|wednesday|thursday|friday))"
    rf"\s+(?:i|in)\s+{_MONTH}(?![a-zåäö])",
    re.I,
)
_MONTH_ALONE = re.compile(rf"(?<![\d.] )(?<!\d)\b{_MONTH}(?![a-zåäö])", re.I)
_WINTER = re.compile(r"\b(vinter\w*|winter)", re.I)
_AUTUMN = re.compile(
    r"\b(höst(?:en|ens|terminen|terminens)?|autumn|fall)(?:\b|-?(?=träff|möte|tillfäll))", re.I
)
# A season right after a withdrawal ("lämnar återbud till hösten", "avanmäler oss för våren", "kan inte
# komma under hösten", "cancel for the autumn"): the meetings of that season, without a meeting noun
_WITHDRAWN_SEASON = re.compile(
    r"\b(?:återbud|avanmäl\w*|avbok\w*|förhinder|förhindrad\w*|cancel\w*|withdraw\w*|(?:inte|ej|not)\s+(?:\w+\s+){0,2}?)"
    r"(?:\s+(?:mig|oss|sig|dem|henne|honom|me|us))?\s*(?:till|för|under|inför|i|over|for|during|in)\s+(?:hela\s+|the\s+|this\s+)?"
    r"(höst(?:en|terminen)|våren|vårterminen|vintern|autumn|fall|spring|winter)\b",
    re.I,
)
_SPRING = re.compile(
    r"\b(våren|vårens|vårterminen|vårterminens|spring)\b|\bvår-?(?=träff|möte|tillfäll)"
    r"|\bi vår(?=\s*(?:$|[.,;:!?–-]|vet|kan|är|blir|har|får|också|med))",
    re.I,
)
_ALL = re.compile(
    r"\b(alla|samtliga)\s+(?:fyra\s+|tre\s+|fem\s+|sex\s+)?(?:träff|tillfäll|möte)\w*"
    # "inte på någon av träffarna", "ingen av de fyra träffarna", "none of the meetings": every one of them
    r"|\b(?:någon|ingen|none|any)\s+(?:av|of)\s+(?:de\s+|the\s+)?(?:fyra\s+|four\s+)?(?:träff|tillfäll|möte|meeting|session)\w*"
    r"|\bsamtliga\b|\balla\s+(?:fyra|tre|fem)\b"
    # "Alla tre kommer på träff 1–3": all three people, who come to the meetings named
    r"(?!\s+(?:kommer|deltar|ska|skall|vill|är|kan|har|går|åker|tar|av\s+(?:oss|dem|dom)|personer\w*|kollegor\w*))|\bhela\s+(?:lär)?(?:projektet|serien|programmet|kursen|utbildningen)"
    r"|\ball\s+(?:four\s+|the\s+)?(?:meetings|sessions)|\bevery\s+(?:meeting|session)|\bwhole\s+(?:series|project)"
    # "kan inte delta i lärprojektet alls" is the whole series; "inga specialkostbehov alls" is not
    r"|\b(?:delta|komma|vara\s+med|närvara|medverka)\s+(?:\w+\s+){0,2}?alls\b",
    re.I,
)
# Cheap gates, on the lower-cased clause: a clause without a digit, a meeting word, a month, a season or
# "alla" names no meeting; each pattern below runs only when a word it needs is there (see text.Cue).
_ANY_REFERENCE = re.compile(
    r"\d|träff|tillfäll|möte|meeting|session|alla|samtliga|hela|all|every|whole|första|andra|tredje|fjärde|sista|first|last"
    r"|second|third|fourth|jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec|höst|vår|autumn|fall|spring|morgon|morgn|morrn"
    r"|morron|tomorrow|idag|i dag|today|ikväll|måndag|tisdag|onsdag|torsdag|fredag|monday|tuesday|wednesday"
    r"|thursday|friday|övrig|rest|återstående|remaining|other|två|tre|two|three|\bi\b"
)
_DIGIT = re.compile(r"\d")
_NOUN_WORDS = re.compile(r"träff|tillfäll|möte|meeting|session")
_ALL_WORDS = re.compile(r"alla|samtliga|hela|all|every|whole|någon|ingen|none|any")
_ORDINAL_WORDS = re.compile(r"första|andra|tredje|fjärde|femte|sista|first|second|third|fourth|fifth|last")
_MONTH_WORDS = re.compile(r"jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec")
_SEASON_WORDS = re.compile(r"höst|autumn|fall|vår|spring|vinter|winter")
_EXCEPT_WORDS = re.compile(r"utom|except|but not|bortsett från")
_DAY_WORDS = re.compile(r"morgon|morgn|morrn|morron|tomorrow|dag|today|ikväll")
_EXCEPT = re.compile(r"\b(utom|förutom|except|but not|bortsett från)\b", re.I)
_TOMORROW = re.compile(r"\b(imorgon|i morgon|imorgn|imorrn|imorron|i morron|tomorrow)\b", re.I)
_TODAY = re.compile(r"\b(idag|i dag|today|ikväll)\b", re.I)
_NEGATIVE = re.compile(
    r"\b(inte|ej|icke|krockar|krock|förhinder|bortrest|\w+res(?:a|an)|semester|on\s+(?:a\s+)?(?:\w+\s+)?trip|abroad|on\s+leave|föräldraledig|sjuk|åtagande\w*"
    r"|blir\s+(?:det\s+)?(?:tyvärr\s+)?inget|upptagen|uppbokad|dubbelbokad|redan\s+(?:in)?bokad|\w*fullmäktige|sammanträde\w*|missar|avstår|stå\s+över|står\s+över|hoppa\s+över|hoppar\s+över|avanmäl\w*|återbud|stryk\w*|cannot|can't|not|unable|miss)\b",
    re.I,
)

# "on 23 October I am at a conference", "den dagen är jag på utbildning": away at another event that day
_AWAY = Cue(
    r"\b(?:är|sitter|befinner\s+(?:mig|jag|vi|oss))\s+(?:(?:jag|vi|hon|han|hen|dom|de)\s+)?(?:på|i)\s+"
    r"(?:en\s+|ett\s+|annan\s+|annat\s+)?(?:\w+\s+)?"
    r"(?:\w*konferens|\w*utbildning|\w*seminarium|\w*kurs|mässa|\w*internat|tjänsteresa)\b"
    # English only with an article: "at the workshop" may be the event itself
    r"|\b(?:am|i'm|we're|are|will\s+be|be)\s+(?:at|on|in|away\s+at)\s+(?:a|an|another)\s+(?:\w+\s+)?"
    r"(?:conference|training|course|workshop|seminar|trade\s+fair|business\s+trip)\b",
    "är|sitter|befinner|am|i'm|we're|are|be",
)
# a reason given for what the clause asks ("kommer bara på oktoberträffen eftersom han är på utbildning")
_REASON = re.compile(r"\b(?:eftersom|för\s+att|because|since|as)\b", re.I)

# A clause of its own that only declines ("men inte i december", "utom 2"): its month or bare number is a
# meeting, since the clause before it spoke of meetings
_DECLINES = re.compile(r"^\W*(?:men\s+(?:inte|ej)|utom|förutom|except|but\s+not)\b")
_DECLINED_NUMBER = re.compile(
    r"^(\W*(?:men\s+(?:inte|ej)|utom|förutom|except|but\s+not)\s+(?:på\s+|nr\.?\s*|nummer\s+)?)(?=\d\b)", re.I
)


@dataclass
class Reference:
    """What one clause says about meetings."""

    numbers: set[int] = field(default_factory=set)
    everything: bool = False
    unknown_dates: list[str] = field(default_factory=list)
    rest: bool = False  # "de tre övriga": the meetings not named elsewhere in the message

    def __bool__(self) -> bool:
        return bool(self.numbers or self.everything or self.rest)


def _num(token: str) -> int | None:
    token = token.lower().strip()
    if token.isdigit():
        return int(token)
    return _NUMBER_WORDS.get(token)


def _month_number(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")[:3]]


def _by_date(meetings: tuple[MeetingDate, ...], day: int, month: int) -> int | None:
    for m in meetings:
        if m.date.day == day and m.date.month == month:
            return m.number
    return None


def _by_place(low: str, meetings: tuple[MeetingDate, ...]) -> set[int]:
    """ "Falu-träffarna", "träffarna i Falun": the meetings held at a place named in the event file."""
    found: set[int] = set()
    for meeting in meetings:
        if not meeting.place:
            continue
        place = meeting.place.lower()
        stem = place[: max(4, len(place) - 2)]
        at = low.find(stem)
        if at < 0:
            continue
        tail = low[at : at + len(place) + 14]
        head = low[max(0, at - 30) : at]
        if re.match(rf"{re.escape(stem)}\w*-?\s?(?:träffar|meetings|sessions)", tail) or _AT_PLACE.search(
            head
        ):
            found |= {m.number for m in meetings if m.place and m.place.lower() == place}
    return found


_SINGULAR_AT = re.compile(r"(?:träffen|mötet|tillfället)\s+(?:i|in)\s+$")


def _singular_place(low: str, meetings: tuple[MeetingDate, ...]) -> str | None:
    """ "träffen i Falun", "Falu-träffen" where two meetings are held there: which one is not said."""
    for meeting in meetings:
        if not meeting.place:
            continue
        place = meeting.place.lower()
        if sum(1 for m in meetings if m.place and m.place.lower() == place) < 2:
            continue
        stem = place[: max(4, len(place) - 2)]
        at = low.find(stem)
        if at < 0:
            continue
        if re.match(
            rf"{re.escape(stem)}\w*-?\s?(?:träffen|mötet|tillfället)", low[at:]
        ) or _SINGULAR_AT.search(low[max(0, at - 20) : at]):
            return meeting.place
    return None


# "träffarna i Falun", "när ni träffas i Falun", "the meetings in Falun": the meetings held there
_AT_PLACE = re.compile(
    r"(?:träffarna|träffar|mötena|(?:när|då|where|when)\s+(?:ni|vi|we|you)\s+(?:träffas|ses|meet)|meetings)\s+(?:i|in)\s+$"
)


_NUM_OR_RANGE = re.compile(rf"(-|–|(?<!\w)(?:{_RANGE_WORD})(?!\w))|(?<!\w)({_NUM})(?!\w)", re.I)


def _numbered(clause: str, known: set[int]) -> set[int]:
    found: set[int] = set()
    for match in _NUMBERED.finditer(clause):
        # "träff 1-3" / "träff 1 till 3" is a range, "träff 1, 2 och 4" a list, "träff 1, 3–4" both
        previous: int | None = None
        ranged = False
        for token in _NUM_OR_RANGE.finditer(match.group(1)):
            if token.group(1):
                ranged = previous is not None
                continue
            n = _num(token.group(2))
            if n is None:
                continue
            if ranged and previous is not None and previous <= n:
                found |= set(range(previous, n + 1))
            found.add(n)
            previous, ranged = n, False
    return {n for n in found if n in known} | {n for n in found if n not in known and n < 0}


# The same clause is asked about by the meeting rules and by the evidence accounting: remember the answer
# for the meetings tuple it was given (kept alive with the entry, so its id cannot be reused meanwhile).
_MEMO: dict[tuple[str, int, dt.date | None, bool], tuple[tuple[MeetingDate, ...], Reference]] = {}


def reference(
    clause: str, meetings: tuple[MeetingDate, ...], sent: dt.date | None, anchored: bool = False
) -> Reference:
    """The meetings one clause names, by number, ordinal, date, month, season or "alla" (do not mutate it).

    ``anchored``: the clause is already about meetings (the tail of "alla utom ..."), so a month alone counts.
    """
    key = (clause, id(meetings), sent, anchored)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is meetings:
        return hit[1]
    if len(_MEMO) > 4096:
        _MEMO.clear()
    ref = _reference(clause, meetings, sent, anchored)
    _MEMO[key] = (meetings, ref)
    return ref


def _reference(
    clause: str, meetings: tuple[MeetingDate, ...], sent: dt.date | None, anchored: bool
) -> Reference:
    ref = Reference()
    low = clause.lower()
    if not meetings or not _ANY_REFERENCE.search(low):
        return ref
    known = {m.number for m in meetings}
    first, last = min(known), max(known)
    text = clause
    if _DIGIT.search(low) and _DECLINES.match(low):
        text = _DECLINED_NUMBER.sub(r"\1träff ", text)  # "men inte 2" after "träff 1–3"
        low = text.lower()
    places: set[int] = set()
    if ("övrig" in low or "rest" in low or "återst" in low or "datum" in low or "andra" in low) and (
        _BARE_REST.search(text) or _REST.search(text)
    ):
        ref.rest = True
    if nouns_any := _NOUN_WORDS.search(low) is not None:
        if _REST.search(text):
            ref.rest = True
        if "-" in low or " i " in low or " in " in low or " meetings" in low:
            places = _by_place(low, meetings)
            ref.numbers |= places
        for match in _ROMAN.finditer(text):
            ref.numbers |= _roman_numbers(match.group(1)) & known
    if nouns_any:
        for match in _MONTH_NOUN.finditer(text):
            month = _FULL_MONTHS[match.group(2).lower()]
            in_month = sorted((m for m in meetings if m.date.month == month), key=lambda m: m.date)
            if in_month and match.group(1):
                ref.numbers |= {m.number for m in meetings if m.date >= in_month[0].date}
            else:
                ref.numbers |= {m.number for m in in_month}
        for match in _WEEKDAY_NOUN.finditer(text):
            name = (match.group(1) or match.group(3) or match.group(4)).lower()
            on_day = {m.number for m in meetings if m.date.weekday() == _WEEKDAYS[name]}
            singular = (match.group(2) or match.group(5) or "").lower() in {
                "träffen",
                "mötet",
                "tillfället",
                "meeting",
                "session",
            }
            if singular and len(on_day) > 1:
                ref.unknown_dates.append(
                    match.group(0)
                )  # "tisdagsträffen" when two meetings fall on a Tuesday
            else:
                ref.numbers |= on_day
    for match in _FIRST_N.finditer(text):
        count = _num((match.group(1) or match.group(4)).lower()) or 0
        ordered = sorted(known)
        last_words = (match.group(2) or match.group(3) or "").lower() in {"sista", "last"}
        ref.numbers |= set(ordered[-count:] if last_words else ordered[:count])
    if sent is not None:
        for match in _WEEKDAY.finditer(text):
            weekday = _WEEKDAYS[match.group(1).lower()]
            day = sent + dt.timedelta(days=(weekday - sent.weekday()) % 7 or 7)
            hit = [m.number for m in meetings if m.date == day]
            if hit:
                ref.numbers |= set(hit)
    if "dag" in low or "day" in low:
        for match in _WEEKDAY_PLURAL.finditer(text) if _AVAILABLE.search(low) else ():
            # "jag kan bara tisdagar (i höst och vinter)", "only on Tuesdays": the meetings on that weekday; a
            # season that leaves some of them out ("tisdagar i höst") is for a person to read
            weekday = _WEEKDAYS[(match.group(1) or match.group(2)).lower()]
            on_day = {m.number for m in meetings if m.date.weekday() == weekday}
            seasons = [(_AUTUMN, range(7, 13)), (_SPRING, range(1, 7)), (_WINTER, (12, 1, 2))]
            months_named = {month for pattern, span in seasons if pattern.search(text) for month in span}
            left_out = {m.number for m in meetings if m.number in on_day and m.date.month not in months_named}
            if on_day and not (months_named and left_out):
                ref.numbers |= on_day
            else:
                ref.unknown_dates.append(match.group(0))
    del nouns_any
    except_at = _EXCEPT.search(text) if _EXCEPT_WORDS.search(low) else None
    excluded: set[int] = set()
    if except_at and not text[: except_at.start()].strip(" ,–-"):
        # a clause of its own, "but not the one on 3 December", "utom den tredje": it names the meetings it
        # declines (is_negative says so)
        ref.numbers |= reference(text[except_at.end() :], meetings, sent, anchored=True).numbers
        except_at = None
    if except_at:
        tail = reference(text[except_at.end() :], meetings, sent, anchored=True)
        excluded = set(tail.numbers)
        text = text[: except_at.start()]
        low = text.lower()
        if not _ALL.search(text) and not _NUMBERED.search(text):
            ref.everything = True
    nouns = _NOUN_WORDS.search(low) is not None
    digits = _DIGIT.search(low) is not None
    months = _MONTH_WORDS.search(low) is not None
    if _ALL_WORDS.search(low) and _ALL.search(text):
        # "alla träffar i Falun" are all the meetings there, not the whole series
        ref.everything = not places
    if nouns:
        ref.numbers |= _numbered(text, known)
        for match in _FROM_ON.finditer(text):
            n = _num(match.group(1))
            if n in known:
                ref.numbers |= set(range(n, last + 1))
        for match in _UNTIL.finditer(text):
            n = _num(match.group(1))
            if n in known:
                ref.numbers |= set(range(first, n + 1))
    for match in _FROM_ORDINAL.finditer(text) if _ORDINAL_WORDS.search(low) else ():
        n = _ORDINALS.get(match.group(1).lower())
        if n in known:
            ref.numbers |= set(range(n, last + 1))
            ref.everything = False  # "alla träffar från och med den andra" is not the whole series
            text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
    for match in _ORDINAL.finditer(text) if _ORDINAL_WORDS.search(low) else ():
        words = [w for w in (match.group(1), match.group(2)) if w]
        # a lone ordinal needs its noun ("andra" alone means "other"); a pair does not ("första och sista")
        if (
            len(words) < 2
            and not match.group(3)
            and not anchored
            and not _elliptic(text, match)
            and not _ORDINAL_LIST.match(text, match.end())
        ):
            continue
        if (
            len(words) == 1
            and words[0].lower() == "andra"
            and (match.group(3) or "").strip().lower() == "träffarna"
        ):
            continue  # "de andra träffarna" are the other meetings, not the second
        for word in words:
            w = word.lower()
            n = last if w in {"sista", "last"} else _ORDINALS.get(w)
            if n in known:
                ref.numbers.add(n)
    spans: list[tuple[int, int]] = []
    # "torsdagen i september", "the Thursday in October": the meeting held that weekday in that month
    for match in _WEEKDAY_IN_MONTH.finditer(text) if months else ():
        spans.append(match.span())
        weekday = _WEEKDAYS[(match.group(1) or match.group(2)).lower()]
        month = _month_number(match.group(3))
        weekday_in_month = {
            m.number for m in meetings if m.date.month == month and m.date.weekday() == weekday
        }
        if len(weekday_in_month) == 1:
            ref.numbers |= weekday_in_month
        else:
            ref.unknown_dates.append(match.group(0))
    if digits:
        if months:
            for match in _DAY_MONTH.finditer(text):
                spans.append(match.span())
                _add_date(ref, meetings, int(match.group(1)), _month_number(match.group(2)), match.group(0))
            for match in _DAYS_MONTH.finditer(text):
                # "den 12 och 23 oktober": the month is every listed day's (the last is read above)
                month = _month_number(match.group(2))
                for day in re.findall(r"\d{1,2}", match.group(1))[:-1]:
                    _add_date(ref, meetings, int(day), month, f"{day} {match.group(2)}")
            for match in _MONTH_DAY.finditer(text):
                if any(s <= match.start() < e for s, e in spans):
                    continue
                spans.append(match.span())
                _add_date(ref, meetings, int(match.group(2)), _month_number(match.group(1)), match.group(0))
        for match in _SLASH.finditer(text) if "/" in text else ():
            spans.append(match.span())
            _add_date(ref, meetings, int(match.group(1)), int(match.group(2)), match.group(0))
        for match in _DAY_ONLY.finditer(text) if ":" in text or "den " in low else ():
            if any(s <= match.start() < e for s, e in spans):
                continue
            on_day = {m.number for m in meetings if m.date.day == int(match.group(1))}
            if len(on_day) == 1:
                ref.numbers |= on_day
            else:
                ref.unknown_dates.append(match.group(0))
        for match in _DAYS_ONLY.finditer(text) if nouns and " den " in low else ():
            spans.append(match.span())
            for day in re.findall(r"\d{1,2}", match.group(1)):
                on_day = {m.number for m in meetings if m.date.day == int(day)}
                if len(on_day) == 1:
                    ref.numbers |= on_day
                else:
                    ref.unknown_dates.append(f"den {day}")
        for match in _DOTTED.finditer(text) if "." in text else ():
            if int(match.group(2)) <= 12:
                spans.append(match.span())
                _add_date(ref, meetings, int(match.group(1)), int(match.group(2)), match.group(0))
        for match in _ISO.finditer(text) if "-" in text else ():
            spans.append(match.span())
            _add_date(ref, meetings, int(match.group(3)), int(match.group(2)), match.group(0))
    for match in _FROM_MONTH.finditer(text) if months else ():
        spans.append(match.span())
        month = _month_number(match.group(1))
        by_date = sorted(meetings, key=lambda m: m.date)
        starts = [m for m in by_date if m.date.month == month]
        if not starts and by_date:
            # "från och med november" when no meeting is held in November: the meetings after it begins
            opens = by_date[0].date
            begins = dt.date(opens.year + (month < opens.month), month, 1)
            starts = [m for m in by_date if m.date >= begins]
            if not starts:
                ref.unknown_dates.append(match.group(0))
        if starts:
            ref.numbers |= {m.number for m in meetings if m.date >= starts[0].date}
            ref.everything = False  # "alla träffar från och med oktober" is not the whole series
    take_part = (
        anchored
        or TAKE_PART.search(low) is not None
        or _DECLINES.match(low) is not None
        or (months and _ABLE_WHEN.search(low) is not None)
    )
    by_month: set[int] = set()  # "höstträffen i september": the month says which of the season's
    seasonal_one = months and nouns and _ONE_OF_SEASON.search(text) is not None
    for match in _MONTH_ALONE.finditer(text) if months and (take_part or seasonal_one) else ():
        if any(s <= match.start() < e for s, e in spans):
            continue
        month = _month_number(match.group(1))
        # "mar" and "maj" are also ordinary words; only full month names count when alone
        if len(match.group(1).rstrip(".")) <= 3 and match.group(1).lower() in {"mar", "maj", "may", "jul"}:
            continue
        by_month |= {m.number for m in meetings if m.date.month == month}
        ref.numbers |= by_month
    # a season names meetings only next to a meeting word ("höstens träffar"); "drar igång i höst" does not
    if nouns and _SEASON_WORDS.search(low):
        season: set[int] = set()
        if _near_noun(_AUTUMN, text):
            season |= {m.number for m in meetings if m.date.month >= 7}
        if _near_noun(_SPRING, text):
            season |= {m.number for m in meetings if m.date.month <= 6}
        if _near_noun(_WINTER, text):
            season |= {m.number for m in meetings if m.date.month in (12, 1, 2)}
        if season & by_month and _ONE_OF_SEASON.search(text):
            season &= by_month  # "höstträffen i september": one meeting of the season, the month's
        # "höstens Falu-träffar": the season narrows the place, it does not add to it
        season = season & places if places else season
        ref.numbers |= _counted(text, season, meetings)
    elif _SEASON_WORDS.search(low) and (withdrawn := _WITHDRAWN_SEASON.search(text)):
        # "återbud till hösten", "kan inte delta under våren": the season is what the writer stays away from
        word = withdrawn.group(1)
        if _AUTUMN.match(word):
            ref.numbers |= {m.number for m in meetings if m.date.month >= 7}
        elif _WINTER.match(word):
            ref.numbers |= {m.number for m in meetings if m.date.month in (12, 1, 2)}
        else:
            ref.numbers |= {m.number for m in meetings if m.date.month <= 6}
    elif _SEASON_WORDS.search(low) and (found := _SEASON_COUNT.search(text)):
        # "bara på de två i höst": the count stands for the meetings, the season says which
        autumn = found.group("season").lower().startswith(("höst", "autumn", "fall"))
        season = {m.number for m in meetings if (m.date.month >= 7 if autumn else m.date.month <= 6)}
        ref.numbers |= _counted(text, season, meetings)
    if sent is not None and _DAY_WORDS.search(low):
        for pattern, delta in ((_TOMORROW, 1), (_TODAY, 0)):
            if pattern.search(text):
                day = sent + dt.timedelta(days=delta)
                hit = [m.number for m in meetings if m.date == day]
                if hit:
                    ref.numbers |= set(hit)
                else:
                    ref.unknown_dates.append(pattern.search(text).group(0))  # type: ignore[union-attr]
    if nouns and not ref and not places and (" i " in low or "-" in low) and not _AFTER_PLACE.search(low):
        place = _singular_place(low, meetings)
        if place:
            ref.unknown_dates.append(f"träffen i {place}")  # two meetings there: which one?
    if excluded:
        base = known if ref.everything else ref.numbers
        ref.numbers = set(base) - excluded
        ref.everything = False
    return ref


# One meeting of a season, in the singular: "höstträffen", "vårens träff", "the autumn meeting"
_ONE_OF_SEASON = re.compile(
    r"(?:höst|vår|vinter)-?(?:träffen|mötet|tillfället)\b|\b(?:höstens|vårens|vinterns)\s+(?:träff|möte|tillfälle)\b"
    r"|\b(?:autumn|fall|spring|winter)\s+(?:meeting|session)\b",
    re.I,
)
# "Efter träffen i Falun vill jag hänga med längre": a meeting held as a point in time, not one asked for
_AFTER_PLACE = re.compile(
    r"\b(?:efter|sedan|after|since)\s+(?:den\s+|förra\s+|the\s+|last\s+)?\w*(?:träff|möte|meeting)\w*\s+i\s+"
)
# "de två i höst", "the two this autumn": a count of a season's meetings with the noun left out
_SEASON_COUNT = re.compile(
    r"\b(?:de|dom|the)\s+(?:två|tre|2|3|two|three)\s+(?:(?:i|till|this|in\s+the)\s+)?"
    r"(?P<season>hösten|höst|våren|vår|autumn|fall|spring)\b",
    re.I,
)
# the count next to its season: "höstens två träffar", "de två höstträffarna", "de tre i höst"
_SEASON_NUMBER = re.compile(
    r"\b(?:höst|vår|vinter|autumn|fall|spring|winter)\w*\s+(två|tre|2|3|two|three)\b"
    r"|\b(två|tre|2|3|two|three)\s+(?:\w+\s+)?(?:höst|vår|vinter|autumn|fall|spring|winter)",
    re.I,
)


def _counted(text: str, season: set[int], meetings: tuple[MeetingDate, ...]) -> set[int]:
    """ "höstens två träffar" where three fall in the autumn: December is also winter, so the two are the
    others; a count that still does not fit names no meeting (for a person to read)."""
    said = _SEASON_NUMBER.search(text)
    count = _num(said.group(1) or said.group(2)) if said else None
    if count is None or len(season) == count:
        return season
    trimmed = {n for n in season if not any(m.number == n and m.date.month == 12 for m in meetings)}
    return trimmed if len(trimmed) == count else set()


# A season belongs to the meeting noun it stands next to ("höstens träffar", "träffarna i höst",
# "höstträffarna"), not to one further on ("septemberträffen eftersom han är borta hela hösten").
_NEAR_NOUN = re.compile(r"(?:\S+\s+){0,3}?\S*(?:träff|tillfäll|möte|meeting|session)", re.I)
_NOUN_BEFORE = re.compile(r"(?:träff|tillfäll|möte|meeting|session)\w*\s+(?:\S+\s+){0,2}$", re.I)


def _near_noun(season: re.Pattern[str], text: str) -> bool:
    return any(
        _NEAR_NOUN.match(text, match.start()) or _NOUN_BEFORE.search(text, 0, match.start())
        for match in season.finditer(text)
    )


# "Anna kommer på första och tredje träffen, jag bara på den andra": the noun is understood
_ELLIPSIS_BEFORE = re.compile(r"\b(?:på|till|i|med\s+på)\s+den\s+$", re.I)
_ELLIPSIS_AFTER = re.compile(r"\s*(?:$|[.,;:!)–-]|och\b|men\b|samt\b)", re.I)


# "första, andra och fjärde träffen": an ordinal followed by another in a list shares the list's noun
_ORDINAL_LIST = re.compile(
    r"\s*,\s*(?:den\s+|the\s+)?(?:första|andra|tredje|fjärde|femte|sista|first|second|third|fourth|last)\b"
    r"[\w\s,&]{0,40}?\b(?:träffen|träffarna|tillfället|tillfällena|mötet|mötena|meetings?|sessions?)\b",
    re.I,
)
# "alla träffar från och med den andra": the named one and those after it
_FROM_ORDINAL = re.compile(
    r"\b(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|from|starting\s+with)\s+(?:den\s+|the\s+)?"
    r"(första|andra|tredje|fjärde|femte|first|second|third|fourth|fifth)\b",
    re.I,
)


def _elliptic(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 16) : match.start()]
    return bool(_ELLIPSIS_BEFORE.search(before)) and bool(_ELLIPSIS_AFTER.match(text, match.end()))


def _add_date(ref: Reference, meetings: tuple[MeetingDate, ...], day: int, month: int, raw: str) -> None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return
    n = _by_date(meetings, day, month)
    if n is None:
        ref.unknown_dates.append(raw)
    else:
        ref.numbers.add(n)


@lru_cache(maxsize=1024)
def is_negative(clause: str) -> bool:
    """Does the clause say the person will not be there ("kan inte", "krockar", "förhinder")?"""
    if _DECLINES.match(clause.lower()):
        return True  # "utom träff 3", split off "alla träffar, utom träff 3"
    if _UNSURE.hit(clause):
        # "kan komma 12/9, dom andra vet ja inte än": the unsure part's "inte" is no no
        clause = ", ".join(p for p in _PART_SPLIT.split(clause) if not _UNSURE.search(p))
    except_at = _EXCEPT.search(clause) if _EXCEPT_WORDS.search(clause.lower()) else None
    if except_at:
        # "alla utom oktober (är bortrest då)": what follows the exception explains it, the clause is a yes
        clause = clause[: except_at.start()]
    if _FOOD_WORDS.search(clause):
        # "de övriga, äter inte skaldjur": the negation is about food, not about coming
        clause = _FOOD_NEGATION.sub(" ", clause)
    if _NEGATIVE.search(clause):
        return True
    away = _AWAY.search(clause)
    return away is not None and not _REASON.search(clause, 0, away.start())


_FOOD_WORDS = re.compile(r"äter|tål|dricker|allergi|eats|drink", re.I)
_FOOD_NEGATION = re.compile(
    r"\b(?:äter|tål|tåler|dricker|eats?|drinks?)\s+(?:inte|ej|ingen|inga|not|no)\b"
    r"|\b(?:inga|ingen|no)\s+(?:\w+\s+)?allergi\w*",
    re.I,
)


# Someone coming back ("är tillbaka till träffen i december", "hoppas vara med i februari igen", "back in
# February"): after a cancellation or a substitution, a return, not a meeting chosen now
AGAIN = re.compile(r"\b(?:tillbaka|igen|åter|back|again)\b", re.I)
_HEDGE = re.compile(r"\b(?:kanske|eventuellt|ev\.|möjligen|maybe|possibly|perhaps)(?!\w)", re.I)

# "12/9 o 23/10, dom andra vet ja inte än", "not sure about the last one": a part of a clause the writer is
# unsure of is neither a yes nor a no; its "inte" must not turn the meetings named beside it into a no
_UNSURE = Cue(
    r"\b(?:vet|vej|veta)\s+(?:(?:jag|ja|vi|hon|han|dom|de|hen)\s+)?(?:inte|ej|int|icke)\b"
    r"|\b(?:osäker|osäkert|oklart|ovisst|unsure|uncertain)\b|\bnot\s+(?:yet\s+)?sure\b"
    r"|\b(?:don't|dont|do\s+not)\s+(?:yet\s+)?know\b",
    "vet|vej|veta|osäker|oklart|ovisst|unsure|uncertain|sure|know",
)
_PART_SPLIT = re.compile(r",\s*")


def _split_unsure(clauses: list[str]) -> tuple[list[str], list[str]]:
    """The clauses without their unsure comma parts, and those parts."""
    kept: list[str] = []
    unsure: list[str] = []
    for clause in clauses:
        if not _UNSURE.hit(clause):
            kept.append(clause)
            continue
        parts = _PART_SPLIT.split(clause)
        sure = [p for p in parts if not _UNSURE.search(p)]
        unsure.extend(p for p in parts if _UNSURE.search(p))
        if sure:
            kept.append(", ".join(sure))
    return kept, unsure


# A swap of one meeting for another: "byt träff 3 mot träff 4", "ändra från december till februari", "swap
# the third session for the fourth", "träff 4 i stället för träff 3", "the February one instead of December"
_SWAP = Cue(
    r"\b(?:byt(?:a|er|s)?|ändra(?:r|s)?|flytta(?:r|s)?|swap|switch|change|move|replace)\s+(?:gärna\s+)?"
    r"(?:ut\s+|mig\s+|me\s+)?(?:från\s+|from\s+)?(?P<old>[^.,;!?]{1,40}?)\s+(?:mot|till|to|for|with)\s+"
    r"(?P<new>[^.,;!?]{1,40})"
    r"|(?P<new2>[^.,;!?]{1,50}?)\s+(?:i\s*stället|istället|instead)\s+(?:för|of)\s+(?P<old2>[^.,;!?]{1,40})",
    "byt|ändra|flytta|swap|switch|change|move|replace|stället|instead",
)


def swapped(
    clause: str, meetings: tuple[MeetingDate, ...], sent: dt.date | None
) -> tuple[set[int], set[int]] | None:
    """The meetings a swap leaves and takes ("byt träff 3 mot träff 4": {3}, {4}), or None for no swap.

    Both sides must name meetings, so "Eva går i stället för mig" or "ändra min adress till …" is no swap.
    """
    match = _SWAP.search(clause)
    if match is None:
        return None
    old = match.group("old") or match.group("old2") or ""
    new = match.group("new") or match.group("new2") or ""
    left = reference(old, meetings, sent, anchored=True).numbers
    right = reference(new, meetings, sent, anchored=True).numbers
    if not left or not right or left & right:
        return None
    return set(left), set(right)


@dataclass
class Selection:
    """Meetings chosen from many clauses, with what made them uncertain."""

    meetings: list[int] | None = None
    unknown_dates: list[str] = field(default_factory=list)
    conflict: bool = False
    hedged: list[str] = field(
        default_factory=list
    )  # "och kanske på den första": not taken, for a person to ask


def select(
    clauses: list[str],
    meetings: tuple[MeetingDate, ...],
    sent: dt.date | None,
    intent: str,
    elsewhere: frozenset[int] = frozenset(),
    anchored: bool = False,
) -> Selection:
    """Combine the clauses' references into one list for a person; None when no meeting is named.

    Positive clauses say where the person will be, negative ones where they will not. A sign-up or
    update keeps the positives minus the negatives (or everything but the negatives); a cancellation
    names the meetings it leaves; a substitution names the meetings the newcomer takes over, which
    the sender usually states as their own absence. ``anchored``: the clauses are a meetings cell of a
    row, so a month alone ("sept + dec") names meetings.
    """
    out = Selection()
    known = sorted(m.number for m in meetings)
    positive: set[int] = set()
    negative: set[int] = set()
    every_pos = every_neg = False
    rest_positive: set[int] = set()  # "övriga träffar är jag med på": what is left once the others are named
    # "kan inte den 4 februari men på de andra träffarna": the others are those named in the other clauses
    named_here: set[int] = set()
    clauses, unsure = _split_unsure(clauses)
    out.hedged.extend(part for part in unsure if reference(part, meetings, sent, anchored))
    for clause in clauses:
        named_here |= reference(clause, meetings, sent, anchored).numbers
    for clause in clauses:
        swap = swapped(clause, meetings, sent)
        if swap is not None:
            # "byt träff 3 mot träff 4": the one left is a no, the one taken a yes
            negative |= swap[0]
            positive |= swap[1]
            continue
        ref = reference(clause, meetings, sent, anchored)
        out.unknown_dates.extend(ref.unknown_dates)
        numbers = ref.numbers
        if ref.rest and not numbers and (elsewhere or named_here):
            numbers = set(known) - elsewhere - named_here
            if not is_negative(clause):
                rest_positive |= numbers
        elif ref.rest and not numbers and sent is not None:
            # "de återstående träffarna" with nothing else named: the meetings after the message was sent
            numbers = {m.number for m in meetings if m.date > sent}
        if not ref:
            continue
        hedge = _HEDGE.search(clause) if numbers and not is_negative(clause) else None
        if hedge:
            # "de två sista och kanske den första": the firm part counts, the maybe is for a person to ask
            out.hedged.append(clause)
            firm = reference(clause[: hedge.start()], meetings, sent, anchored) if hedge.start() else None
            if not firm:
                continue
            ref, numbers = firm, firm.numbers
        if is_negative(clause):
            negative |= numbers
            every_neg = every_neg or ref.everything
        elif intent == "cancel" and AGAIN.search(clause):
            continue  # "hoppas vara med i december igen": the return after what is cancelled
        else:
            positive |= numbers
            every_pos = every_pos or ref.everything
    if intent == "cancel" and not negative and not every_pos and positive and positive == rest_positive:
        # a cancellation that says "the other meetings as planned" leaves the meetings named elsewhere
        chosen = set(known) - rest_positive
    elif intent == "cancel":
        chosen = set(known) if every_neg or (not negative and every_pos) else (negative or positive)
    elif intent == "substitute":
        chosen = positive | negative
        if every_pos or every_neg:
            chosen = set(known)
    else:
        out.conflict = bool(positive & negative) and not every_pos
        if every_pos:
            chosen = set(known) - negative
        elif positive:
            chosen = positive - negative
        elif negative:
            chosen = set(known) - negative
        else:
            chosen = set()
    if not chosen:
        return out
    out.meetings = sorted(chosen)
    return out
