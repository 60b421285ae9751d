"""The event an organiser describes in config/events/*.yaml, validated."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from parsers.models import MeetingDate, OrgKind

LatePolicy = Literal["review", "reject", "accept"]


class Meeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: int = Field(ge=1)
    date: dt.date
    start: dt.time | None = None  # None: "meddelas senare"
    end: dt.time | None = None
    fika: dt.time | None = None
    place: str | None = None  # None: "meddelas senare"
    theme: str = ""

    @model_validator(mode="after")
    def _end_after_start(self) -> Meeting:
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"träff {self.number}: end {self.end} is not after start {self.start}")
        return self


class Digest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time: dt.time = dt.time(7, 0)
    recipients: list[EmailStr] = Field(default_factory=list)  # empty: the organisers
    send_when_empty: bool = False


class Limits(BaseModel):
    """Bounds on what one sender can make the service do (issue 8): beyond them a person decides.

    Set by the operator (ANMALAN_MAX_* settings) rather than per event: they protect the mailbox's
    reputation and the people it would write to, whatever the event.
    """

    model_config = ConfigDict(extra="forbid")

    people_per_message: int = Field(default=10, ge=1)
    new_addresses_per_sender_per_day: int = Field(default=20, ge=0)
    answers_per_thread: int = Field(default=8, ge=1)
    answers_per_hour: int = Field(default=300, ge=1)


class Event(BaseModel):
    """One event: its meetings, mailbox, organisers and the rules' knobs."""

    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    # What people call it in a subject ("Dalalab 2024"): with `name`, how a message in a folder that
    # several events share is told to be about this one.
    short_name: str | None = None
    host: str  # who invites, as participants read it
    mailbox: EmailStr
    # Where its registrations arrive, when not ANMALAN_IMAP_FOLDER of ANMALAN_IMAP_USER: a folder of its
    # own, or a mailbox of its own (its login, and the variable that holds its password).
    imap_folder: str | None = None
    imap_user: str | None = None
    imap_password_env: str | None = Field(default=None, pattern=r"^[A-Z_][A-Z0-9_]*$")
    organisers: list[EmailStr] = Field(min_length=1)
    timezone: str = "Europe/Stockholm"
    deadline: datetime  # local wall time in `timezone` unless an offset is given
    late_policy: LatePolicy = "review"
    cap_per_municipality: int = Field(default=3, ge=1)
    capped_kinds: list[OrgKind] = Field(default_factory=lambda: list[OrgKind](["municipality"]))
    daily_answer_limit: int = Field(default=10, ge=1)
    limits: Limits = Field(default_factory=Limits)
    reminder_days_before: int = Field(default=7, ge=0)
    info_reminder_days: int = Field(default=3, ge=1)
    retention_days: int = Field(default=365, ge=1)
    digest: Digest = Field(default_factory=Digest)
    # The host county's länskod ("20" for Dalarna): the digest lists its municipalities that signed up nobody.
    home_county: str | None = Field(default=None, pattern=r"^\d{2}$")
    meetings: list[Meeting] = Field(min_length=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except Exception as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("mailbox", "organisers", mode="after")
    @classmethod
    def _lower(cls, value):
        return [v.lower() for v in value] if isinstance(value, list) else value.lower()

    @model_validator(mode="after")
    def _meetings_numbered(self) -> Event:
        numbers = [m.number for m in self.meetings]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"meetings must be numbered 1, 2, 3 … in order; got {numbers}")
        return self

    def names(self) -> list[str]:
        """The names a message may call it by."""
        return [n for n in (self.name, self.short_name) if n and n.strip()]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def deadline_at(self) -> datetime:
        """The deadline as an aware instant."""
        return self.deadline if self.deadline.tzinfo else self.deadline.replace(tzinfo=self.tz)

    @property
    def meeting_numbers(self) -> list[int]:
        return [m.number for m in self.meetings]

    def meeting(self, number: int) -> Meeting:
        return self.meetings[number - 1]

    def meeting_dates(self) -> tuple[MeetingDate, ...]:
        """What the parser needs to resolve meeting references."""
        return tuple(MeetingDate(number=m.number, date=m.date, place=m.place) for m in self.meetings)

    def meeting_start(self, number: int) -> datetime:
        """When a meeting begins (its fika, or 09:00 when times are not yet known), as an aware instant."""
        m = self.meeting(number)
        at = m.fika or m.start or dt.time(9, 0)
        return datetime.combine(m.date, at, tzinfo=self.tz)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def local_day(self, instant: datetime) -> dt.date:
        return self.local(instant).date()

    def reminder_due(self, number: int) -> datetime:
        return self.meeting_start(number) - timedelta(days=self.reminder_days_before)

    def is_capped(self, kind: str | None) -> bool:
        return kind in self.capped_kinds
