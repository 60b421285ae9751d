"""Random sign-ups, cancellations, substitutions and updates through decide(), with the seat invariants after each step."""

from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from rulekit import FALUN, LUDVIKA, REGION, Desk, load_event, msg, person

from rules.capacity import capped_key, confirmed_count, waitlist
from rules.decision import Decision

ORGS = {"ludvika.se": LUDVIKA, "falun.se": FALUN, "regiondalarna.se": REGION}
MEETINGS = st.one_of(st.none(), st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True))


class Seats(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # A cap of 2 reaches the waitlist in a few steps.
        self.desk = Desk(load_event(cap_per_municipality=2))
        self.made = 0

    # helpers
    def _active(self):
        return [r for r in self.desk.state.registrations if r.status == "active"]

    def _send(self, parsed) -> Decision:
        before = {r.ref: r.model_copy(deep=True) for r in self.desk.state.registrations}
        decision = self.desk.send(parsed)
        self._promotions_in_order(decision, before)
        return decision

    def _promotions_in_order(self, decision: Decision, before) -> None:
        """Whoever was promoted had waited at least as long as everyone still waiting there."""
        regs = self.desk.state.registrations
        for entry in decision.audit:
            if entry.rule != "promotion":
                continue
            promoted = self.desk.state.by_ref(entry.registration_ref)
            meeting = int(entry.detail.split(":")[0].removeprefix("träff "))
            since = promoted.seats[meeting].since
            key = capped_key(self.desk.event, promoted)
            for other in waitlist(self.desk.event, regs, key, meeting):
                assert other.seats[meeting].since >= since, (promoted.ref, other.ref, meeting)

    # steps
    @rule(domain=st.sampled_from(sorted(ORGS)), meetings=MEETINGS, count=st.integers(1, 2))
    def sign_up(self, domain, meetings, count):
        people = []
        for _ in range(count):
            self.made += 1
            people.append(person(f"Person {self.made}", f"p{self.made}@{domain}", meetings=meetings))
        self._send(msg(sender=people[0].email, org=ORGS[domain], people=people))

    @precondition(lambda self: self._active())
    @rule(data=st.data())
    def sign_up_again(self, data):
        reg = data.draw(st.sampled_from(self._active()))
        decision = self._send(
            msg(sender=reg.email, org=reg.organisation, people=[person(reg.name, reg.email)])
        )
        assert decision.registrations == []

    @precondition(lambda self: self._active())
    @rule(data=st.data(), meetings=MEETINGS)
    def cancel(self, data, meetings):
        reg = data.draw(st.sampled_from(self._active()))
        self._send(
            msg(
                "cancel",
                sender=reg.email,
                org=reg.organisation,
                people=[person(reg.name, reg.email, meetings=meetings)],
            )
        )

    @precondition(lambda self: self._active())
    @rule(data=st.data(), meetings=MEETINGS, colleague=st.booleans())
    def substitute(self, data, meetings, colleague):
        reg = data.draw(st.sampled_from(self._active()))
        same_org = [r for r in self._active() if r.organisation == reg.organisation and r.ref != reg.ref]
        if colleague and same_org:
            other = data.draw(st.sampled_from(same_org))
            newcomer = person(other.name, other.email, meetings=meetings, replaces=reg.email)
        else:
            self.made += 1
            domain = reg.email.split("@")[1]
            newcomer = person(
                f"Person {self.made}", f"p{self.made}@{domain}", meetings=meetings, replaces=reg.email
            )
        self._send(msg("substitute", sender=reg.email, org=reg.organisation, people=[newcomer]))

    @precondition(lambda self: self._active())
    @rule(data=st.data(), meetings=st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True))
    def change_meetings(self, data, meetings):
        reg = data.draw(st.sampled_from(self._active()))
        self._send(
            msg(
                "update",
                sender=reg.email,
                org=reg.organisation,
                people=[person(reg.name, reg.email, meetings=meetings)],
            )
        )

    @precondition(lambda self: self._active())
    @rule(data=st.data())
    def forged_cancel(self, data):
        reg = data.draw(st.sampled_from(self._active()))
        decision = self._send(
            msg(
                "cancel",
                sender=reg.email,
                reply_to="x@example.com",
                org=None,
                people=[person(reg.name, reg.email)],
            )
        )
        assert decision.registrations == []

    # invariants
    @invariant()
    def no_municipality_over_its_cap(self):
        event, regs = self.desk.event, self.desk.state.registrations
        for key in {capped_key(event, r) for r in regs} - {None}:
            for meeting in event.meeting_numbers:
                assert confirmed_count(event, regs, key, meeting) <= event.cap_per_municipality

    @invariant()
    def waitlist_only_when_full(self):
        # A free seat with someone waiting would mean a promotion was missed.
        event, regs = self.desk.event, self.desk.state.registrations
        for key in {capped_key(event, r) for r in regs} - {None}:
            for meeting in event.meeting_numbers:
                if waitlist(event, regs, key, meeting):
                    assert confirmed_count(event, regs, key, meeting) == event.cap_per_municipality

    @invariant()
    def nobody_both_confirmed_and_waitlisted(self):
        by_person: dict[str, dict[int, set[str]]] = {}
        for reg in self._active():
            for meeting, seat in reg.seats.items():
                by_person.setdefault(reg.email, {}).setdefault(meeting, set()).add(seat.status)
        for meetings in by_person.values():
            for statuses in meetings.values():
                assert not {"confirmed", "waitlisted"} <= statuses

    @invariant()
    def one_live_registration_per_person(self):
        emails = [
            r.email
            for r in self.desk.state.registrations
            if r.status in ("active", "pending_info", "pending_approval")
        ]
        assert len(emails) == len(set(emails))

    @invariant()
    def uncapped_are_never_waitlisted(self):
        for reg in self._active():
            if capped_key(self.desk.event, reg) is None:
                assert all(s.status != "waitlisted" for s in reg.seats.values())


Seats.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestSeats = Seats.TestCase
