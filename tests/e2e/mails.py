"""Realistic Swedish test mails, written the way municipal staff write them from Outlook and phones."""

from __future__ import annotations

import itertools
from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MAILBOX = "anmalan.dalalab@regiondalarna.se"
# The region's receiving server, as it names itself in Authentication-Results (ANMALAN_AUTHSERV_ID).
AUTHSERV_ID = "mx.regiondalarna.se"
_SEQUENCE = itertools.count(1)

_SWEDISH_DAYS = ("mån", "tis", "ons", "tors", "fre", "lör", "sön")
_SWEDISH_MONTHS = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")


def at(text: str) -> datetime:
    """A local Stockholm time from "2024-08-13 09:12", for Date headers and IMAP internaldates."""
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


def message_id(domain: str) -> str:
    """A fresh Message-ID in the sender's own domain, the way their mail server would make it."""
    return make_msgid(idstring=f"e2e{next(_SEQUENCE)}", domain=domain)


def mail(
    sender: str,
    subject: str,
    body: str,
    *,
    sent: datetime,
    to: str = MAILBOX,
    msgid: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    outlook: bool = True,
    headers: dict[str, str] | None = None,
    authenticated: bool = True,
) -> bytes:
    """One plain-text mail as bytes for IMAP APPEND.

    `sender` is 'Name <address>'; with `outlook` the display name is written "Efternamn Förnamn" and
    Outlook's thread headers are added, as Exchange does. Replies name the mail they answer in both
    In-Reply-To and References. `authenticated`: our receiving server found the From domain passing DMARC
    and said so on top; without it the From is a bare claim.
    """
    name, address = parseaddr(sender)
    domain = address.split("@", 1)[1]
    message = EmailMessage(policy=SMTP)
    if authenticated:
        message["Authentication-Results"] = (
            f"{AUTHSERV_ID}; spf=pass smtp.mailfrom={domain}; dkim=pass header.d={domain}; "
            f"dmarc=pass header.from={domain}"
        )
    if outlook and " " in name:
        first, last = name.split(" ", 1)
        name = f"{last} {first}"
    message["From"] = formataddr((name, address)) if name else address
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = msgid or message_id(domain)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = " ".join([*(references or []), in_reply_to])
    if outlook:
        message["Thread-Topic"] = subject.removeprefix("SV: ").removeprefix("Sv: ")
        message["Accept-Language"] = "sv-SE, en-US"
        message["Content-Language"] = "sv-SE"
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


def _outlook_date(when: datetime) -> str:
    local = when.astimezone(STOCKHOLM)
    return (
        f"den {_SWEDISH_DAYS[local.weekday()]}dag {local.day} {_SWEDISH_MONTHS[local.month - 1]}"
        f" {local.year} {local:%H:%M}"
    )


def reply(
    original,
    sender: str,
    body: str,
    *,
    sent: datetime,
    outlook: bool = True,
    headers: dict[str, str] | None = None,
    authenticated: bool = True,
) -> bytes:
    """A reply to a mail we received from the service (an aiosmtpd RecordedMessage's `.message`).

    Subject "SV: …", threaded by In-Reply-To/References, with the original quoted underneath the way
    Outlook does it ("Från: … Skickat: …"), so the reader must not act on the quoted text.
    """
    quoted_part = original.get_body(preferencelist=("plain",))
    quoted = quoted_part.get_content() if quoted_part else ""
    references = (original.get("References") or "").split()
    history = (
        f"\n\nFrån: {original['From']}\n"
        f"Skickat: {_outlook_date(sent)}\n"
        f"Till: {original['To']}\n"
        f"Ämne: {original['Subject']}\n\n{quoted}"
    )
    return mail(
        sender,
        f"SV: {original['Subject']}",
        body.rstrip("\n") + history,
        sent=sent,
        in_reply_to=original["Message-ID"],
        references=references,
        outlook=outlook,
        headers=headers,
        authenticated=authenticated,
    )


def out_of_office(sender: str, *, sent: datetime, in_reply_to: str | None = None) -> bytes:
    """An Outlook/Exchange "Frånvaro" answer: RFC 3834 Auto-Submitted and the Swedish subject."""
    name, address = parseaddr(sender)
    return mail(
        sender,
        "Automatiskt svar: Frånvaro",
        f"Hej!\n\nJag är på semester till och med 26 augusti och läser inte min e-post.\n"
        f"Vid brådskande ärenden, ring växeln 023-830 00.\n\nMed vänlig hälsning\n{name}\n",
        sent=sent,
        in_reply_to=in_reply_to,
        headers={
            "Auto-Submitted": "auto-replied",
            "X-Auto-Response-Suppress": "All",
            "X-MS-Exchange-Inbox-Rules-Loop": address,
        },
    )


def bounce(failed: str, *, reporting_mta: str, sent: datetime, original_subject: str) -> bytes:
    """A Postfix delivery status notification (RFC 3464 multipart/report) for a permanent failure."""
    subject = Header(original_subject, "utf-8").encode()
    boundary = f"{next(_SEQUENCE)}.1723538400/{reporting_mta}"
    return f"""\
From: Mail Delivery System <MAILER-DAEMON@{reporting_mta}>
To: {MAILBOX}
Subject: Undelivered Mail Returned to Sender
Date: {format_datetime(sent)}
Message-ID: {message_id(reporting_mta)}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="{boundary}"

This is a MIME-encapsulated message.

--{boundary}
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host {reporting_mta}.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{failed}>: host {reporting_mta}[10.0.0.1] said: 550 5.1.1 <{failed}>:
    Recipient address rejected: User unknown in virtual mailbox table

--{boundary}
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; {reporting_mta}
Arrival-Date: {format_datetime(sent)}

Final-Recipient: rfc822; {failed}
Original-Recipient: rfc822;{failed}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{failed}>: Recipient address rejected: User
    unknown in virtual mailbox table

--{boundary}
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: {MAILBOX}
To: {failed}
Subject: {subject}
Message-ID: {message_id("regiondalarna.se")}

--{boundary}--
""".replace("\n", "\r\n").encode("utf-8")
