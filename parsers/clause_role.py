"""The role of one clause: a request, or a question, the past, a condition or someone else's plans.

Only a request says what the writer wants; a meeting, date or person named in any other role is
context ("vi missade första träffen", "blir det digitalt på träff 3?", "om det blir digitalt").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from parsers.text import Cue, clauses

Role = Literal["request", "question", "past", "condition", "others"]

# A question is asked with a question mark or an asking verb at the clause's head.
_QUESTION = re.compile(
    r"\?|^\s*(?:undrar|vet ni|vet du|finns det|blir det|kommer det|is there|will there)\b", re.I
)
# Asking leave to take part is a request in a question's form ("finns det möjlighet att få vara med på ...?").
_ASKS_TO_TAKE_PART = re.compile(
    r"\b(?:möjlighet|möjligt|plats|går\s+det|kan\s+(?:jag|vi)|får\s+(?:jag|vi)|could\s+i|may\s+i|can\s+i)\b"
    r"[^?]{0,30}\b(?:vara\s+med|delta\w*|komma|join|attend)\b"
    r"|\b(?:kan|kunde|skulle)\s+(?:ni|du)\s+(?:\w+\s+)?(?:ändra|lägga|skicka|använda|byta|uppdatera|stryka|ta\s+bort|notera"
    r"|registrera|anmäla|avanmäla)\b|\b(?:could|can|would)\s+you\s+(?:please\s+)?(?:change|add|send|use|update|remove"
    r"|register|cancel)\b",
    re.I,
)
# Past tense: the regular Swedish -ade form and the common irregular and second-conjugation verbs, the
# perfect ("har varit", "har deltagit"), and English simple past; "var" alone is also "where"/"each".
_PAST = re.compile(
    r"\b(?:\w{2,}ade|missade|började|hörde|kände|fick|kom|gick|blev|sa|sade|gjorde|tyckte|deltog|hade|hann|hunnit|såg|tog|fanns|låg|stod|skrev|gav"
    r"|har\s+(?:varit|deltagit|missat|hört|anmält)|var\s+(?:med|på|i|där|mycket|väldigt|jättebra|bra)|i\s+(?:mån|tis|ons|tors|fre|lör|sön)dags"
    r"|was|were|had|did|attended|missed|enjoyed"
    r"|\w{3,}(?<!vär)(?:gde|rde|lde|vde|mde|kte|pte|xte))\b",
    re.I,
)
# A condition or a time not yet settled: "om det blir digitalt", "once I know more", "när det är bestämt".
_CONDITION = re.compile(
    r"^\s*(?:och\s+|men\s+|så\s+)?(?:om|ifall|när|once|if|when|whether)\b|\bnär det är bestämt\b|\bonce i know\b",
    re.I,
)
# A condition that restricts what was just said: "träff 3 vill jag också gå på, men bara om den går att följa
# digitalt", "only if it is online": the wish before it is not firm
_RESTRICTS = re.compile(
    r"(?:^|,)\s*(?:men\s+|but\s+)?(?:bara|endast|enbart|only)\s+(?:om|ifall|if|när|when)\b"
    r"|(?:^|,)\s*(?:men\s+)?(?:förutsatt|under\s+förutsättning)\s+att\b|(?:^|,)\s*(?:but\s+)?provided\b",
    re.I,
)
# A decision put off: "vinterträffarna återkommer vi om", "vi hör av oss om träff 4 senare", "we will get
# back to you about": the meetings it names are neither asked for nor declined
_LATER = Cue(
    r"\båterkomm?(?:a|er|it)?\b|\båterkoppl(?:a|ar|as)\b|\bhöra?\s+(?:jag\s+|vi\s+)?av\s+(?:mig|oss)\b"
    # someone else will be in touch: "min chef X hör av sig om det blir någon", "she will get back to you"
    r"|\bhör(?:a|de)?\s+(?:\w+\s+)?av\s+sig\b(?!\s+(?:själv|separat))"
    r"|\b(?:will|'ll)\s+(?:get\s+back\s+to\s+you|be\s+in\s+touch)\b"
    r"|\bbesked\s+(?:om\s+\S+\s+)?(?:senare|längre\s+fram)\b"
    r"|\bget\s+back\s+to\s+you\b|\blet\s+you\s+know\s+later\b"
    r"|\bfår\s+(?:vi|jag|ni)\s+se\b|\b(?:vi|jag)\s+får\s+se\b|\bfår\s+se\s+(?:hur|om)\b|\bwe\s*(?:'ll|\s+will)\s+see\b",
    "återkom|återkoppl|hör|besked|back|know|får|see|touch",
)
# Swedish puts the verb before the subject in a main clause after a condition: "om ..., vill jag delta".
_MAIN_AFTER_CONDITION = re.compile(
    r"\b(?:vill|skulle|kommer|anmäler|deltar|önskar|tänker|ska)\s+(?:jag|vi)\b|,\s*(?:i|we)\s+(?:would|will|want)\b"
    r"|,\s*(?:anmäl|registrera|räkna\s+med)\s+(?:mig|oss)\b",  # "Finns det plats, anmäl mig till …"
    re.I,
)
# A meeting used only as a point in time ("underlag inför första träffen") is not taking part in it.
_ANCHOR = re.compile(r"\b(?:inför|ahead of|in preparation for)\b", re.I)
# "deltagarlistan" and "deltagare" are nouns, not taking part
_PARTICIPATE = re.compile(
    r"\b(?:anmäl\w*|delta(?!gar)\w*|vara med|närvara|attend\w*|join\w*|register\w*)\b", re.I
)
# A farewell that looks forward to a meeting chooses none: "Ses den 4 februari!", "See you in Falun"
_FAREWELL = re.compile(r"^\W*(?:(?:vi|då)\s+)?ses\b|^\W*see\s+you\b", re.I)
# What was and is being replaced: an old address or name ("min gamla e-postadress", "anmäld som Josefin Ahl")
# What the confirmation says now, to be corrected: "det står att jag äter vegetariskt", "it says I am ..."
_RECORD_SAYS = r"\bdet\s+står\s+att\b|\bdär\s+står\b|\bstår\s+det\b|\bni\s+har\s+(?:skrivit|noterat|registrerat)\b|\bit\s+says\b"
_RECORD = re.compile(_RECORD_SAYS, re.I)
_OLD = re.compile(
    r"\b(?:gamla|tidigare|förra|old|previous|former)\s+(?:e-?post\w*|adress\w*|mejl\w*|namn|name|address|email)"
    r"|\banmäld\b[^.]*\bsom\s+[A-ZÅÄÖ]|\bregistered\s+as\b|\bslutar\s+fungera\b|" + _RECORD_SAYS,
    re.I,
)
# A request in the present outweighs a look back in the same clause ("som jag sa ..., och jag anmäler mig").
_REQUEST_NOW = re.compile(
    r"\b(?:anmäler|anmäla\s+(?:mig|oss)|vill\s+(?:jag|vi|gärna)|jag\s+vill|vi\s+vill|deltar|önskar|would\s+like"
    r"|want\s+to|register)\b",
    re.I,
)
# A past verb governing the sign-up verb: "vi hann aldrig anmäla oss i augusti" (what did not happen then)
_PAST_AUX = re.compile(
    r"\b(?:hann|hunnit|didn't\s+manage)\s+(?:\w+\s+)?(?:att\s+|to\s+)?"
    r"(?:anmäla|registrera|register|sign)",
    re.I,
)
# Someone else's plans: the event's partners or another organisation taking part ("medverkar", "håller i").
# Someone leaving their post is a circumstance, its date no meeting: "slutar hos oss den 18 oktober", "går i
# pension i december", "har fått en ny tjänst", "leaves us at the end of October"
_OTHERS = re.compile(
    # contributing to a meeting's programme is no restriction of who attends which: "Daniel kan bidra med
    # prognoserna på träff 1"
    r"\b(?:medverkar|håller i|presenterar|arrangerar|takes part|presents|bidra(?:r|ga)?\s+med|contribute"
    r"|slutar\s+(?:hos\s+oss|sin\s+\w+|här|i\s+kommunen|på\s+\w+|sista|den|vid|i|till|efter|per|redan)"
    r"|(?:sagt|säger)\s+upp\s+sig|går\s+i\s+pension|pensioneras|(?:fått|får|tar|tagit)\s+(?:en\s+)?ny\s+tjänst"
    r"|byter\s+(?:jobb|tjänst|arbetsgivare)|lämnar\s+(?:oss|kommunen|regionen|sin\s+tjänst|sitt\s+uppdrag)"
    r"|leaves\s+us|is\s+leaving|retires|has\s+resigned)\b",
    re.I,
)
# Past markers that are not past tense here: "bara", "gärna", "sade" in names are rare; "tade" words.
_NOT_PAST = re.compile(
    r"\b(?:anmälan|planerade|begränsade|intresserade|berörda|utvalda|fjärde)\b", re.I
)  # fjärde: an ordinal


_ASIDE = re.compile(r"\([^()]*\)")


@lru_cache(maxsize=512)
def role(clause: str) -> Role:
    """The role of one clause; "request" unless the clause asks, looks back, sets a condition or tells of others."""
    if (
        _QUESTION.search(clause)
        and not _ASKS_TO_TAKE_PART.search(clause)
        and ("?" in clause or not _MAIN_AFTER_CONDITION.search(clause))
    ):
        # "Finns det plats anmäler jag mig …", "Blir det digitalt vill jag delta": a condition by inversion,
        # then the main clause with its verb first, is a request (as "Om det finns plats …" is)
        return "question"
    if _CONDITION.search(clause) and not _MAIN_AFTER_CONDITION.search(clause):
        return "condition"
    if restricted(clause) or put_off(clause):
        return "condition"  # a wish joined to the condition that restricts it (see sentence_pieces)
    if _ANCHOR.search(clause) and not _PARTICIPATE.search(clause):
        return "others"
    if _FAREWELL.search(clause):
        return "others"
    # an aside in brackets explains, it does not set the tense ("förhinder (ett möte som inte gick att flytta)")
    told = _ASIDE.sub(" ", clause) if "(" in clause else clause
    if (
        _OLD.search(clause)
        or (_PAST.search(_NOT_PAST.sub(" ", told)) and not _REQUEST_NOW.search(clause))
        or _PAST_AUX.search(clause)
    ):
        return "past"
    if _OTHERS.search(clause) or circumstance(clause):
        return "others"
    if _ALONE.search(clause) and not _WRITER.search(clause):
        # "den första och tredje har Sara bokat (hon anmäler sig separat)": another's own sign-up
        return "others"
    return "request"


def restricted(clause: str) -> bool:
    """Is the clause a wish with the condition that restricts it ("…, men bara om den går digitalt")?"""
    return "," in clause and bool(_RESTRICTS.search(clause))


def put_off(clause: str) -> bool:
    """Does the clause put a decision off ("vinterträffarna återkommer vi om")?"""
    return bool(_LATER.search(clause)) and not _REQUEST_NOW.search(clause)


def is_request(clause: str) -> bool:
    return role(clause) == "request"


# Two verb phrases joined by "och"/"men" may differ in role: "Jag deltog på första träffen och vill nu
# anmäla mig till de återstående" looks back, then asks.
_COORDINATED = re.compile(
    # "… slutar vid månadsskiftet och därför inte kommer att kunna delta": the consequence is a clause of its own
    r"\s+(?:och|men|and|but)\s+(?=(?:nu\s+|därför\s+|alltså\s+|då\s+)?(?:inte\s+|ej\s+)?(?:vill|ska|kommer|kan|tänker|anmäler|deltar|återkommer|hör\s+av"
    r"|would|will|want)\b)",
    re.I,
)


@lru_cache(maxsize=512)
def sentence_pieces(sentence: str) -> tuple[str, ...]:
    """A sentence's clauses cut into pieces (the meeting rules and the evidence accounting both ask)."""
    out: list[str] = []
    for piece in (p for c in clauses(sentence) for p in _pieces(c)):
        if out and _RESTRICTS.search(piece):
            # "..., men bara om den går att följa digitalt": the wish before it is conditional too
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return tuple(out)


