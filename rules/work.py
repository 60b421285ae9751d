"""The scratch pad of one decision: working copies of registrations and what the rules have said so far."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parsers.models import Language, ParsedMessage
from rules import answer_limits
from rules.audit import AuditRule
from rules.decision import AuditEntry, Decision, OutgoingMail, ReviewItem, ReviewKind
from rules.event import Event
from rules.group import summarise
from rules.loopguard import guard
from rules.mailctx import summary
from rules.model import Registration, State
from rules.refs import fresh_ref


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
    regs: dict[str, Registration] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    mails: list[OutgoingMail] = field(default_factory=list)
    reviews: list[ReviewItem] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    failing: list[str] = field(default_factory=list)
    # Refs announced to their own people that the sender's one summary lists (rules.group).
    group: list[str] = field(default_factory=list)
    _made: int = 0

    def __post_init__(self) -> None:
        # Deep copies: the caller's State must stay exactly as it was (decide is pure).
        self.regs = {r.ref: r.clone() for r in self.state.registrations}

    # registrations
    def live(self) -> list[Registration]:
        """Registrations in arrival order (state order, then those made by this decision)."""
        return list(self.regs.values())

    def put(self, reg: Registration) -> Registration:
        self.regs[reg.ref] = reg
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
            mail.context["registration"] = summary(self.event, self.live(), reg) if reg else None
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
