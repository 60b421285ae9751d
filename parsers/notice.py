"""A mail server's own words in a delivery report: the addresses it names and whether it gave up or waits.

Servers without RFC 3464 fields (qmail, Exim, Courier, DragonFly, OpenSMTPD, Yahoo, Office 365 text
notices) name the failed recipient in the text, on a line of its own ("<a@b>:", "  a@b") or in a
sentence ("delivery to a@b failed"). Lines that name the sender, the reporting host or a message's
id are not about recipients and are skipped.
"""

from __future__ import annotations

import re

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
    r"^\s*([-*]+\s*)?((original |final |failed |invalid |unknown )?(recipient|address|user|mailbox)( address)?\s*(\(s\))?:\s*"
    r"|delivery (to )?(failed|failure):\s*"
    r"|\(expanded from:?\s*)?"
    r"[<\"'(\[]*\s*$",
    re.I,
)
_LISTED_AFTER = re.compile(r"^[>\"')\]]*\s*(:|\.\.\.|;|$|\s\(|\s+[<(]?[2-5]\d\d\b|\s+on\s+\d)")
_CONTACT = re.compile(r"\b(contact|assistance|helpdesk|help desk|write to|support)\b", re.I)
_DELAY = re.compile(
    r"\b(delivery (has been |is )?delayed|has been delayed|not yet been delivered|still (undelivered|trying)"
    r"|will (continue|keep) (trying|to try|attempting)|will be retried|will retry|retry (until|for)"
    r"|temporar(y|ily) (failure|problem|unavailable|error)|warning: message .* (delayed|still)"
    r"|delivery (status notification|notification) \(delay\)|this is (only )?a warning|no action is required"
    r"|message is delayed|still queued|deferred)",
    re.I,
)
_FAILURE = re.compile(
    r"\b(permanent(ly)?|fatal|given up|giving up|gave up|could not be delivered|couldn'?t be delivered"
    r"|undeliverable|delivery (to .{1,80} )?(has )?failed|failed permanently|unknown (user|recipient|address)"
    r"|user unknown|no such (user|mailbox|recipient)|does not exist|doesn'?t exist|rejected|not (been )?delivered"
    r"|unable to deliver|cannot be delivered|mailbox (unavailable|full|not found)|invalid (recipient|address|mailbox)"
    r"|expired|too long in (the )?queue|5\.\d{1,3}\.\d{1,3}|\b5\d\d\b)",
    re.I,
)


def addresses_in(notice: str) -> tuple[list[str], list[str]]:
    """Candidate recipients in the notice, in order: those a line lists, and all it mentions.

    A listed address starts its line ("<a@b>:", "  a@b", "Recipient address: a@b"), the way servers
    report failures; a mentioned one may be an example in the server's help text. The caller checks each.
    """
    listed: list[str] = []
    mentioned: list[str] = []
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
        for match in _ADDRESS.finditer(line):
            before = line[max(0, match.start() - 20) : match.start()].lower()
            if before.endswith("/") or re.search(r"(?<!expanded )\b(from|sender)\W*$", before):
                continue  # a URL, or the sender a server refused mail from
            # X.400-style "dda:SMTP=a@b" and "rfc822=a@b" carry the address after the last "="
            address = match.group(0).rsplit("=", 1)[-1].strip(".-")
            if address.lower() in contacts:
                continue
            mentioned.append(address)
            if _LISTED_BEFORE.match(line[: match.start()]) and _LISTED_AFTER.match(line[match.end() :]):
                listed.append(address)
    return listed, mentioned


def reads_as_delay(notice: str) -> bool:
    """The server says it is still trying."""
    return bool(_DELAY.search(notice[:5000]))


def reads_as_failure(notice: str) -> bool:
    """The server says it gave up."""
    return bool(_FAILURE.search(notice[:5000]))