def pieces(clause: str) -> list[str]:
    """A clause cut where a second verb phrase begins, each piece with its own role."""
    return list(_pieces(clause))


@lru_cache(maxsize=1024)
def _pieces(clause: str) -> tuple[str, ...]:
    # asked by the meeting rules and the evidence accounting about the same clauses
    if "," in clause and _REST_TURN_WORDS.search(clause):
        # "till 12/9 och 3/12, de andra datumen krockar": the rest turns the polarity
        parts = _REST_TURN.split(clause)
        if len(parts) > 1:
            return tuple(p for part in parts if part.strip() for p in _pieces(part))
    if "och" not in clause and "men" not in clause and "and" not in clause and "but" not in clause:
        return (clause,)
    return tuple(p for p in _COORDINATED.split(clause) if p.strip())


_REST_TURN_WORDS = re.compile(r"andra|övriga|resterande|resten|återstående")
_REST_TURN = re.compile(
    r",\s*(?=(?:och\s+|men\s+)?(?:(?:de|alla)\s+(?:andra|övriga|resterande|återstående)|övriga|resten)\s+"
    r"(?:\w+\s+)?(?:datum|dag|träff|tillfäll|möte|av\b|krockar|passar|kan|går|hinner|klarar|blir))",
    re.I,
)
# Someone named who is not taking part: copied for information ("står på kopia för kännedom"), stated not
# to come at all or not signed up ("hon deltar inte själv", "är inte anmäld ännu", "is not attending"), or
# still undecided ("funderar fortfarande"); "han kommer inte med på träff 2" is which meetings, not this
# Someone who signs up on their own: "anmäler sig själv/separat", "hör av sig själv", "she will write to you
# herself", "will register separately"
SIGNS_UP_ALONE = (
    r"\banmäl\w*\s+sig\s+(?:själv|separat|på\s+egen\s+hand)|\begen\s+anmälan\b|\bseparat\s+anmälan\b"
    r"|\b(?:skriver|hör\s+av\s+sig|mejlar|mailar|återkommer|kontaktar\s+er)\s+(?:\w+\s+){0,2}?(?:själv|separat)\b"
    r"|\b(?:write|register|sign\s+up|contact\s+you|get\s+in\s+touch|e-?mail\s+you)\b[^.!?]{0,20}"
    r"\b(?:herself|himself|themselves|themself|separately|on\s+(?:her|his|their)\s+own)\b"
)
SIGNS_UP_ALONE_WORDS = "själv|separat|egen|herself|himself|themsel|own"
_ALONE = Cue(SIGNS_UP_ALONE, SIGNS_UP_ALONE_WORDS)
_WRITER = re.compile(r"\b(?:(?i:jag|mig|mej|me|myself)|I)\b")
_ONLY_MENTIONED = Cue(
    rf"{SIGNS_UP_ALONE}"
    r"|\b(?:might|maybe|may\s+(?:also\s+)?(?:want|wish))\b[^.!?]{0,40}\b(?:join|attend)\b"
    r"|\bför\s+kännedom\b|\bfor\s+(?:your\s+)?information\b|\bfyi\b"
    r"|\b(?:han|hon|he|she|de|dom|they)\s+(?:deltar|kommer|är|blir|is|are|will)\s+(?:\w+\s+)?(?:inte|ej|not)\b\s*"
    r"(?:att\s+)?(?:delta\w*\s+|attend\w*\s+|join\w*\s+|med\s+|come\s+)?"
    r"(?:själv|heller|himself|herself|themselves)?\s*(?:[.,;!]|$)"
    r"|\b(?:inte|ej|not)\s+(?:\w+\s+)?(?:anmäld|anmälda|registered|signed\s+up)\b"
    r"|\bfunderar\s+(?:\w+\s+)?fortfarande\b|\bstill\s+(?:thinking|deciding|considering)\b"
    # nothing changes for them: "där är det ingen ändring", "hans anmälan är oförändrad", "no change for him"
    r"|\bingen\s+ändring\b|\boförändrad\w*|\bno\s+change\b|\bunchanged\b"
    # someone who steps aside ("men han avstår", "hon har avstått sin plats", "steps aside"), not from a meeting
    r"|\b(?:avstår|avstod|avstått|kliver\s+av|steps?\s+aside|stepped\s+aside|stands?\s+down)\b"
    r"(?!\s+(?:från\s+)?(?:\w+\s+){0,2}?\w*(?:träff|möte|tillfälle|gång|meeting|session))",
    "kännedom|information|fyi|inte|ej|not|fortfarande|still|might|maybe|may|ingen|oförändrad|no|unchanged|"
    "avst|kliver|step|stand|" + SIGNS_UP_ALONE_WORDS,
)
# The one who suggested it ("my manager X suggested that I join", "min chef föreslog att jag anmäler mig")
_SUGGESTS = Cue(
    r"\b(?:föreslog|föreslagit|tipsade|rekommenderade|suggested|recommended|encouraged)\b",
    "föreslog|föreslagit|tipsade|rekommenderade|suggested|recommended|encouraged",
)


