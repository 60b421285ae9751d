"""What the sender wants, from the new text and the subject: signup, cancel, substitute, update, question."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.clause_role import only_mentioned
from parsers.diet import diet_in
from parsers.models import Intent
from parsers.text import EMAIL_RE, Cue, first_char_checked

SUBSTITUTE = Cue(
    # "i stället för träff 2", "… för den i december": a meeting swapped, not a person replaced; "i stället för
    # till er": a mail sent elsewhere
    r"\b(i ?stället för (mig|henne|honom|(?!(?:till|på|via|att|er|oss|dem|hit|dit|träff|möte|tillfäll|den\b|det\b|\d|jan|feb|mars|april|maj|juni|juli"
    r"|aug|sep|okt|nov|dec|höst|vår|vinter|första|andra|tredje|fjärde|sista))\w+)|i ?stället (skickar|kommer|går|åker|deltar)|skickar vi i ?stället|ersätter (mig|henne|honom|\w+)"
    r"|ersättare|efterträdare|efterträder (mig|henne|honom|\w+)|tar över efter (mig|henne|honom|\w+)|vikarie"
    r"|tar (över )?(min|mina|hennes|hans) platse?r?\b|(?:tar|ta|tagit|tog)\s+(?:(?:jag|vi|hon|han|också|även|nu)\s+){1,3}över\s+(?:min|hennes|hans|sin|(?-i:[A-ZÅÄÖ])\w+s)\s+plats|går in i ?stället|kommer i ?stället|i ?stället anmäler (jag|vi) (?!mig\b|oss\b)"
    r"|i ?stället (?:kommer|går|deltar|åker) (?!jag\b|vi\b)|(?:jag|vi) skickar (?:[^.!?\n]|\.(?=\S)){2,80} i ?stället\b(?! för)"
    r"|i mitt ställe|i (?:hans|hennes|(?:(?-i:[A-ZÅÄÖ])[\w-]+ )?(?-i:[A-ZÅÄÖ])\w+s) ställe|byte av deltagare|byter ut|lämnar\s+(?:\w+\s+)?över\s+(?:min|sin|hennes|hans)\s+plats|överlåter\s+(?:min\s+)?plats|instead of (me|him|her)|in my place|replace[sd]? me|my successor"
    r"|will replace|take over my place"
    # the place first: "Hennes plats tar Anton Eriksson över"; the newcomer named between: "den gången kommer
    # Olle Persson från bygglovsenheten i stället"
    r"|(?:min|hennes|hans|sin|(?-i:[A-ZÅÄÖ])\w+s)\s+plats\s+tar\s+(?:\w+\s+){1,3}?över"
    r"|\bkommer\s+(?-i:[A-ZÅÄÖ])\w+(?:\s+(?-i:[A-ZÅÄÖ])\w+)?\s+(?:(?!på\b|till\b)\w+\s+){0,3}?i ?stället(?!\s+för))\b",
    "ställ|ersätt|efterträd|vikarie|tar över|tar min|tar hennes|tar hans|tar mina|byte av deltagare|byter ut|över|överlåter"
    "|instead of|in my place|replace|successor|take over",
)
CANCEL = Cue(
    r"(avanmäl\w*|återbud|\bkan ((jag|vi|hon|han|de) )?(tyvärr )?(inte|ej) (komma|delta|närvara|vara med|åka|medverka|ta mig)|\bkommer (tyvärr )?(inte|ej)\b"
    # "kommer inte hem förrän sent": not coming home, not staying away
    r"(?!\s+(?:hem|tillbaka|fram|ihåg|åt|förrän|undan|ifrån|loss)\b)"
    r"|\bstryk(a|er)? (mig|henne|honom|dem|oss|\w+ från listan)|\bfått förhinder|\bhar förhinder|\bär (tyvärr )?förhindrad|\bmåste ställa in"
    r"|\bcancel\w*|\bcan(no|')t (attend|come|make it)|\bwithdraw|\bunable to (attend|come)"
    r"|\b(dra|drar|drog|ta|tar) tillbaka (\w+ ){0,2}anmälan|\bavbok\w*|\bhoppa[rt]? av\b"
    r"|\bblir det (tyvärr )?inget( av| \w+)? för (mig|mej|oss|henne|honom)|\bdet blir (tyvärr )?inget( \w+)? för (mig|mej|oss|henne|honom)"
    r"|\bingen (\w+ ){0,5}?(kan|kommer att) (tyvärr )?(komma|delta|närvara|vara med)"
    r"|\bvarken (\S+ ){1,8}?(kan|kommer att) (tyvärr )?(komma|delta|närvara|vara med)"
    r"|\b(kan|kommer) (tyvärr )?varken (\S+ ){1,8}?(komma|delta|närvara|vara med))"
    r"|\b(?:ska|skall|bör)\s+(?:(?:därför|alltså|då|nu)\s+)?(?:inte|ej)\s+(?:längre\s+)?(?:stå\s+med|vara\s+med|delta|vara\s+anmäld|stå\s+kvar)"
    # the negation first in a subordinate clause: "… och därför inte kommer att kunna delta på resterande träffar"
    r"|\b(?:inte|ej)\s+kommer\s+att\s+(?:kunna\s+)?(?:delta|komma|vara\s+med|närvara|medverka)"
    # the place given up in the passive: "Hennes plats kan därför strykas", "min anmälan kan tas bort"
    r"|\b(?:plats|platser|anmälan|anmälningar)\s+(?:kan|får|ska|skall|bör|kommer\s+att)\s+(?:(?:därför|alltså|då|nu|gärna)\s+)?"
    r"(?:strykas|tas\s+bort|avbokas|avregistreras)\b",
    "avanmäl|återbud|ingen|varken|inte komma|inte delta|inte närvara|inte vara med|ej komma|ej delta|ej närvara|inte åka"
    "|inte medverka|inte ta mig|ej åka|ej medverka|ej ta mig"
    "|ej vara med|kommer inte|kommer ej|kommer tyvärr|stryk|förhinder|måste ställa in|cancel|cannot|can't"
    "|withdraw|unable to|tillbaka|avbok|hoppa|inget|förhindrad|ska|bör|strykas|tas|avregistreras|kommer",
)
UPDATE = Cue(
    r"\b(ändra|ändring|uppdatera|glömde (att )?(skriva|nämna|säga)|ny (e-?post|mejl|mail)adress|byt(a|er)? (e-?post|adress)"
    r"|lägg(a)? till|komplettera|rätta|rättelse|uppdatering|blev (visst |det )?fel|heter numera|nytt (efter)?namn"
    r"|fel (i |på )?(e-?post|mejl|mail)?adress\w*|rätt (e-?post|mejl|mail)?adress|byt(a|er)? (\w+ ){0,2}?(träff\w*|datum|dag)"
    r"|ny titel|ny befattning|nya (e-?post)?adress|change my|update my|forgot to (mention|say|write)"
    r"|(kan|kunde|skulle) ni (\w+ )?(notera|anteckna|skriva upp|föra in)|please (note|add))",
    "ändr|uppdater|glömde|adress|byt|lägg|komplettera|rätt|fel|heter numera|namn|titel|befattning|change my"
    "|update my|forgot to|notera|anteckna|skriva upp|föra in|please note|please add",
)
# Staying away from one meeting ("den träffen får jag avstå från", "står över"): a cancellation when the
# message signs nobody up; inside a sign-up it only says which meetings
# (only next to a meeting word: "jag skippar lunchen" is not a cancellation)
_STAY_AWAY = r"(?:avstå|avstår|skippa|skippar|(?:stå|står|hoppa|hoppar)\s+(?:(?:jag|vi|hon|han|de)\s+)?över)"
_MEETING_WORD = r"(?:\w*(?:träff|möte|tillfälle)\w*|gången)"
CANCEL_WEAK = Cue(
    rf"\b{_STAY_AWAY}\b(?:\s+från)?\s+(?:\w+\s+){{0,2}}?\b{_MEETING_WORD}"
    rf"|\b{_MEETING_WORD}\s+(?:(?!men\b|och\b|but\b)\w+\s+){{0,3}}?{_STAY_AWAY}\b",
    "avstå|över|skippa",
)
# Looking for a stand-in is not yet a substitution ("försöker hitta någon som kan gå i mitt ställe")
_PENDING_SUBSTITUTE = re.compile(
    r"\b(?:försöker|ska försöka|letar|söker|om (?:vi|jag) hittar|hoppas hitta|hitta någon|återkommer|vem som"
    r"|pratat om|diskuterat|diskuterar|funderar|funderat|planerar|kanske)\b[^.!?]{0,60}$",
    re.I,
)
# "vi tar inte in någon ersättare", "ingen vikarie": a substitution denied is none
_DENIED_SUBSTITUTE = re.compile(r"\b(?:inte|ej|ingen|inga|utan|not|no)\b[^.!?,]{0,30}$", re.I)
# "Eftersom jag är sjukskriven skickar vi vår planarkitekt X": someone sent because the writer is away
SEND_FOR_ABSENT = re.compile(
    r"\b(?:jag|I)\s+(?:är|har|am)\s+(?:\w+\s+)?(?:sjuk\w*|bortrest|förhindrad|föräldraledig|ill|sick|away)\b"
    r"[^.!?]{0,60}\b(?:skickar|sends?|sending)\b"
    r"|\b(?:skickar|send)\s+(?:vi|jag|we|I)\s+[^.!?]{0,80}\b(?:eftersom|då|since|as)\s+(?:jag|I)\s+(?:är|har|am)\s+",
    re.I,
)
_SEND_FOR_ABSENT = Cue(SEND_FOR_ABSENT.pattern, "skicka|send")
SIGNUP_STRONG = Cue(
    r"(?<!av)(?<!\w)(anmäl(er|a|s)?|anmält)\s+(?:(?:härmed|gärna|också|även|nu|därför)\s+)?(mig|mej|oss|sig|dem|henne|honom|följande|(min|mina|vår|våra|vårt|en|ett|hela)\s+\w+|\w+\s+(av\s+)?(mina|våra)|två|tre|fyra|(?-i:[A-ZÅÄÖ]\w+ [A-ZÅÄÖ]))|\banmäler\s+(?:jag|vi)\b|\banmäls\s*(?:[:.]|härmed|också|även|till|på|för)"
    # "kan du skicka vidare min anmälan till Dalalab?": the sign-up passed on by whoever it is sent to
    r"|\b(?:skicka|vidarebefordra|lämna|förmedla)\s+(?:vidare\s+|in\s+|över\s+)?(?:min|vår|våra|mina)\s+anmälan\b"
    r"|\bhärmed anmäl|\bvill (gärna )?anmäla\b|\b(register|sign up|attend|join)\b.*\b(project|meeting|learning|series)"
    r"|\bwould like to (register|attend|join|sign up)",
    "anmäl|register|sign up|attend|join",
)
SIGNUP_WEAK = Cue(
    r"\bvill (gärna |jag gärna |också )?(delta|vara med|komma|deltaga)\b|\bvill jag (gärna )?(delta|vara med)"
    r"|\bkommer jag själv\b"
    # everyday words for coming along: "jag hänger gärna med på träff 1", "vi hakar på", "I'm in"
    r"|\b(?:hänger|hakar)\s+(?:jag\s+|vi\s+)?(?:gärna\s+|också\s+)?(?:med|på)\b(?!\s+(?:i|på)\s+(?:diskussion|samtal))"
    # "Från Söderhamn kommer jag och vår näringslivschef X", "Från oss kommer jag och Per": the verb first
    r"|\bfrån\s+(?:\w+\s+){1,3}?kommer\s+(?:jag|vi)\b(?!\s+(?:\w+\s+)?att\b)[^.!?]{0,80}?(?:\bvår|\bmin|\boch\s+(?-i:[A-ZÅÄÖ]))"
    r"|\bvi blir (två|tre|fyra|\d)\b|\bdeltar gärna\b|\bskulle gärna (vilja )?(delta|vara med)"
    r"|\bgärna (delta|vara med)\b|\bräkna med (mig|oss)\b|\bvi kommer (två|tre|fyra|\d)\b"
    # the verb before its subject after a fronted place or time: "Från Älvdalens kommun kommer vi tre:"
    r"|\b(?:kommer|deltar) vi (?:alla )?(två|tre|fyra|\d)\b"
    # a list announced by its verb: "Från Gagnefs kommun kommer följande tre:", "Följande deltar:"
    r"|\b(?:kommer|deltar|åker)\s+(?:\w+\s+)?följande\b(?:\s+(?:två|tre|fyra|\d|personer|kollegor))?\s*:"
    r"|\bföljande\s+(?:(?:två|tre|fyra|\d)\s+)?(?:personer\s+|kollegor\s+)?(?:kommer|deltar)\s*:"
    r"|\b(?:våra|vår|följande)\s+(?:\w+\s+)?deltagare\b|\bour\s+(?:\w+\s+)?participants\b"
    # "Följande två kollegor ska delta", "the following colleagues will attend"
    r"|\b(?:följande|dessa|de\s+här)\s+(?:\w+\s+)?(?:kollegor|personer|medarbetare)\s+(?:ska|skall|kommer\s+att|vill)"
    r"\s+(?:gärna\s+)?(?:delta|vara\s+med|komma)\b"
    r"|\bthe\s+following\s+(?:\w+\s+)?(?:colleagues|people|persons)\s+(?:will|would\s+like\s+to)\s+(?:attend|join)\b"
    r"|\bkommer (gärna )?(på|till) (den )?(alla|samtliga|de|träff|mötet|första|andra|tredje|fjärde|sista)"
    # "jag skickar två av mina medarbetare": the writer sends others
    r"|\b(?:jag|vi)\s+skickar\s+(?:\w+\s+){0,4}?(?:medarbetare|kollegor|kollega|personer|deltagare)\b"
    r"|\bkommer gärna (på|till|med)\b"
    r"|\b(?:jag|vi) kommer(?: gärna)?(?:!|\s*$|\.(?:\s|$)|,? (?:till|på) (?:alla|samtliga|träff))"
    r"|\bta med (mig |oss )?(en |vår |min |våran )?(\w+ )?(kollega|[a-zåäö]*(chef|strateg|planerare|utvecklare|arkitekt|samordnare|direktör|råd)\b)",
    "delta|vara med|komma|kommer|vi blir|räkna med|ta med|participants|kollegor|personer|medarbetare|colleagues|people|persons"
    "|följande|hänger|hakar|skickar",
)
QUESTION = Cue(
    r"\?|\b(undrar|undra|fråga|frågor|hur gör|vet ni|kan ni berätta|wonder)\b",
    "?|undra|fråg|hur gör|vet ni|kan ni berätta|wonder",
)
_SUBJECT_SIGNUP = re.compile(
    r"^(?!.*\b(sv|re|vb|fw|fwd|aw)\s*:.*bekräft)(?!.*\b(fråga|frågor|undrar|undran|question)\b)"
    r"(.*\b(anmälan|registration|anmäler)\b)",
    re.I,
)
_SIGNED_UP_BEFORE = re.compile(
    r"\b(?:jag|vi)\s+(?:har\s+)?(?:redan\s+)?(?:anmälde|anmält)\s+(?:mig|mej|oss)\b"
    r"|\b(?:I|we)\s+(?:have\s+)?(?:already\s+)?(?:registered|signed\s+up)\b",
    re.I,
)
# Asking whether an earlier sign-up arrived: "har inte fått någon bekräftelse", "finns jag med på listan?"
_STATUS_ASKED = re.compile(
    r"\b(?:kommit\s+fram|gått\s+igenom|fått\s+(?:\w+\s+)?(?:någon\s+)?bekräftelse|finns\s+(?:jag|vi|med)\b"
    r"|är\s+(?:jag|vi)\s+(?:anmäld|anmälda|registrerad)|hört\s+något|received\s+(?:a\s+|any\s+)?confirmation)",
    re.I,
)
_SUBJECT_CANCEL = re.compile(r"\b(avanmälan|återbud|cancel)", re.I)


# Words that make a sign-up verb hypothetical when they stand before it in the same clause: considering
# ("funderar på att anmäla", "överväger att delta", "thinking about"), maybe ("kanske vill anmäla",
# "eventuellt", "might"), a condition or a time not yet come ("om vi anmäler oss", "ifall", "innan vi
# anmäler", "if we register") and "skulle kunna tänka oss". Someone who writes so has not signed up.
_HEDGE = re.compile(
    r"\b(?:funderar|funderat|fundera|funderingar|överväger|övervägt|överväga|övervägande|kanske|eventuellt"
    r"|möjligen|möjligtvis|(?:skulle|kunde|kan)\s+(?:\w+\s+)?kunna\s+tänka\s+(?:mig|oss)|kan\s+tänka\s+(?:mig|oss)"
    r"|(?:om|ifall|innan|huruvida)\s+(?:vi|jag|ni|man|de|dom|hon|han|någon|några|(?:vår|våra|mina|min|era|er)\s+\w+)"
    # a registration put off, the deferral right before the verb: "vänta med att anmäla", "wait to register"
    r"|(?:vänta|avvakta)\w*\s+(?:\w+\s+)?med\s+att(?=\s*$)|(?:wait|hold\s+off)\w*\s+(?:with\s+|on\s+)?(?:to|before)?(?=\s*$)"
    r"|thinking\s+(?:about|of)|considering|consider|contemplating|might|maybe|perhaps|possibly"
    r"|may\s+(?:want|wish|like)|if\s+(?:we|i)|before\s+(?:we|i)|whether)\b",
    re.I,
)
_HEDGE_WORDS = Cue(
    _HEDGE.pattern,
    "funder|överväg|kanske|eventuellt|möjlig|tänka|om|ifall|innan|huruvida|thinking|consider|contemplating|vänta"
    "|avvakta|wait|hold"
    "|might|maybe|perhaps|possibly|may|if|before|whether",
)
# Where a clause begins, looking back from a verb: the hedge must govern the verb, not a clause before it.
_CLAUSE_START = re.compile(r"[.!?;:\n]|\s[–—-]\s|\bmen\b|\bbut\b|\boch\s+(?=jag|vi)", re.I)


def _hedged(body: str, start: int) -> bool:
    """Is the sign-up verb at ``start`` considered, conditional or hypothetical ("vi funderar på att anmäla")?"""
    before = _CLAUSE_START.split(body[max(0, start - 80) : start])[-1]
    return bool(_HEDGE.search(before))


# Verbs of taking part: hedged, any of them makes a message without a firm sign-up a question.
_PARTICIPATE = Cue(
    r"\b(?:anmäl\w*|delta\w*|vara\s+med|komma|register\w*|attend\w*|join\w*|sign(?:ing)?\s+up|participat\w*)\b",
    "anmäl|delta|vara|komma|register|attend|join|sign|participat",
)


# "Jag anmäler henne inte förrän ...", "we register him not yet": the verb and its object, then a negation
# also put off to a later time: "anmäl honom först när ni svarat", "register her only once you have replied"
_NEGATED_AFTER = re.compile(
    r"\w+\s+(?:\w+\s+)?(?:inte|ej|not|först\s+(?:när|efter|då|om)|only\s+(?:when|after|once|if))\b", re.I
)


# A question about the procedure ("måste vi anmäla oss till alla nu?", "kan man komplettera senare?", "do we
# have to register?"): the verb is asked about, not done; "kan ni ändra …?" and "kan jag delta?" are not these
_PROCEDURE_ASK = re.compile(
    r"\b(?:måste|behöver|bör|ska|skall|kan|får|går)\s+man\b|\b(?:måste|behöver|bör|ska|skall)\s+(?:vi|jag)\b"
    r"|\b(?:do|must|should|shall)\s+(?:we|i)\b|\bcan\s+one\b",
    re.I,
)


def _asked_about(body: str, start: int) -> bool:
    """Is the verb at ``start`` asked about in a question on how to take part ("måste vi anmäla …?")?"""
    head = max(body.rfind(mark, 0, start) for mark in (".", "!", "?", "\n")) + 1
    ends = [e for e in (body.find(mark, start) for mark in (".", "!", "?", "\n")) if e >= 0]
    end = min(ends) if ends else len(body)
    return end < len(body) and body[end] == "?" and bool(_PROCEDURE_ASK.search(body, head, start))


# "vi har inte anmält oss ännu", "har ännu inte hunnit anmäla oss": the verb negated before it
_NEGATED_BEFORE = re.compile(r"\b(?:inte|ej|aldrig|not|never)\s+(?:\w+\s+){0,2}$", re.I)


def _sentence_span(body: str, start: int) -> tuple[int, int]:
    head = max(body.rfind(mark, 0, start) for mark in (".", "!", "?", "\n")) + 1
    ends = [e for e in (body.find(mark, start) for mark in (".", "!", "?", "\n")) if e >= 0]
    return head, min(ends) if ends else len(body)


# An offer that waits for an answer: a condition with its alternative ("Om det blir digitalt kommer jag
# gärna … Annars får vi avstå", "if there is room I will come, otherwise not")
_CONDITION_HEAD = re.compile(r"\s*(?:och\s+|men\s+|and\s+|but\s+)?(?:om|ifall|if|in\s+case)\b", re.I)
_ALTERNATIVE = Cue(
    r"\b(?:annars|i\s+annat\s+fall|otherwise|or\s+else|if\s+not)\b", "annars|annat|otherwise|else|if"
)


def _open_condition(body: str, low: str, start: int) -> bool:
    """Does the verb at ``start`` stand in a condition whose alternative the writer also states?"""
    if not _ALTERNATIVE.hit(body, low):
        return False
    head, end = _sentence_span(body, start)
    clause_head = max(head, body.rfind(",", head, start) + 1)
    if not (_CONDITION_HEAD.match(body, head) or _CONDITION_HEAD.match(body, clause_head)):
        return False
    _, after = _sentence_span(body, min(end + 1, len(body)))
    return bool(_ALTERNATIVE.search(body[head : after + 1]))


# "ett par frågor innan vi anmäler oss": the sign-up is still to come
_BEFORE_DOING = re.compile(r"\b(?:innan|före|before)\s+(?:\w+\s+){0,2}$", re.I)


_ASKS_BEFORE_SIGNING = Cue(
    r"\b(?:frågor|fråga|undrar|undra|questions?|wonder)\b[^.!?]{0,40}?\b(?:innan|före|before)\s+(?:vi|jag|I|we)\s+"
    r"(?:\w+\s+)?(?:anmäl|register|sign)",
    "innan|före|before",
)


def _firm(pattern: Cue, body: str, low: str) -> bool:
    """Does the pattern match somewhere that no hedge governs and no negation follows?"""
    return any(
        not _hedged(body, match.start())
        and not _NEGATED_AFTER.match(body, match.start(), match.start() + 40)
        and not _NEGATED_BEFORE.search(body, max(0, match.start() - 30), match.start())
        and not _BEFORE_DOING.search(body, max(0, match.start() - 20), match.start())
        and not _asked_about(body, match.start())
        and not _open_condition(body, low, match.start())
        for match in pattern.finditer(body, low)
    )


# Verbs of coming in an offer: "kommer jag gärna", "anmäler jag henne", "vill vara med"
_COMING = Cue(
    # "kommun" is no verb of coming
    r"\b(?:anmäl\w*|delta\w*|vara\s+med|komm(?!un)\w*|register\w*|attend\w*|join\w*)\b",
    "anmäl|delta|vara|komm|register|attend|join",
)


def _hedged_participation(body: str, low: str) -> tuple[bool, bool]:
    """Is taking part only considered, conditional or hypothetical ("överväger att delta", "om vi anmäler oss")?

    (some participation verb is hedged, a registration verb is hedged: "anmäla", "register", "sign up")
    """
    if not _HEDGE_WORDS.hit(body, low):
        return False, False
    hedged = [m.group(0).lower() for m in _PARTICIPATE.finditer(body, low) if _hedged(body, m.start())]
    return bool(hedged), any(v.startswith(("anmäl", "register", "sign")) for v in hedged)


def _gives_details(body: str) -> bool:
    """ "X vill gärna vara med … Går det bra? Hans e-post är …, inga allergier": a wish to come that gives
    what a registration needs is a sign-up asking leave, not a question only."""
    return bool(EMAIL_RE.search(body)) and any(
        diet_in(s) is not None for s in re.split(r"(?<=[.!?])\s+", body)
    )


def _mentions_anmal(body: str, low: str, subject: str) -> bool:
    text = body + " " + subject
    if not ("anmäl" in low or "anmäl" in subject.lower()):
        return False
    # an "anmäla" asked about ("behöver vi anmäla oss …?") does not make the question a sign-up, nor does
    # one negated ("anmäl henne inte förrän …", "vi anmäler oss inte än"), nor being registered already;
    # a registration the text puts off is not made by the subject "Anmälan" either
    put_off = False
    for m in re.finditer(r"\banmäl(?!d)", text, re.I):  # "vi är tre anmälda" tells what is, asks nothing
        if m.start() >= len(body):
            return not put_off
        if _NEGATED_AFTER.match(body, m.start(), m.start() + 40) or _NEGATED_BEFORE.search(
            body, max(0, m.start() - 30), m.start()
        ):
            put_off = True
        elif not _asked_about(body, m.start()):
            return True
    return False


# In a sign-up, "not coming" said of the writer alone ("jag kommer inte själv") or of part of the group
# ("alla kan inte vara med hela tiden") is who comes when, not a cancellation
_WRITER_STAYS_AWAY = re.compile(
    r"\b(?:inte|ej)\s+(?:möjlighet|kan)\b[^.]*\bsjälv|\b(?:inte|ej)\s+själv\b"
    r"|\b(?:alla|några|en\s+del)\s+(?:av\s+oss\s+)?(?:kan|kommer)\s+(?:tyvärr\s+)?(?:inte|ej)\b"
    r"|\binte\s+alla\s+(?:kan|kommer)\b|\bsjälv\s+(?:kan|kommer|deltar)\s+(?:jag\s+)?(?:tyvärr\s+)?(?:inte|ej)\b",
    re.I,
)
_WRITER_STAYS_AWAY = first_char_checked(_WRITER_STAYS_AWAY)  # speed only: same matches


# A meeting named in a sentence: "den 4 februari", "träff 2", "decemberträffen", "på torsdag"
_MEETING_MENTION = re.compile(
    r"träff|möte|tillfälle|\d|januari|februari|mars|april|juni|juli|augusti|september|oktober|november"
    r"|december|måndag|tisdag|onsdag|torsdag|fredag",
    re.I,
)


def _partial_attendance(body: str, low: str) -> bool:
    """In a sign-up, "kan inte vara med den 4 februari" said of a named meeting is which meetings they come
    to, not a cancellation: every cancelling sentence is the writer's or an attendee's and names a meeting."""
    spans = [m.start() for m in CANCEL.finditer(body, low)]
    if not spans:
        return False
    for at in spans:
        start = max(body.rfind(mark, 0, at) for mark in (".", "!", "?", "\n")) + 1
        ends = [e for e in (body.find(mark, at) for mark in (".", "!", "?", "\n")) if e >= 0]
        sentence = body[start : min(ends) if ends else len(body)]
        if not (_MEETING_MENTION.search(sentence) and _ATTENDEE_SUBJECT.search(sentence)):
            return False
    return True


# Who does not come, in a sign-up: the writer, or someone the mail signs up ("Anders kan tyvärr inte delta på
# träff 3", "hon kan inte den 4 februari")
_ATTENDEE_SUBJECT = re.compile(
    r"\b(?:(?i:jag|han|hon|hen)|I|he|she)\b|^\s*(?-i:[A-ZÅÄÖ][a-zåäöé]+)\s+(?:kan|kommer)\b"
)


def _others_only_informed(body: str, low: str) -> bool:
    """In a sign-up, "vår vd har fått mejlet för kännedom, men hon kommer inte att delta": every "not coming"
    is said of someone only kept informed, not of the writer, so nothing is cancelled."""
    spans = [m.start() for m in CANCEL.finditer(body, low)]
    for at in spans:
        start = max(body.rfind(mark, 0, at) for mark in (".", "!", "?", "\n")) + 1
        ends = [e for e in (body.find(mark, at) for mark in (".", "!", "?", "\n")) if e >= 0]
        sentence = body[start : min(ends) if ends else len(body)]
        informed = only_mentioned(sentence) and _INFORMED.search(sentence) is not None
        if not informed or _FIRST_PERSON_WORD.search(sentence):
            return False
    return bool(spans)


_INFORMED = re.compile(
    r"\bför\s+kännedom\b|\b(?:på|i)\s+kopia\b|\bfor\s+(?:your\s+)?information\b|\bfyi\b", re.I
)
_FIRST_PERSON_WORD = re.compile(r"\b(?:(?i:jag|mig|mej|me|myself)|I)\b")


@dataclass
class IntentGuess:
    intent: Intent
    uncertain: bool = False
    reason: str | None = None


_A_MEETING_WORD = re.compile(
    r"träff|tillfäll|möte|meeting|\d{1,2}/\d{1,2}|\b(?:jan|feb|mar|apr|jun|jul|aug|sep|okt|oct|nov|dec)\w*"
    r"|\bmaj\b|höst|vår\b|vinter",
    re.I,
)
# A message that calls itself a list of changes ("Här är ändringarna", "en uppdatering")
_CHANGES = Cue(
    r"\b(?:ändringar\w*|ändringen|uppdatering\w*|changes|updates?)\b", "ändring|uppdatering|change|update"
)
_A_MEETING = re.compile(
    r"\d|träff|tillfäll|meeting|jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|oct|nov|dec|höst|vår|vinter", re.I
)


def _changes_meetings(body: str, low: str) -> bool:
    """ "Här är ändringarna: … Jag har fått förhinder den 12 september": a list of changes whose every
    cancelling sentence names a meeting changes which meetings people take; it cancels no one."""
    if not _CHANGES.search(body, low):
        return False
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n\s*\n", body) if CANCEL.search(s)]
    return bool(sentences) and all(_A_MEETING.search(s) for s in sentences)


# A substitution asked about for some day to come: "om jag får förhinder, går det bra att en kollega kommer i
# mitt ställe?", "could a colleague take my place if …?"
_ASKED_IF = re.compile(
    r"\b(?:om|ifall|if|in\s+case)\b.*\?\s*$|^\W*(?:går\s+det|kan\s+(?:jag|vi|man)|får\s+(?:jag|vi|man)|is\s+it|can\s+(?:I|we))\b.*\?",
    re.I | re.S,
)


def _asked_if(body: str, at: int) -> bool:
    head, end = _sentence_span(body, at)
    return bool(_ASKED_IF.search(body[head : end + 1]))  # with its question mark


def classify(body: str, subject: str) -> IntentGuess:
    """The intent of a human-written message; the caller has already set aside auto-replies and bounces."""
    low = body.lower()
    subst = bool(_SEND_FOR_ABSENT.search(body, low)) or any(
        not _PENDING_SUBSTITUTE.search(body[max(0, m.start() - 80) : m.start()])
        and not _DENIED_SUBSTITUTE.search(body[max(0, m.start() - 40) : m.start()])
        and not _asked_if(body, m.start())
        for m in SUBSTITUTE.finditer(body, low)
    )
    cancel = bool(CANCEL.search(body, low)) or bool(_SUBJECT_CANCEL.search(subject))
    update = any(not _asked_about(body, m.start()) for m in UPDATE.finditer(body, low))
    signup = _firm(SIGNUP_STRONG, body, low)
    weak = _firm(SIGNUP_WEAK, body, low)
    question = bool(QUESTION.search(body, low))
    if subst:
        return IntentGuess("substitute")
    # "Räknas politiker in i taket? Om det går anmäler jag henne, annars får hon avstå": an offer that waits
    # for the answer is a question, whatever wish it reports
    if (
        question
        and not (signup or cancel or update)
        and any(_open_condition(body, low, m.start()) for m in _COMING.finditer(body, low))
    ):
        return IntentGuess("question")
    if question and not (cancel or update) and _SIGNED_UP_BEFORE.search(body) and _STATUS_ASKED.search(body):
        # "Jag har anmält mig men inte fått någon bekräftelse. Har anmälan kommit fram?": asks after a sign-up
        return IntentGuess("question")
    if not signup and _ASKS_BEFORE_SIGNING.search(body, low):
        # "Vi är intresserade men har ett par frågor innan vi anmäler oss": the sign-up waits for the answers
        return IntentGuess("question")
    hedged, hedged_registration = (False, False) if signup or weak else _hedged_participation(body, low)
    if hedged and not (cancel or update):
        # "Vi funderar på att anmäla oss men undrar ...": not a sign-up, whatever the subject says
        if question:
            return IntentGuess("question")
        return IntentGuess("question", True, "Avsändaren överväger en anmälan men har inte anmält sig")
    weak_in_text = weak
    # "Anmälan" in the subject of a mail about a sign-up made before ("Jag anmälde mig för två veckor sedan men
    # har inte fått någon bekräftelse") names that sign-up, not a new one
    weak = weak or (bool(_SUBJECT_SIGNUP.search(subject)) and not _SIGNED_UP_BEFORE.search(body))
    if signup and not ("avanmäl" in low and re.search(r"\bavanmäl", body, re.I)):
        if (
            cancel
            and not _WRITER_STAYS_AWAY.search(body)
            and not _partial_attendance(body, low)
            and not _others_only_informed(body, low)
        ):
            return IntentGuess("signup", True, "Meddelandet innehåller både anmälan och avanmälan")
        return IntentGuess("signup")
    if (cancel or update) and hedged_registration:
        # "Vi funderar på att anmäla oss men kan inte komma på träff 2": there may be nothing to cancel
        reason = "Meddelandet innehåller en villkorad eller tänkt anmälan"
        return IntentGuess("cancel" if cancel else "update", True, reason)
    if cancel and weak_in_text and _WRITER_STAYS_AWAY.search(body) and not _SUBJECT_CANCEL.search(subject):
        # "Följande kollegor ska delta … Själv kan jag inte vara med": the others are signed up
        return IntentGuess("signup")
    if cancel and weak_in_text and update:
        # "Jag behöver byta en träff: kan inte den 23 oktober men vill vara med den 3 december i stället"
        return IntentGuess("update")
    if cancel and weak_in_text and _partial_attendance(body, low):
        # "Följande kommer: … Hanna kan inte komma den 4 februari": which meetings she comes to
        return IntentGuess("signup")
    if cancel and weak_in_text and not _WRITER_STAYS_AWAY.search(body):
        # "Vi vill vara med: jag och Per. Per kan inte komma på träff 2": who comes when, or a cancellation
        return IntentGuess("signup", True, "Meddelandet innehåller både anmälan och avanmälan")
    if cancel and update and _changes_meetings(body, low):
        return IntentGuess("update")
    if cancel:
        return IntentGuess("cancel")
    if CANCEL_WEAK.search(body, low) and not (weak_in_text or update):
        return IntentGuess("cancel")
    if update:
        return IntentGuess("update")
    if weak and not (question and not _mentions_anmal(body, low, subject) and not _gives_details(body)):
        return IntentGuess("signup")
    if question:
        return IntentGuess("question")
    if weak:
        return IntentGuess("signup", True, "Osäkert om meddelandet är en anmälan")
    return IntentGuess("other", True, "Kunde inte avgöra vad avsändaren vill")


# In a reply to our confirmation the writer is registered already: "also", "as well", "lägga till" adds to
# that registration; a colleague or an address in the text would be someone new, signed up
ADDS_TO_OWN = Cue(
    r"\b(?:också|även|dessutom|lägg(?:a|er|s)?\s+(?:\w+\s+){0,2}?till|as\s+well|too|also|add)\b",
    "också|även|dessutom|lägg|well|too|also|add",
)
_REPLACES = Cue(
    r"\b(?:stryk\w*|i\s?stället|ändra\w*|rätta\w*|rättelse|byt\w*|inte\s+längre|gått\s+över"
    r"|instead|no\s+longer|changed?)\b",
    "stryk|ställe|ändra|rätta|rättelse|byt|längre|longer|gått|instead|change",
)
_SOMEONE_NEW = re.compile(
    r"@|\b(?:kollega\w*|medarbetare|colleagues?|efterträdare|ta\s+med|tar\s+med|bring|anmäla?\s+(?!mig|oss)\w+)\b",
    re.I,
)


def answering_confirmation(guess: IntentGuess, body: str, states_change: bool, titled: bool) -> IntentGuess:
    """The intent of a reply to our own confirmation, which answers a registration that exists.

    Food needs or meetings stated in it change that registration (an update); it is flagged only when the
    writer also asks something. "I would like to join December as well" adds to the writer's own
    registration rather than signing them up again, unless the text names someone by a title ("my manager
    would like to join as well"): ``titled``.
    """
    low = body.lower()
    asks = bool(QUESTION.search(body, low))
    if guess.intent in {"other", "question"} and states_change:
        # "Ser fram emot träffen i september" names a meeting without changing anything: only words that
        # add or replace ("också", "stryk … i stället", "numera") make it a change read without review
        # food needs given where the confirmation lacked them are a change too (a meeting may be only looked
        # forward to, a food need is not)
        food_only = bool(diet_in(body)) and not _A_MEETING_WORD.search(body)
        if asks or not (ADDS_TO_OWN.search(body, low) or _REPLACES.search(body, low) or food_only):
            return IntentGuess("update", True, "Svar på bekräftelse tolkat som ändring")
        return IntentGuess("update")
    if (
        guess.intent == "signup"
        and ADDS_TO_OWN.search(body, low)
        and not (titled or _SOMEONE_NEW.search(body))
    ):
        return IntentGuess("update")
    return guess
