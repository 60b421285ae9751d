"""Registrations as the rules see them: plain values, no database."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from parsers.models import Diet, Language, Organisation, Role

RegistrationStatus = Literal["active", "pending_approval", "pending_info", "cancelled", "rejected"]
SeatStatus = Literal["confirmed", "waitlisted", "cancelled"]


class Seat(BaseModel):
    """One registration's place at one meeting. `since` orders the waitlist: first come, first served.

    Frozen: a rule that changes a seat puts a new one, so working copies of registrations can share them.
    """

    model_config = ConfigDict(frozen=True)

    status: SeatStatus
    since: datetime


class Registration(BaseModel):
    ref: str  # short reference carried in every mail's subject, e.g. "K7M2QX"
    name: str | None = None
    email: str | None = None
    organisation: Organisation | None = None
    role: Role | None = None
    diet: list[Diet] | None = None
    status: RegistrationStatus = "active"
    registered_by: str | None = None  # the address that signed this person up
    language: Language = "sv"
    created_at: datetime  # arrival of the message that registered them
    seats: dict[int, Seat] = Field(default_factory=dict)
    replaces: str | None = None  # ref of the person this one stands in for
    source_message_id: str | None = None
    # Meetings asked for but not yet given seats: a registration waiting for information (pending_info) or
    # for an organiser (pending_approval) holds no seat, so it cannot crowd out anyone meanwhile.
    requested: list[int] = Field(default_factory=list)
    # What the information request asked ("organisation", "name", "meetings", "confirm"), so a reply completes it.
    pending_question: str | None = None

    @property
    def contact(self) -> str | None:
        """Where mail about this registration goes: the person, else whoever registered them."""
        return self.email or self.registered_by

    def clone(self) -> Registration:
        """A working copy whose containers may be changed freely; ~50× cheaper than a generic deep copy,
        which matters because every decision copies the event's registrations. Seats are frozen, so the
        copy's own dict holds the same ones."""
        return self.model_copy(
            update={
                "seats": dict(self.seats),
                "diet": list(self.diet) if self.diet is not None else None,
                "requested": list(self.requested),
            }
        )

    def seat_status(self, meeting: int) -> SeatStatus | None:
        seat = self.seats.get(meeting)
        return seat.status if seat else None

    def attending(self) -> list[int]:
        """Meetings where this person holds a confirmed seat, in order."""
        if self.status != "active":
            return []
        return sorted(n for n, s in self.seats.items() if s.status == "confirmed")


class Conversation(BaseModel):
    """What our outbox says about the message being decided: its thread and our recent answers (loop limits).

    An autoresponder that answers from a fresh address each time, without Auto-Submitted, passes every
    per-address guard; the thread it keeps replying in, and the hour, are what it cannot change.
    """

    thread: str | None = None  # the thread's key: of our mail it replies to, else its own Message-ID
    answers_in_thread: int = 0  # messages in that thread we have already answered automatically
    answers_last_hour: int = 0  # automatic answers we have sent in the last hour, to anyone
    replies_to_ack: bool = False  # it answers one of our acknowledgements (question_ack)


class State(BaseModel):
    """What decide() may know besides the message: the event's registrations and our own mail history."""

    registrations: list[Registration] = Field(default_factory=list)
    # Message-IDs of mails we sent (without <>), mapped to the registration ref they were about.
    sent_message_ids: dict[str, str | None] = Field(default_factory=dict)
    # The same Message-IDs mapped to the address each mail went to: a thread is theirs, not a stranger's.
    sent_to: dict[str, str] = Field(default_factory=dict)
    # How many mails each address has had from us today (for the loop guard).
    answers_today: dict[str, int] = Field(default_factory=dict)
    # How many unknown references each address has written today (rules.authority.GUESSES_PER_DAY).
    ref_misses_today: dict[str, int] = Field(default_factory=dict)
    conversation: Conversation = Field(default_factory=Conversation)

    def by_ref(self, ref: str) -> Registration | None:
        return next((r for r in self.registrations if r.ref == ref), None)
