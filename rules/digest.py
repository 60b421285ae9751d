"""The organisers' daily digest as data: counts, municipalities, changes, what needs them, catering. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from pydantic import BaseModel, Field

from parsers.models import Diet, Language, Organisation, OrgKind
from rules.audit import ChangeKind
from rules.decision import OutgoingMail, ReviewKind
from rules.event import Event
from rules.model import Registration

# The caterer must know who has an allergy (to label a plate); preferences are only counted.
# "other" is free text we did not understand, so the organiser needs the names to ask.
ALLERGIES: tuple[Diet, ...] = ("gluten", "nuts", "fish", "shellfish", "egg", "lactose", "other")
PREFERENCES: tuple[Diet, ...] = ("vegetarian", "vegan", "pork")
PENDING = ("pending_approval", "pending_info")
QUOTE_LINES = 12  # a digest quotes enough to decide; the whole message is in the mailbox
QUOTE_WIDTH = 300


# ---- what the caller (store) hands in -------------------------------------------------------------


class ChangeRecord(BaseModel):
    """Something that happened to a registration, from the audit log."""

    at: datetime
    kind: ChangeKind
    ref: str
    summary: str = ""  # Swedish, one line


class OpenReview(BaseModel):
    """A review item not yet resolved; `number` is stable (SVARA nr refers to it) and unique per event."""

    number: int
    kind: ReviewKind
    ref: str | None = None
    summary: str
    quote: str = ""
    created_at: datetime
    sender: str | None = None  # who wrote, so SVARA can answer them
    language: Language = "sv"
    message_id: str | None = None  # of the message that raised it, so an answer threads under it


class FailingAddress(BaseModel):
    email: str
    reason: str = ""
    at: datetime


# ---- what the templates read ---------------------------------------------------------------------


class MeetingSummary(BaseModel):
    number: int
    date: date
    place: str | None
    registered: int  # confirmed seats of active registrations
    waitlisted: int
    pending: int  # pending_approval / pending_info registrations asking for this meeting


class OrgCell(BaseModel):
    confirmed: int
    waitlisted: int
    text: str  # "2/3" for capped organisations, "2" otherwise


class OrganisationRow(BaseModel):
    name: str
    code: str | None
    kind: OrgKind
    capped: bool
    cells: list[OrgCell]  # one per meeting, in meeting order
    full: bool  # at the cap at some meeting


class Municipality(BaseModel):
    code: str
    name: str


class DietCount(BaseModel):
    diet: Diet
    count: int
    names: list[str] = Field(default_factory=list)  # "Anna Berg (Falu kommun)"; empty for preferences


class Catering(BaseModel):
    number: int
    date: date
    headcount: int
    diets: list[DietCount]  # allergies first, then preferences; only diets someone has


class ChangeLine(BaseModel):
    when: str  # local time, "2024-08-26 14:05"
    kind: ChangeKind
    ref: str
    name: str
    organisation: str
    summary: str


class NeedItem(BaseModel):
    number: int
    kind: ReviewKind
    ref: str | None
    name: str
    organisation: str
    summary: str
    quote_lines: list[str]
    sender: str | None
    when: str
    is_new: bool


class PendingLine(BaseModel):
    ref: str
    name: str
    organisation: str
    status: str
    meetings: list[int]
    when: str


class FailingLine(BaseModel):
    email: str
    reason: str
    when: str
    refs: list[str]  # registrations that use the address


class DigestView(BaseModel):
    """Everything one digest shows; language-neutral (the templates word it)."""

    event_slug: str
    event_name: str
    generated: str  # local time
    since: str | None
    cap: int
    meetings: list[MeetingSummary]
    people_active: int
    people_pending: int
    organisations: list[OrganisationRow]  # capped kinds (municipalities), "x/3"
    other_organisations: list[OrganisationRow]  # regions, county boards, agencies: counts only
    municipalities_without: list[Municipality]  # of the host county, nobody signed up
    changes: list[ChangeLine]
    needs: list[NeedItem]  # numbered by OpenReview.number
    pending: list[PendingLine]  # waiting for a decision and not already among needs
    failing: list[FailingLine]
    catering: list[Catering]
    is_empty: bool  # nothing new since `since`: the caller skips the mail unless send_when_empty
    has_open_items: bool


# ---- building it ---------------------------------------------------------------------------------

# Swedish alphabetical order puts å, ä, ö after z; Python's default would put them after everything.
_SV_ORDER = str.maketrans({"å": "z{", "ä": "z|", "ö": "z}", "é": "e", "ü": "y"})


def sv_key(text: str) -> str:
    return text.casefold().translate(_SV_ORDER)


def _org_key(org: Organisation) -> tuple[str, str]:
    return (org.kind, org.code or org.name.casefold())


def _org_name(reg: Registration) -> str:
    return reg.organisation.name if reg.organisation else ""


def _person(reg: Registration) -> str:
    return reg.name or reg.email or reg.ref


def _labelled(reg: Registration) -> str:
    org = _org_name(reg)
    return f"{_person(reg)} ({org})" if org else _person(reg)


def wanted_meetings(reg: Registration) -> list[int]:
    """Meetings a registration holds or asks for (pending ones hold no seats, only `requested`)."""
    held = {n for n, s in reg.seats.items() if s.status != "cancelled"}
    return sorted(held | set(reg.requested))


def _local(event: Event, instant: datetime) -> str:
    return f"{event.local(instant):%Y-%m-%d %H:%M}"


def _is_new(instant: datetime, since: datetime | None) -> bool:
    return since is None or instant > since


def _quote_lines(quote: str) -> list[str]:
    lines = [line.rstrip() for line in quote.strip().splitlines()]
    lines = [line if len(line) <= QUOTE_WIDTH else line[: QUOTE_WIDTH - 1] + "…" for line in lines]
    return lines[:QUOTE_LINES] + (["…"] if len(lines) > QUOTE_LINES else [])


def _meeting_summaries(event: Event, registrations: Sequence[Registration]) -> list[MeetingSummary]:
    out = []
    for meeting in event.meetings:
        n = meeting.number
        active = [r for r in registrations if r.status == "active"]
        out.append(
            MeetingSummary(
                number=n,
                date=meeting.date,
                place=meeting.place,
                registered=sum(r.seat_status(n) == "confirmed" for r in active),
                waitlisted=sum(r.seat_status(n) == "waitlisted" for r in active),
                pending=sum(r.status in PENDING and n in wanted_meetings(r) for r in registrations),
            )
        )
    return out


def organisation_rows(event: Event, registrations: Sequence[Registration]) -> list[OrganisationRow]:
    """One row per organisation with someone active or pending, capped kinds first, then by name."""
    groups: dict[tuple[str, str], list[Registration]] = {}
    orgs: dict[tuple[str, str], Organisation] = {}
    for reg in registrations:
        if reg.organisation is None or reg.status not in ("active", *PENDING):
            continue
        key = _org_key(reg.organisation)
        groups.setdefault(key, []).append(reg)
        orgs.setdefault(key, reg.organisation)
    rows = []
    for key, regs in groups.items():
        org = orgs[key]
        capped = event.is_capped(org.kind)
        cells = []
        for n in event.meeting_numbers:
            active = [r for r in regs if r.status == "active"]
            confirmed = sum(r.seat_status(n) == "confirmed" for r in active)
            waitlisted = sum(r.seat_status(n) == "waitlisted" for r in active)
            text = f"{confirmed}/{event.cap_per_municipality}" if capped else str(confirmed)
            cells.append(OrgCell(confirmed=confirmed, waitlisted=waitlisted, text=text))
        full = capped and any(c.confirmed >= event.cap_per_municipality for c in cells)
        rows.append(
            OrganisationRow(
                name=org.name, code=org.code, kind=org.kind, capped=capped, cells=cells, full=full
            )
        )
    return sorted(rows, key=lambda r: (not r.capped, sv_key(r.name)))


def county_municipalities(county: str) -> list[Municipality]:
    """The municipalities of one county (länskod "20"), from the parser's gazetteer."""
    from parsers.gazetteer import all_entries  # the gazetteer loads package data: only when asked

    return [
        Municipality(code=e.code, name=e.name)
        for e in all_entries()
        if e.kind == "municipality" and e.code and e.code.startswith(county)
    ]


