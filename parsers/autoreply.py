"""Automatic answers (RFC 3834 headers, out-of-office subjects and wording) and bulk mail."""

from __future__ import annotations

import re

from parsers.mime import Decoded
from parsers.text import Cue, first_char_checked

_SUBJECT = re.compile(
    r"^\s*\[?\s*(automatiskt svar|autosvar|frånvaro|frånvarande|out of (the )?office|automatic reply|auto(matic)?[- ]?reply"
    r"|autoreply|abwesenheit|fravær|poissa|automaattinen vastaus|automatisk svar|automatische antwort"
    r"|automatyczna odpowied|réponse automatique|respuesta automática|risposta automatica|automatisch antwoord"
    r"|auto:)",  # Lotus Notes: "AUTO: Name is out of the office (returning ...)"
    re.I,
)
# Out-of-office wording at the top of a body, in the languages of our senders' neighbours; only read
# together with a return date or a hint, because a person may well write "jag är ledig" in a sign-up.
_AWAY = re.compile(
    r"\b(jag är (på semester|ledig|föräldraledig|tjänstledig|bortrest|på tjänsteresa|frånvarande|sjukskriven)"
    r"|i am (currently )?(out of (the )?office|on (annual |parental )?leave|away|on vacation|on holiday)"
    r"|i('m| am) out of the office|ich bin (bis|vom|ab|derzeit|zurzeit|momentan|nicht)|ich bin .{0,40}(abwesend|nicht im büro|im urlaub)"
    r"|jeg er (på ferie|på kurs|ikke på kontoret|fraværende|bortreist|syk(e)?meldt|i (foreldre)?permisjon|ude af huset)"
    r"|olen (lomalla|poissa|matkoilla|vuosilomalla|sairaslomalla))",
    re.I,
)
_AWAY = first_char_checked(_AWAY)  # speed only: same matches
_BACK = re.compile(
    r"\b(tillbaka|åter (den|på|i)|back (on|in|at)|return(ing)? (on|to)|zurück|wieder (im büro|erreichbar|da)"
    r"|tilbake|tilbage|takaisin|palaan|until|till och med|t\.o\.m\.|bis (zum|einschließlich)|frem til|indtil|asti"
    # "ledig 10 juni - 30 juni och har begränsad tillgång till e-post"
    r"|begränsad tillgång|limited access|\d{1,2}\s+\w+\s*[-–]\s*\d{1,2}\s+\w+)\b",
    re.I,
)
_TEXT = re.compile(
    r"\b(jag är (på semester|ledig|föräldraledig|tjänstledig|bortrest|på tjänsteresa|frånvarande|sjukskriven)"
    r"|(läser|har) inte (min|tillgång till) (e-?post|mejl|mail)|ditt (mejl|mail|meddelande) läses"
    r"|är tillbaka (den|på|igen)|återkommer (när|efter) jag|i am (out of the office|on (annual )?leave|away)"
    r"|will (be back|return) on|limited access to (my )?e-?mail)",
    re.I,
)


# A person who writes that they are away and asks for a change in the same words ("Jag är tjänstledig från
# 1 november så min kollega X tar mina platser på träff 3 och 4") wrote by hand: no out-of-office names the
# meetings or hands its places on
_ASKS = re.compile(
    r"\b(?:träff|träffar|träffarna|träffen)\s+\d|\b(?:min|mina|mitt)\s+plats(?:er)?\b|\bi\s+mitt\s+ställe\b"
    r"|\b(?:avboka|avanmäla|anmäla)\s+(?:mig|oss|henne|honom)\b|\btake\s+my\s+place\b",
    re.I,
)


# A receipt a registry or helpdesk sends by itself, often without any RFC 3834 header: it calls itself a
# receipt ("Detta är ett automatiskt mottagningsbevis", "automatic acknowledgement") ...
_RECEIPT = Cue(
    r"\bautomati(?:skt|sk|c|cally generated)\s+(?:\w+\s+)?(?:mottagningsbevis|mottagningskvitto|kvittens"
    r"|receipt|acknowledge?ment)",
    "automati",
)
# ... or says it is automatic and that the mail came in (phishing says only the first); that the mail came
# in counts alone when it answers ours from an address that takes no answers
_AUTOMATIC = Cue(
    r"\b(?:detta|det här) är (?:ett|en) automati(?:skt|sk)\b|\bthis is an? automat(?:ed|ic)",
    "detta är|det här är|this is a",
)
_RECEIVED = Cue(
    r"\b(?:ditt|er|your) (?:e-?post|mejl|mail|e-?postmeddelande|meddelande|message|e-?mail) (?:har|has) (?:tagits emot"
    r"|kommit in|registrerats|been received)",
    "tagits emot|kommit in|registrerats|been received",
)


