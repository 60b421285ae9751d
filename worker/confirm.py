"""Confirmations by reply, wired: the token put in each request we send, and a reply's token turned back
into the request that waits for it (rules.confirm says when one is asked for)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from parsers import parse
from parsers.authresults import trusted_verdict
from parsers.models import ParsedMessage
from rules.confirm import confirm_tag, confirmed_request
from rules.decision import Decision
from rules.refs import first_ref
from store.tables import InboxMessage
from worker.bootstrap import Service


def sign_requests(svc: Service, decision: Decision, inbox_id: int, now: datetime) -> None:
    """Put the token in every confirmation request of a decision: it names the waiting message (inbox_id)."""
    for mail in decision.mails:
        if mail.template == "change_confirmation" and mail.registration_ref:
            mail.context["confirm_tag"] = confirm_tag(
                svc.settings.secret(),
                svc.event.slug,
                inbox_id,
                mail.registration_ref,
                svc.event.local_day(now),
            )


def reading(svc: Service, raw: bytes) -> ParsedMessage:
    """A stored message parsed, with the verdict of our own receiving server's Authentication-Results."""
    parsed = parse(raw, svc.event.meeting_dates())
    parsed.sender_verified = trusted_verdict(parsed.auth_results, svc.settings.authserv_ids())
    return parsed


def waiting_request(
    svc: Service, session: Session, parsed: ParsedMessage, now: datetime
) -> tuple[ParsedMessage, str] | None:
    """(the request, its ref) when this message confirms one by a valid, unexpired token; else None."""
    ref = first_ref(parsed.subject)
    inbox_id = confirmed_request(
        svc.settings.secret(), svc.event.slug, parsed.subject, ref, today=svc.event.local_day(now)
    )
    if inbox_id is None or ref is None:
        return None
    original = session.get(InboxMessage, inbox_id)
    if original is None or not original.raw:
        return None  # forgotten since (retention): nothing left to carry out
    return reading(svc, original.raw), ref
