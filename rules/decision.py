"""What a decision asks the world to do: registrations to write, mails to send, things for organisers."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from parsers.models import Language
from rules.audit import AuditRule
from rules.model import Registration

ReviewKind = Literal[
    "late",
    "unclear",
    "question",
    "unauthorised",
    "bounce",
    "info_timeout",
    "parse_failure",
    "claim",  # a capped seat asked for from outside the organisation's domains (issue 8, item 7)
    "bulk",  # too many people in one message, or too many new addresses from one sender today (item 8)
    "answer_limit",  # automatic answers held back by the per-thread or hourly limit (item 10)
    "poison",  # failed twice, set aside so it blocks nothing (issue 8, item 2)
    "ref_guessing",  # references tried that are not ours, past the daily limit (issue 8, item 4)
    "unrouted",  # in a folder several events share, and which of them it is about cannot be told
]


class OutgoingMail(BaseModel):
    """A mail to render from templates/<language>/<template>.{txt,html}.j2 and send through the outbox."""

    template: str
    to: str
    language: Language = "sv"
    registration_ref: str | None = None
    context: dict[str, Any] = Field(default_factory=dict)  # JSON-serialisable
    calendar_meetings: list[int] = Field(default_factory=list)  # one .ics attachment each
    auto_submitted: Literal["auto-replied", "auto-generated"] = "auto-replied"
    in_reply_to: str | None = None  # Message-ID (without <>) this answers
    thread: str | None = None  # the thread of the message it answers (rules.model.Conversation)
    # Idempotency key for scheduled mails ("reminder:K7M2QX:2"): the outbox never holds two rows with one key,
    # so a job that runs twice sends once.
    key: str | None = None


class ReviewItem(BaseModel):
    """Something an organiser has to look at; shown in the digest with the message's lines quoted."""

    kind: ReviewKind
    registration_ref: str | None = None
    summary: str  # Swedish, one line
    quote: str = ""
    sender: str | None = None  # who wrote the message, so an organiser's answer (SVARA nr) can reach them
    language: Language = "sv"


class AuditEntry(BaseModel):
    rule: AuditRule  # the named check that fired, e.g. "cap", "deadline", "authority"
    registration_ref: str | None = None
    detail: str = ""


class Decision(BaseModel):
    registrations: list[Registration] = Field(default_factory=list)  # new or changed, full state
    mails: list[OutgoingMail] = Field(default_factory=list)
    reviews: list[ReviewItem] = Field(default_factory=list)
    audit: list[AuditEntry] = Field(default_factory=list)
    failing_addresses: list[str] = Field(default_factory=list)