def is_receipt(decoded: Decoded, new_text: str) -> bool:
    """An automatic acknowledgement (a municipal registry's "mottagningsbevis") without any header saying so."""
    top = new_text[:1500]
    if _RECEIPT.search(top):
        return True
    if not _RECEIVED.search(top) or "?" in top:
        return False
    noreply = "noreply" in decoded.header("Return-Path").lower().replace("-", "")
    return bool(_AUTOMATIC.search(top)) or (noreply and bool(decoded.in_reply_to))


def is_bulk(decoded: Decoded) -> bool:
    """Newsletters and list mail: never answered, never a registration."""
    precedence = decoded.header("Precedence").lower()
    return (
        precedence in {"bulk", "list", "junk"}
        or bool(decoded.header("List-Unsubscribe"))
        or bool(decoded.header("List-Id"))
    )


def header_says_auto(decoded: Decoded) -> bool:
    """RFC 3834 Auto-Submitted and the common vendor headers that mark an automatic answer."""
    auto = decoded.header("Auto-Submitted").lower()
    if auto and auto != "no":
        return True
    if decoded.header("X-Autoreply") or decoded.header("X-Autorespond") or decoded.header("X-Autoresponder"):
        return True
    # Exchange marks the answers of its inbox rules (the out-of-office assistant among them)
    if decoded.header("X-MS-Exchange-Inbox-Rules-Loop"):
        return True
    return decoded.header("Precedence").lower() == "auto_reply"


def is_auto_reply(decoded: Decoded, new_text: str) -> bool:
    """An out-of-office or other automatic answer, by header, subject, or wording plus a hint."""
    if header_says_auto(decoded):
        return True
    if _SUBJECT.match(decoded.subject):
        return True
    # a null envelope sender (Return-Path: <>) is for mail that must not be answered: what is not a
    # bounce (read before this) is an automatic answer
    if decoded.header("Return-Path").replace(" ", "") == "<>":
        return True
    # X-Auto-Response-Suppress alone is set by Outlook on ordinary mail too; with the wording it tells.
    hinted = bool(decoded.header("X-Auto-Response-Suppress")) or decoded.subject.lower().startswith(
        ("sv:", "re:")
    )
    if hinted and _TEXT.search(new_text[:1500]) and not _ASKS.search(new_text[:1500]):
        return True
    if is_receipt(decoded, new_text):
        return True
    top = new_text[:400]
    away = _AWAY.search(top)
    if away is None or _ASKS.search(new_text[:1500]):
        return False
    return hinted or bool(_BACK.search(new_text[away.start() : away.start() + 300]))


# Challenge-response systems ask the sender to prove they are a person before the mail is delivered.
_CHALLENGE_HEADERS = (
    "X-Boxtrapper",
    "X-TMDA-Confirm",
    "X-Spamarrest-Noauth",
    "X-Challenge",
    "X-Bluebottle-Request",
)
_CHALLENGE_TEXT = Cue(
    r"\b(verify (that )?you are (a )?(human|real person)|confirm (that )?you are (a )?(human|real person)"
    r"|spam ?arrest|boxtrapper|tmda|challenge[- ]response|to be delivered,? (please )?(click|reply)"
    r"|bekräfta att du är en (människa|person)|add yourself to my|guest list|approved senders? list)",
    "you are|arrest|boxtrapper|tmda|response|to be delivered|bekräfta att du är en|add yourself to my"
    "|guest list|approved sender",
)


def is_challenge(decoded: Decoded) -> bool:
    """A challenge to prove we are a person: answering it would confirm a loop, so it is never answered."""
    if any(decoded.header(name) for name in _CHALLENGE_HEADERS):
        return True
    return bool(_CHALLENGE_TEXT.search(f"{decoded.subject}\n{decoded.text[:1500]}"))
