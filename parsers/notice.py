"""A mail server's own words in a delivery report: the addresses it names and whether it gave up or waits.

Servers without RFC 3464 fields (qmail, Exim, Courier, DragonFly, OpenSMTPD, Yahoo, Office 365 text
notices) name the failed recipient in the text, on a line of its own ("<a@b>:", "  a@b") or in a
sentence ("delivery to a@b failed"). Lines that name the sender, the reporting host or a message's
id are not about recipients and are skipped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9])?")
# Lines about the sender, the server or a message, not a recipient.
_NOT_RECIPIENT = re.compile(
    r"^\s*(from|sender|return-path|reply-to|reporting-mta|received-from-mta|remote-mta|x-postfix-sender"
    r"|received|message-id|references|in-reply-to|dkim-signature|arrival-date|x-original-message-id"
    r"|envelope-from|by|id)\b|message[- ]?id|\bmsgid\b|envelope-from|\(envelope-from|\bsender\b|\bfrom <"
    # the address a recipient was rewritten from
    r"|\b(generated from|forwarded from)\b",
    re.I,
)
# What may stand before a listed address on its line (indentation, a bracket, a recipient label), and
# after it (nothing, a colon, sendmail's "...", a reason in brackets).
_LISTED_BEFORE = re.compile(
    r"^\s*([-*]+\s*)?(([a-z]+ ){0,2}(recipient|address|user|mailbox)( address)?\s*(\(s\))?:\s*"
    r"|delivery (to )?(failed|failure):\s*"
    r"|\(expanded from:?\s*)?"
    r"[<\"'(\[]*\s*$",
    re.I,
)
_LISTED_AFTER = re.compile(r"^[>\"')\]]*\s*(:|\.\.\.|;|$|\s\(|\s+[<(]?[2-5]\d\d\b|\s+on\s+\d|\s+\[)")
_DISPLAY_FORM = re.compile(rf"^(\s*){_ADDRESS.pattern}\s+<")
_CONTACT = re.compile(
    r"\b(contact|assistance|helpdesk|help desk|write to|support|send (e-?mail|mail|a message) to)\b", re.I
)
# A report that says this is a warning is one, whatever failure words it quotes.
_ONLY_A_WARNING = re.compile(
    r"\b(warning message only|only a warning|do not need to re-?send|will be retried|will retry"
    r"|will (continue|keep) (trying|to try|attempting)|is only a temporary)",
    re.I,
)
# A reason that passes: the server will try again or the mail may be sent again as it is.
_PASSING = re.compile(
    r"\b(timed? ?out|temporar|try again|deferred|greylist|4\.\d{1,3}\.\d{1,3})|^\W*4\d\d\b", re.I
)
_DELAY = re.compile(
    r"\b(delivery (has been |is )?delayed|has been delayed|not yet been delivered|still (undelivered|trying)"
    r"|will (continue|keep) (trying|to try|attempting)|will be retried|will retry|retry (until|for)"
    r"|temporar(y|ily) (failure|problem|unavailable|error)|warning: message .* (delayed|still)"
    r"|delivery (status notification|notification) \(delay\)|this is (only )?a warning|no action is required"
    r"|message is delayed|still queued|deferred|har fördröjts|är försenat|försöker (igen|leverera))",
    re.I,
)
_FAILURE = re.compile(
    r"\b(permanent(ly)?|fatal|given up|giving up|gave up|could not be delivered|couldn'?t be delivered"
    r"|undeliverable|delivery (to .{1,80} )?(has )?failed|failed permanently|unknown (user|recipient|address)"
    r"|user unknown|no such (user|mailbox|recipient)|not a valid (user|recipient|address|mailbox)|does not exist|doesn'?t exist|rejected|not (been )?delivered"
    r"|unable to deliver|cannot be delivered|(error|trouble|problems?) delivering|delivery (problems|errors)"
    r"|kunde inte levereras|gick inte att leverera|okänd mottagare|adressen finns inte|permanent fel"
    r"|permanent errors?|mailbox (unavailable|full|not found)|invalid (recipient|address|mailbox)"
    r"|expired|too long in (the )?queue|5\.\d{1,3}\.\d{1,3}|\b5\d\d\b)",
    re.I,
)


class Found(NamedTuple):
    """Candidate recipients in the notice, in order; the caller checks each.

    A listed address starts its line ("<a@b>:", "  a@b", "Recipient address: a@b"), the way servers
    report failures; a mentioned one may be an example in the server's help text; a waiting one is
    listed with a reason that passes ("Connection timed out", a 4xx reply).
    """

    listed: list[str]
    mentioned: list[str]
    waiting: list[str]


def addresses_in(notice: str) -> Found:
    """The addresses a notice lists and mentions."""
    found = Found([], [], [])
    # an address given as whom to contact is that everywhere, also where the notice repeats it in
    # another language
    contacts = {
        m.group(0).lower()
        for line in notice.split("\n")
        if _CONTACT.search(line)
        for m in _ADDRESS.finditer(line)
    }
    for line in notice.split("\n"):
        if _NOT_RECIPIENT.search(line) or _CONTACT.search(line):
            continue
        # "a@b <c@d>: reason": the address in brackets is the recipient, the first is its display form
        line = _DISPLAY_FORM.sub(r"\1<", line)
        for match in _ADDRESS.finditer(line):
            before = line[max(0, match.start() - 20) : match.start()].lower()
            if before.endswith("/") or re.search(r"(?<!expanded )\b(from|sender)\W*$", before):
                continue  # a URL, or the sender a server refused mail from
            # X.400-style "dda:SMTP=a@b" and "rfc822=a@b" carry the address after the last "="
            address = match.group(0).rsplit("=", 1)[-1].strip(".-")
            if address.lower() in contacts:
                continue
            found.mentioned.append(address)
            if _LISTED_BEFORE.match(line[: match.start()]) and _LISTED_AFTER.match(line[match.end() :]):
                found.listed.append(address)
                if _PASSING.search(line[match.end() :]):
                    found.waiting.append(address)
    return found


def reads_as_delay(notice: str) -> bool:
    """The server says it is still trying, and not that it gave up (or says it is only a warning)."""
    text = " ".join(notice[:5000].split())
    return bool(_ONLY_A_WARNING.search(text)) or (bool(_DELAY.search(text)) and not _FAILURE.search(text))


def reads_as_failure(notice: str) -> bool:
    """The server says it gave up."""
    return bool(_FAILURE.search(" ".join(notice[:5000].split())))
