"""Bounces of our own mail: the outbox row a report returns names its failed recipient for certain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from parsers import ParsedMessage
from store import outbox
from worker import verp


def attribute(session: Session, event: str, mailbox: str, parsed: ParsedMessage) -> None:
    """Where a bounce returns one of our mails (a quoted Message-ID, or our VERP address), its recipient
    replaces what the parser read from the report's text, which is a guess beside this."""
    if parsed.intent != "bounce":
        return
    ids = list(parsed.returned_message_ids)
    ids += [mid for mid in (verp.message_id_of(a, mailbox) for a in parsed.recipients) if mid]
    certain = outbox.recipients_of(session, event, ids)
    if certain:
        parsed.bounced = certain
