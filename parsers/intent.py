"""What the sender wants, from the new text and the subject: signup, cancel, substitute, update, question."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.models import Intent
from parsers.text import Cue

SUBSTITUTE = Cue(
    r"\b(i ?stället för (mig|henne|honom|\w+)|i ?stället skickar|skickar vi i ?stället|ersätter (mig|henne|honom|\w+)"
    r"|ersättare|efterträdare|vikarie|tar över (min|hennes|hans) plats|går in i ?stället|kommer i ?stället"
    r"|i mitt ställe|byte av deltagare|byter ut|instead of (me|him|her)|in my place|replace[sd]? me|my successor"
    r"|will replace|take over my place)\b",
    "ställ|ersätt|efterträdare|vikarie|tar över|byte av deltagare|byter ut"
    "|instead of|in my place|replace|successor|take over",
)
CANCEL = Cue(
    r"(avanmäl\w*|återbud|\bkan (tyvärr )?(inte|ej) (komma|delta|närvara|vara med)|\bkommer (tyvärr )?(inte|ej)\b"
    r"|\bstryk(a|er)? (mig|henne|honom|dem|oss|\w+ från listan)|\bfått förhinder|\bhar förhinder|\bmåste ställa in"
    r"|\bcancel\w*|\bcan(no|')t (attend|come|make it)|\bwithdraw|\bunable to (attend|come))",
    "avanmäl|återbud|inte komma|inte delta|inte närvara|inte vara med|ej komma|ej delta|ej närvara"
    "|ej vara med|kommer inte|kommer ej|kommer tyvärr|stryk|förhinder|måste ställa in|cancel|cannot|can't"
    "|withdraw|unable to",
)
UPDATE = Cue(
    r"\b(ändra|ändring|uppdatera|glömde (att )?(skriva|nämna|säga)|ny (e-?post|mejl|mail)adress|byt(a|er)? (e-?post|adress)"
    r"|lägg(a)? till att|komplettera|rätta|change my|update my|forgot to (mention|say|write))",
    "ändr|uppdatera|glömde|adress|byt|till att|komplettera|rätta|change my|update my|forgot to",
)
SIGNUP_STRONG = Cue(
    r"(?<!av)(?<!\w)(anmäl(er|a|s)?|anmält)\s+(mig|mej|oss|sig|följande|\w+\s+(av\s+)?(mina|våra)|två|tre|fyra|[A-ZÅÄÖ]\w+ [A-ZÅÄÖ])"
    r"|\bhärmed anmäl|\bvill (gärna )?anmäla\b|\b(register|sign up|attend|join)\b.*\b(project|meeting|learning|series)"
    r"|\bwould like to (register|attend|join|sign up)",
    "anmäl|register|sign up|attend|join",
)
SIGNUP_WEAK = Cue(
    r"\bvill (gärna |jag gärna |också )?(delta|vara med|komma|deltaga)\b|\bvill jag (gärna )?(delta|vara med)"
    r"|\bkommer jag själv\b|\bvi blir (två|tre|fyra|\d)\b|\bdeltar gärna\b|\bskulle gärna (vilja )?(delta|vara med)"
    r"|\bgärna (delta|vara med)\b|\bräkna med (mig|oss)\b|\bvi kommer (två|tre|fyra|\d)\b",
    "delta|vara med|komma|kommer jag själv|vi blir|räkna med|vi kommer",
)
QUESTION = Cue(
    r"\?|\b(undrar|undra|fråga|frågor|hur gör|vet ni|kan ni berätta|wonder)\b",
    "?|undra|fråg|hur gör|vet ni|kan ni berätta|wonder",
)
_SUBJECT_SIGNUP = re.compile(
    r"^(?!.*\b(sv|re|vb|fw|fwd|aw)\s*:.*bekräft)(.*\b(anmälan|registration|anmäler)\b)", re.I
)
_SUBJECT_CANCEL = re.compile(r"\b(avanmälan|återbud|cancel)", re.I)


def _mentions_anmal(body: str, low: str, subject: str) -> bool:
    text = body + " " + subject
    return ("anmäl" in low or "anmäl" in subject.lower()) and bool(re.search(r"\banmäl", text, re.I))


@dataclass
class IntentGuess:
    intent: Intent
    uncertain: bool = False
    reason: str | None = None


def classify(body: str, subject: str) -> IntentGuess:
    """The intent of a human-written message; the caller has already set aside auto-replies and bounces."""
    low = body.lower()
    subst = bool(SUBSTITUTE.search(body, low))
    cancel = bool(CANCEL.search(body, low)) or bool(_SUBJECT_CANCEL.search(subject))
    update = bool(UPDATE.search(body, low))
    signup = bool(SIGNUP_STRONG.search(body, low))
    weak = bool(SIGNUP_WEAK.search(body, low)) or bool(_SUBJECT_SIGNUP.search(subject))
    question = bool(QUESTION.search(body, low))
    if subst:
        return IntentGuess("substitute")
    if signup and not ("avanmäl" in low and re.search(r"\bavanmäl", body, re.I)):
        if cancel and not re.search(r"\b(inte|ej)\s+(möjlighet|kan)\b[^.]*\bsjälv", body, re.I):
            return IntentGuess("signup", True, "Meddelandet innehåller både anmälan och avanmälan")
        return IntentGuess("signup")
    if cancel:
        return IntentGuess("cancel")
    if update:
        return IntentGuess("update")
    if weak and not (question and not _mentions_anmal(body, low, subject)):
        return IntentGuess("signup")
    if question:
        return IntentGuess("question")
    if weak:
        return IntentGuess("signup", True, "Osäkert om meddelandet är en anmälan")
    return IntentGuess("other", True, "Kunde inte avgöra vad avsändaren vill")