def only_mentioned(text: str) -> bool:
    """Does the text name someone only in passing: for information, not coming at all, or undecided?"""
    return bool(_ONLY_MENTIONED.search(text, text.lower()))


def suggests(text: str) -> bool:
    """Is the clause's person the one who suggested taking part ("min chef X föreslog att jag …")?"""
    return bool(_SUGGESTS.search(text, text.lower()))


def restates_record(text: str) -> bool:
    """Does the text repeat what is registered, to correct it ("det står att jag äter vegetariskt")?"""
    return ("står" in text or "har" in text or "says" in text) and bool(_RECORD.search(text))


# "det är min kollega Jonas Berg som är vegetarian, inte jag": food needs of someone else, named
_ABOUT_OTHER = re.compile(
    r"\b(?i:min|mitt|mina|vår|våra|my|our)\s+(?:\w+\s+)?(?i:kollega\w*|medarbetare|chef\w*|colleagues?|manager)"
    r"\s+[A-ZÅÄÖ]\w+",
)
_NOT_ME = re.compile(r"\binte\s+(?:jag|mig)\b|\bnot\s+(?:me|I)\b", re.I)


def own_food_words(clause: str) -> str:
    """A clause without its pieces that repeat the record or speak of someone else's food (the caller
    asks only when no participant is named in it)."""
    if (
        "står" not in clause
        and "says" not in clause
        and "har" not in clause
        and not _ABOUT_OTHER.search(clause)
    ):
        return clause
    kept = [
        p
        for p in sentence_pieces(clause)
        if not restates_record(p) and not _ABOUT_OTHER.search(_NOT_ME.sub(" ", p))
    ]
    return " ".join(kept)


# A circumstance given as the reason for staying away: "den 23 oktober har vi kommunfullmäktige",
# "eftersom vi har budgetmöte då", "since we have a council meeting": no wish of the writer's
_CIRCUMSTANCE = Cue(
    r"^\s*(?:(?:den|on)\s+)?\d{1,2}(?::e|:a|st|nd|rd|th)?\s+\w+\s+(?:har|have)\s+(?:vi|jag|we|I)\s+(?!tid\b|möjlighet|time\b)"
    r"|^\s*(?:eftersom|because|since)\s+(?:vi|jag|we|I)\s+(?:har|have)\b",
    "har|have",
)
_WANTS_OR_NOT = re.compile(
    r"\b(?:inte|ej|not|förhinder|kan|vill|kommer|delta\w*|anmäl\w*|join|attend|så|so|avstå\w*|över|skippa\w*"
    r"|missa\w*|krock\w*)\b",
    re.I,
)


def circumstance(clause: str) -> bool:
    """Is the clause a reason given for staying away ("den 23 oktober har vi fullmäktige"), not a request?"""
    return bool(_CIRCUMSTANCE.search(clause, clause.lower())) and not _WANTS_OR_NOT.search(clause)
