"""What our outbox says about one incoming message's thread and the last hour: rules.model.Conversation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parsers.models import ParsedMessage
from rules.model import Conversation
from store.registrations import DayCounts
from store.tables import OutboxRow

ACK = "question_ack"
# Mails to organisers answer commands, not participants: they are no loop and are not counted.
_TO_ORGANISERS = ("digest", "organiser_reply", "organiser_answer", "organiser_help")


def automatic(templates: Iterable[str]) -> int:
    """How many of these mails are automatic answers, as the hourly count counts them."""
    return sum(1 for template in templates if template not in _TO_ORGANISERS)


def conversation(
    session: Session, event: str, parsed: ParsedMessage, now: datetime, counts: DayCounts | None = None
) -> Conversation:
    """Three indexed reads: the thread of the mail of ours it replies to, our answers in that thread, and
    our answers in the last hour. Automatic answers are outbox rows made for an incoming message (and for
    a batch, `counts` carries the hour's count from its first message on, see DayCounts.last_hour)."""
    ours = (
        session.execute(
            select(OutboxRow.message_id, OutboxRow.thread, OutboxRow.template).where(
                OutboxRow.event == event, OutboxRow.message_id.in_(parsed.in_reply_to)
            )
        ).all()
        if parsed.in_reply_to
        else []
    )
    thread = next((t for _, t, _ in ours if t), None) or parsed.message_id
    answers = (
        select(func.count())
        .select_from(OutboxRow)
        .where(
            OutboxRow.event == event,
            OutboxRow.inbox_id.is_not(None),
            OutboxRow.template.not_in(_TO_ORGANISERS),
        )
    )
    # Per thread, the messages we answered (one sign-up answers with several mails); per hour, the mails.
    messages = answers.with_only_columns(func.count(func.distinct(OutboxRow.inbox_id)))
    in_thread = session.scalar(messages.where(OutboxRow.thread == thread)) if thread else 0
    last_hour = counts.last_hour if counts is not None else None
    if last_hour is None:
        last_hour = session.scalar(answers.where(OutboxRow.created_at >= now - timedelta(hours=1))) or 0
        if counts is not None:
            counts.last_hour = last_hour
    return Conversation(
        thread=thread,
        answers_in_thread=in_thread or 0,
        answers_last_hour=last_hour or 0,
        replies_to_ack=any(template == ACK for _, _, template in ours),
    )