def _municipalities_without(
    registrations: Sequence[Registration], municipalities: Iterable[Municipality]
) -> list[Municipality]:
    # A municipality with a pending sign-up has answered the invitation: only those with nobody are listed.
    present = {
        r.organisation.code
        for r in registrations
        if r.organisation and r.organisation.code and r.status in ("active", *PENDING)
    }
    missing = [m for m in municipalities if m.code not in present]
    return sorted(missing, key=lambda m: sv_key(m.name))


def _catering(event: Event, registrations: Sequence[Registration]) -> list[Catering]:
    out = []
    for meeting in event.meetings:
        eating = sorted(
            (
                r
                for r in registrations
                if r.status == "active" and r.seat_status(meeting.number) == "confirmed"
            ),
            key=lambda r: sv_key(_person(r)),
        )
        diets = []
        for diet in (*ALLERGIES, *PREFERENCES):
            having = [r for r in eating if r.diet and diet in r.diet]
            if having:
                names = [_labelled(r) for r in having] if diet in ALLERGIES else []
                diets.append(DietCount(diet=diet, count=len(having), names=names))
        out.append(Catering(number=meeting.number, date=meeting.date, headcount=len(eating), diets=diets))
    return out


def build_digest(
    event: Event,
    registrations: list[Registration],
    changes: list[ChangeRecord],
    reviews: list[OpenReview],
    failing: list[FailingAddress],
    *,
    now: datetime,
    since: datetime | None,
    municipalities: Sequence[Municipality] | None = None,
) -> DigestView:
    """The digest for `now`, reporting what changed after `since` (None: the first digest, everything).

    `municipalities` are the host county's; None looks them up in the gazetteer by `event.home_county`.
    """
    if municipalities is None:
        municipalities = county_municipalities(event.home_county) if event.home_county else []
    by_ref = {r.ref: r for r in registrations}

    def who(ref: str | None) -> tuple[str, str]:
        reg = by_ref.get(ref or "")
        return (_person(reg), _org_name(reg)) if reg else ("", "")

    new_changes = sorted((c for c in changes if _is_new(c.at, since)), key=lambda c: c.at)
    change_lines = [
        ChangeLine(
            when=_local(event, c.at),
            kind=c.kind,
            ref=c.ref,
            name=who(c.ref)[0],
            organisation=who(c.ref)[1],
            summary=c.summary,
        )
        for c in new_changes
    ]
    needs = [
        NeedItem(
            number=r.number,
            kind=r.kind,
            ref=r.ref,
            name=who(r.ref)[0],
            organisation=who(r.ref)[1],
            summary=r.summary,
            quote_lines=_quote_lines(r.quote),
            sender=r.sender,
            when=_local(event, r.created_at),
            is_new=_is_new(r.created_at, since),
        )
        for r in sorted(reviews, key=lambda r: r.number)
    ]
    in_needs = {r.ref for r in reviews if r.ref}
    pending = [
        PendingLine(
            ref=r.ref,
            name=_person(r),
            organisation=_org_name(r),
            status=r.status,
            meetings=wanted_meetings(r),
            when=_local(event, r.created_at),
        )
        for r in sorted(registrations, key=lambda r: r.created_at)
        if r.status == "pending_approval" and r.ref not in in_needs
    ]
    failing_lines = [
        FailingLine(
            email=f.email,
            reason=f.reason,
            when=_local(event, f.at),
            refs=[
                r.ref for r in registrations if f.email.lower() in {(r.email or "").lower(), r.registered_by}
            ],
        )
        for f in sorted(failing, key=lambda f: f.at)
    ]
    rows = organisation_rows(event, registrations)
    anything_new = (
        bool(new_changes)
        or any(n.is_new for n in needs)
        or any(_is_new(f.at, since) for f in failing)
        or any(_is_new(r.created_at, since) for r in registrations if r.status in PENDING)
    )
    return DigestView(
        event_slug=event.slug,
        event_name=event.name,
        generated=_local(event, now),
        since=_local(event, since) if since else None,
        cap=event.cap_per_municipality,
        meetings=_meeting_summaries(event, registrations),
        people_active=sum(r.status == "active" for r in registrations),
        people_pending=sum(r.status in PENDING for r in registrations),
        organisations=[r for r in rows if r.capped],
        other_organisations=[r for r in rows if not r.capped],
        municipalities_without=_municipalities_without(registrations, municipalities),
        changes=change_lines,
        needs=needs,
        pending=pending,
        failing=failing_lines,
        catering=_catering(event, registrations),
        is_empty=not anything_new,
        has_open_items=bool(needs or pending or failing_lines),
    )


def digest_mails(
    event: Event, view: DigestView, *, token: str | Callable[[str], str], attachments: Sequence[str] = ()
) -> list[OutgoingMail]:
    """One digest mail per recipient (the digest's recipients, else the organisers).

    `token` (rules.token.digest_token, or a function of the recipient giving theirs) goes into the subject; `attachments` names the files the caller attaches
    (worker.export), so the mail can mention them. The key makes a second run on the same day send nothing.
    These mails go to organisers: they must not pass through the loop guard, which holds back mail to them.
    """
    recipients = [str(a).lower() for a in (event.digest.recipients or event.organisers)]
    context = {
        "view": view.model_dump(mode="json"),
        "event_slug": event.slug,
        "attachments": list(attachments),
    }
    day = view.generated[:10]
    return [
        OutgoingMail(
            template="digest",
            to=to,
            context={**context, "token": token(to) if callable(token) else token},
            auto_submitted="auto-generated",
            key=f"digest:{event.slug}:{day}:{to}",
        )
        for to in dict.fromkeys(recipients)
    ]
