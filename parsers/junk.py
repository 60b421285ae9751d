"""Mail that wants nothing of the event: spam, phishing, lists for sale, thank-you notes and tips → `other`."""

from __future__ import annotations

import re

from parsers.text import Cue

# Each pattern is a kind of mail, not one message's wording: selling contact lists, phishing for a
# login ("din brevlåda är full"), bulk-mail opt-out lines, and tips about some other event.
_FOR_SALE = Cue(
    r"\b(?:attendee|attendees|participant|delegate|contact|email|mailing)s?\s+(?:data\s+)?list\b"
    r"|\bno\.?\s+of\s+(?:contacts|records)\b|\bverified\s+(?:email|contacts?)\b|\binterested\s+in\s+acquiring\b"
    r"|\b(?:deltagar|kontakt|adress)list\w*\s+(?:till\s+salu|att\s+köpa)\b|\bköpa\s+(?:en\s+)?(?:deltagar|kontakt)list",
    "list|contacts|records|verified|acquiring",
)
_PHISHING = Cue(
    r"\b(?:brevlåda|inkorg|postlåda)\w*\s+(?:är\s+)?(?:full|nästan\s+full|överfull)\b|\bmailbox\s+(?:is\s+)?(?:almost\s+)?full\b"
    r"|\b(?:verifiera|bekräfta|uppgradera)\s+(?:ditt|din)\s+(?:e-?post\w*|konto|lösenord)\b|\bverify\s+your\s+(?:account|mailbox)\b"
    r"|\blösenord\w*\s+(?:går\s+ut|upphör)\b|\bpassword\s+(?:will\s+)?expires?\b|\b(?:lagrings)?kvot\w*\s+(?:är\s+)?(?:överskriden|nådd)",
    "full|verifiera|bekräfta|uppgradera|verify|lösenord|password|kvot",
)
_OPT_OUT = Cue(
    r"\bif\s+you\s+(?:do\s+not|don'?t)\s+wish\s+to\s+receive\b|\breply\s+with\s+[\"“]?\w+(?:\s+\w+)?[\"”]?\s+in\s+the\s+subject"
    r"|\bom\s+du\s+inte\s+(?:vill|önskar)\s+(?:få|ta\s+emot)\s+fler"
    r"|\b(?:vill|önskar)\s+du\s+inte\s+(?:längre\s+)?(?:få|ta\s+emot)\s+(?:våra|vårt|fler|detta|nyhets)\w*"
    r"|\bavsluta\s+(?:din\s+)?prenumeration\w*|\bavprenumerera\b|\bunsubscribe\b",
    "receive|subject|fler|vill|önskar|prenumeration|avprenumerera|unsubscribe",
)
_TIP = Cue(
    r"^\s*tips\b|\btipsar\b|\btill\s+kännedom\b|\bfyi\b|\bskicka\s+vidare\s+till\s+deltagarna\b",
    "tips|kännedom|fyi|vidare",
    re.I | re.M,
)


# A supplier's confirmation of the organiser's own booking (a venue, a caterer): it thanks for "er bokning"
# or calls itself a booking or order confirmation, and carries the booking's reference number. Its food
# counts and terms ("avbokning … debiteras") are the organiser's business, not anyone's registration.
_BOOKING = Cue(
    r"\b(?:boknings|order|beställnings)bekräftelse\w*|\bbekräftelse\s+(?:på|av)\s+(?:er|din|eran)\s+(?:bokning|beställning)"
    r"|\btack\s+för\s+(?:er|eran|din)\s+(?:bokning|beställning|order)\b"
    r"|\b(?:booking|order|reservation)\s+confirmation\b|\bthank\s+you\s+for\s+your\s+(?:booking|order|reservation)\b",
    "bekräftelse|tack|confirmation|thank",
)
_BOOKING_REF = Cue(
    r"(?:^|[.!]\s+)\s*(?:boknings|order|beställnings|reservations)(?:nummer|nr|referens|id)\b\.?\s*:?\s*[\w-]*\d"
    r"|(?:^|[.!]\s+)\s*(?:booking|order|reservation|confirmation)\s+(?:number|no\.?|ref\w*|id)\s*:?\s*[\w-]*\d",
    "nummer|nr|referens|id|number|no|ref",
    re.I | re.M,
)


# A participant who signs up and mentions a booking of their own is no supplier
_OWN_SIGNUP = Cue(
    r"\b(?:anmäler|anmäla|avanmäler|avanmäla|registrera)\s+(?:jag\s+)?(?:mig|oss)\b|\bjag\s+(?:kommer|deltar)\b"
    r"|\b(?:I|we)\s+(?:will|would\s+like\s+to|want\s+to)\s+(?:attend|register|join|cancel)\b",
    "anmäl|registrera|jag|will|would|want",
)


def kind(body: str) -> str | None:
    """Which kind of unrelated mail the new text is, or None when it may concern the event."""
    low = body.lower()
    if _FOR_SALE.search(body, low) or _OPT_OUT.search(body, low):
        return "spam"
    if _PHISHING.search(body, low):
        return "phishing"
    if _TIP.search(body, low):
        return "tip"
    if _BOOKING_REF.search(body, low) and _BOOKING.search(body, low) and not _OWN_SIGNUP.search(body, low):
        return "supplier"
    return None


_THANKS = Cue(
    r"\b(?:stort\s+)?tack\s+för\s+(?:en|ett|den|det|gårdagens|dagens)?\s*(?:\w+\s+){0,2}"
    r"(?:träff|dag|möte|eftermiddag|förmiddag|seminarium|workshop|program|upplägg)\w*"
    r"|^\s*thank\s+you\s+for\s+(?:a|the)\s+(?:\w+\s+){0,2}(?:meeting|day|session|workshop)",
    "tack|thank",
    re.I | re.M,
)


def thanks(body: str) -> bool:
    """Is the new text a thank-you note (it thanks for a meeting and has not been read as wanting anything)?"""
    return bool(_THANKS.search(body))
