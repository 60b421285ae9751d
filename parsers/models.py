"""The parser's output: one ParsedMessage per raw message, shaped by corpus/SCHEMA.md."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Intent = Literal["signup", "cancel", "substitute", "update", "question", "auto_reply", "bounce", "other"]
OrgKind = Literal["municipality", "region", "county_board", "agency", "company", "other"]
Role = Literal["manager", "officer", "politician"]
Diet = Literal[
    "vegetarian", "vegan", "gluten", "lactose", "nuts", "fish", "shellfish", "egg", "pork", "other"
]
Language = Literal["sv", "en"]


class MeetingDate(BaseModel):
    """What the parser needs to know of one meeting to resolve "träff 2", "23 okt", "höstens träffar"."""

    number: int
    date: dt.date
    place: str | None = None  # "Falu-träffarna" names the meetings whose place is Falun


class Organisation(BaseModel):
    kind: OrgKind
    code: str | None = None
    name: str


class Person(BaseModel):
    name: str | None = None
    email: str | None = None
    role: Role | None = None
    meetings: list[int] | None = None
    diet: list[Diet] | None = None
    # "även/också/dessutom": the diet named adds to what is registered; only a correction replaces it.
    diet_adds: bool = False
    replaces: str | None = None


class AuthResult(BaseModel):
    """One Authentication-Results header: who wrote it, what it says, which receiving hosts handled the
    message before it was written (the Received headers below it)."""

    authserv_id: str | None  # None: Exchange Online's form, which names no authserv-id
    verdict: bool | None  # DMARC of the From domain: True pass, False fail, None not said
    received_below: list[str] = Field(default_factory=list)


class ParsedMessage(BaseModel):
    """Everything the rules need from one message; `record()` is the SCHEMA.md view of it."""

    # SCHEMA.md fields
    intent: Intent = "other"
    organisation: Organisation | None = None
    people: list[Person] = Field(default_factory=list)
    bounced: list[str] = Field(default_factory=list)
    # Message-IDs of the copy a delivery report returned: the worker finds our outbox row by them
    returned_message_ids: list[str] = Field(default_factory=list)
    # confidence
    needs_review: bool = False
    review_reasons: list[str] = Field(default_factory=list)
    # envelope, for the rules (authority, threading, answering)
    sender: str | None = None  # From address, lower-case
    sender_name: str | None = None
    reply_to: str | None = None
    # What our receiving server's Authentication-Results say of the From domain (DMARC): True pass,
    # False fail, None when it did not say. Set by the service from `auth_results` and its configured
    # authserv-id (parsers.authresults.trusted_verdict); the parser alone cannot know which server is ours.
    sender_verified: bool | None = None
    # Who owns the From address's domain (gazetteer): a capped seat claimed from outside it waits for an
    # organiser, so anyone can write "Mora kommun" but only Mora's own domains take Mora's seats at once.
    sender_organisation: Organisation | None = None
    auth_results: list[AuthResult] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)  # To, Cc, Resent-To, Resent-Cc, lower-case
    subject: str = ""
    message_id: str | None = None  # without angle brackets
    in_reply_to: list[str] = Field(default_factory=list)  # Message-IDs from In-Reply-To and References
    language: Language = "sv"
    new_text: str = ""  # what is new in the message (quotes, signature stripped), for organisers to read
    attachments: list[str] = Field(default_factory=list)

    def flag(self, reason: str) -> None:
        """Ask a human to look, saying why; reasons are Swedish, for organisers."""
        self.needs_review = True
        if reason not in self.review_reasons:
            self.review_reasons.append(reason)

    def record(self) -> dict:
        """The JSON shape of `anmalan parse --json` (SCHEMA.md plus the review fields)."""
        return self.model_dump(
            include={
                "intent",
                "organisation",
                "people",
                "bounced",
                "returned_message_ids",
                "needs_review",
                "review_reasons",
            },
            exclude={"people": {"__all__": {"diet_adds"}}},
        )
