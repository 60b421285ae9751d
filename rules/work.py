"""The scratch pad of one decision: working copies of registrations and what the rules have said so far."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parsers.models import Language, ParsedMessage
from rules import answer_limits
from rules.audit import AuditRule
from rules.capacity import capped_key
from rules.decision import AuditEntry, Decision, OutgoingMail, ReviewItem, ReviewKind
from rules.event import Event
from rules.group import summarise
from rules.loopguard import guard
from rules.mailctx import summary
from rules.model import Registration, State
from rules.refs import fresh_ref


class Registrations(dict[str, Registration]):
    """A decision's registrations by ref: the state's own objects, each copied the first time a rule takes
    it by ref, so a rule may change what it takes and the state stays as it was (decide is pure).

    Copying on access rather than up front keeps a decision's cost to what it touches: a sign-up reads
    hundreds of registrations (who holds a seat) and changes one or two. `view()` reads without taking.
    """

    __slots__ = ("_own",)

    def __init__(self, regs: Iterable[Registration]) -> None:
        super().__init__((r.ref, r) for r in regs)
        self._own: set[str] = set()

    def __getitem__(self, ref: str) -> Registration:
        reg = super().__getitem__(ref)
        if ref not in self._own:
            reg = reg.clone()
            super().__setitem__(ref, reg)
            self._own.add(ref)
        return reg

    def get(self, ref: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[ref] if ref in self else default  # noqa: SIM401 (self.get is this method)

    def __setitem__(self, ref: str, reg: Registration) -> None:
        super().__setitem__(ref, reg)
        self._own.add(ref)

    def view(self) -> list[Registration]:
        """The current registrations in order, not to be changed: take one by ref to change it."""
        return list(super().values())


@dataclass
class Work:
    """Rules edit copies here; only finish() turns them into a Decision, so a rule never half-applies."""

    event: Event
    state: State
    now: datetime
    received_at: datetime
    message_key: str
    parsed: ParsedMessage | None = None
    # The ref whose registered address confirmed this (earlier) request by replying: authority enough.
    confirmed: str | None = None
    auto_submitted: str = "auto-replied"
    regs: Registrations = field(default_factory=lambda: Registrations(()))
    changed: list[str] = field(default_factory=list)
    mails: list[OutgoingMail] = field(default_factory=list)
    reviews: list[ReviewItem] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    failing: list[str] = field(default_factory=list)
    # Refs announced to their own people that the sender's one summary lists (rules.group).
    group: list[str] = field(default_factory=list)
    _made: int = 0
    # The registrations that count against each cap (rules.capacity.capped_key), by ref: built when first
    # asked, kept up to date by put(). Counting seats is then a look at a few people, not at the event.
    _capped: dict[str, dict[str, None]] | None = None
    _cap_of: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.regs = Registrations(self.state.registrations)

    # registrations
    def live(self) -> list[Registration]:
        """Registrations in arrival order (state order, then those made by this decision), each the
        decision's own copy: a rule may change any of them (and put() it)."""
        return [self.regs[ref] for ref in self.regs]

    def view(self) -> list[Registration]:
        """The same registrations, to read only: nothing is copied. Take one with own() to change it."""
        return self.regs.view()

    def own(self, reg: Registration) -> Registration:
        """The decision's own copy of reg, to change."""
        return self.regs[reg.ref]

    def capped(self, key: str) -> list[Registration]:
        """The registrations (to read only) that count against the cap `key`, in arrival order."""
        if self._capped is None:
            self._capped, cap_of = {}, self._cap_of
            for reg in self.regs.view():
                cap = cap_of[reg.ref] = capped_key(self.event, reg)
                if cap is not None:
                    self._capped.setdefault(cap, {})[reg.ref] = None
        current = dict.__getitem__
        return [current(self.regs, ref) for ref in self._capped.get(key, ())]

    def _index(self, reg: Registration) -> None:
        assert self._capped is not None
        key = capped_key(self.event, reg)
        old = self._cap_of.get(reg.ref)
        if old == key and reg.ref in self._cap_of:
            return
        if old is not None:
            self._capped[old].pop(reg.ref, None)
        self._cap_of[reg.ref] = key
        if key is not None:
            self._capped.setdefault(key, {})[reg.ref] = None

    def put(self, reg: Registration) -> Registration:
        self.regs[reg.ref] = reg
        if self._capped is not None:
            self._index(reg)  # its organisation may have changed, or it is new
        if reg.ref not in self.changed:
            self.changed.append(reg.ref)
        return reg

    def touch(self, reg: Registration) -> None:
        self.put(reg)

    def new_ref(self) -> str:
        ref = fresh_ref(self.message_key, self._made, self.regs.keys())
        self._made += 1
        return ref

    # what the decision says
    def note(self, rule: AuditRule, ref: str | None = None, detail: str = "") -> None:
        self.audit.append(AuditEntry(rule=rule, registration_ref=ref, detail=detail))

    def review(self, kind: ReviewKind, summary_line: str, *, ref: str | None = None) -> None:
        parsed = self.parsed
        self.reviews.append(
            ReviewItem(
                kind=kind,
                registration_ref=ref,
                summary=summary_line,
                quote=parsed.new_text if parsed else "",
                sender=parsed.sender if parsed else None,
                language=parsed.language if parsed else "sv",
            )
        )

    def mail(
        self,
        template: str,
        to: str | None,
        *,
        ref: str | None,
        context: dict[str, Any] | None = None,
        calendar: Iterable[int] = (),
        language: Language | None = None,
        key: str | None = None,
    ) -> None:
        """Queue a mail; its `registration` summary is filled in at finish(), from the decision's end state."""
        if not to:
            self.note("no_address", ref, f"{template}: nobody to send it to")
            return
        if template == "question_ack" and self.state.conversation.replies_to_ack:
            # An answer to our own receipt is an autoresponder's, or a loop's: the organiser still sees it.
            self.note("loop_guard", ref, f"inget kvitto till {to}: svar på vårt eget kvitto")
            return
        parsed = self.parsed
        to = to.lower()
        answering = parsed is not None and parsed.sender == to
        reg = self.regs.get(ref) if ref else None
        lang: Language = (
            language or (parsed.language if answering and parsed else None) or (reg.language if reg else "sv")
        )
        self.mails.append(
            OutgoingMail(
                template=template,
                to=to,
                language=lang,
                registration_ref=ref,
                context=dict(context or {}),
                calendar_meetings=sorted(calendar),
                auto_submitted="auto-generated"
                if self.auto_submitted == "auto-generated"
                else "auto-replied",
                in_reply_to=parsed.message_id if answering and parsed else None,
                thread=self.state.conversation.thread if parsed else None,
                key=key,
            )
        )

    def finish(self) -> Decision:
        summarise(self)
        for mail in self.mails:
            reg = self.regs.get(mail.registration_ref or "")
            mail.context.setdefault("ref", mail.registration_ref)
            mail.context["registration"] = summary(self.event, self.view(), reg) if reg else None
            mail.context.setdefault("for_self", bool(reg and reg.email and reg.email == mail.to))
        limit = self.auto_submitted == "auto-replied"
        mails = guard(self.event, self.state, self.mails, self.audit, limit=limit)
        if limit and self.parsed is not None:
            mails = answer_limits.apply(self, mails)
        return Decision(
            registrations=[self.regs[ref] for ref in self.changed],
            mails=mails,
            reviews=self.reviews,
            audit=self.audit,
            failing_addresses=self.failing,
        )
