"""Organiser commands carried out: approve, reject, cancel with promotion, waitlist, answer, list, help; forgeries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parsers.commands import parse_commands
from parsers.models import Organisation
from rules.digest import OpenReview
from rules.model import State
from rules.organiser import apply_commands
from tests.unit.digest.conftest import EARLY, FALUN, NOW, reg

ORGANISER = "johanna.tangnas@regiondalarna.se"


@pytest.fixture
def state(registrations) -> State:
    return State(registrations=registrations)


@pytest.fixture
def open_reviews(reviews) -> dict[int, OpenReview]:
    return {r.number: r for r in reviews}


def run(event, state, open_reviews, text, *, sender=ORGANISER, token_ok=True):
    return apply_commands(
        event, state, parse_commands(text), sender=sender, token_ok=token_ok, now=NOW,
        message_key="inbox:42", reviews=open_reviews, message_id="cmd@example.se", token="240826.x",
    )  # fmt: skip


def mails_by_template(decision):
    return {(m.template, m.to) for m in decision.mails}


@pytest.mark.parametrize(
    ("sender", "token_ok"),
    [("someone@evil.example", True), ("someone@evil.example", False), (ORGANISER, False)],
)
def test_forged_or_tokenless_commands_change_nothing(event, state, open_reviews, sender, token_ok):
    before = state.model_copy(deep=True)
    decision, results = run(
        event, state, open_reviews, "AVANMÄL AAAA01\nGODKÄNN CCCC01", sender=sender, token_ok=token_ok
    )
    assert decision.registrations == []
    assert state == before
    assert [r.kind for r in decision.reviews] == ["unauthorised"]
    assert "AVANMÄL AAAA01" in decision.reviews[0].quote
    assert not any(r.ok for r in results) and len(results) == 2
    if sender == ORGANISER:
        # The organiser's real address learns the reply needs the digest's token; nobody else is written to.
        assert [(m.template, m.to) for m in decision.mails] == [("organiser_reply", ORGANISER)]
        assert decision.mails[0].context["refused"]
    else:
        assert decision.mails == []


def test_approve_late_signup_gives_seats_and_confirmation(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "GODKÄNN CCCC01")
    (changed,) = decision.registrations
    assert changed.ref == "CCCC01" and changed.status == "active"
    assert {n: s.status for n, s in changed.seats.items()} == {1: "confirmed", 2: "confirmed"}
    assert changed.requested == []
    confirmation = next(m for m in decision.mails if m.template == "confirmation")
    assert confirmation.to == "fredrik@example.se" and confirmation.calendar_meetings == [1, 2]
    assert confirmation.context["registration"]["ref"] == "CCCC01"
    assert results[0].ok and results[0].closes_reviews == [1]
    assert "Godkänd" in results[0].message_sv
    reply = decision.mails[-1]
    assert (reply.template, reply.to, reply.in_reply_to) == ("organiser_reply", ORGANISER, "cmd@example.se")
    assert reply.context["results"][0]["line"] == "GODKÄNN CCCC01"
    assert reply.context["token"] == "240826.x"


def test_approve_into_a_full_municipality_waitlists(event, state, open_reviews):
    state.registrations.append(
        reg("GGGG01", "Gustav Lind", FALUN, status="pending_approval", requested=[1, 3], at=NOW)
    )
    decision, results = run(event, state, open_reviews, "godkann gggg01")
    (changed,) = decision.registrations
    assert {n: s.status for n, s in changed.seats.items()} == {1: "waitlisted", 3: "confirmed"}
    assert ("confirmation", "gustav@example.se") in mails_by_template(decision)
    assert "väntelista till träff 1" in results[0].message_sv


def test_cancel_frees_seats_and_promotes_first_in_line(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "AVANMÄL AAAA02")
    changed = {r.ref: r for r in decision.registrations}
    assert changed["AAAA02"].status == "cancelled"
    assert all(s.status == "cancelled" for s in changed["AAAA02"].seats.values())
    assert {n: s.status for n, s in changed["AAAA04"].seats.items()} == {1: "confirmed", 2: "confirmed"}
    assert {("cancellation_receipt", "bo@example.se"), ("promoted", "david@example.se")} <= mails_by_template(
        decision
    )
    assert results[0].ok and "AAAA04" in results[0].message_sv
    # The unauthorised request about AAAA02 (nr 3) is settled by the organiser's own cancellation.
    assert results[0].closes_reviews == [3]


def test_waitlist_moves_to_the_back_and_promotes_who_waited(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "VÄNTELISTA AAAA01")
    changed = {r.ref: r for r in decision.registrations}
    assert {n: s.status for n, s in changed["AAAA01"].seats.items()} == {
        1: "waitlisted", 2: "waitlisted", 3: "waitlisted", 4: "waitlisted"
    }  # fmt: skip
    assert changed["AAAA04"].seat_status(1) == "confirmed"
    assert ("waitlisted", "anna@example.se") in mails_by_template(decision)
    assert results[0].ok


def test_reject_pending_with_reason(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "NEKA CCCC01 anmälan kom efter sista dag")
    (changed,) = decision.registrations
    assert changed.status == "rejected"
    rejection = next(m for m in decision.mails if m.template == "late_rejected")
    assert rejection.to == "fredrik@example.se"
    assert rejection.context["reason"] == "anmälan kom efter sista dag"
    assert results[0].ok and results[0].closes_reviews == [1]


def test_reject_of_an_active_registration_is_refused(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "NEKA AAAA01")
    assert decision.registrations == [] and not results[0].ok
    assert "AVANMÄL" in results[0].message_sv


def test_answer_goes_to_whoever_asked_quoting_the_question(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "SVARA 2 Ja, det finns gott om parkering.")
    answer = next(m for m in decision.mails if m.template == "organiser_answer")
    assert answer.to == "eva@example.se"
    assert answer.in_reply_to == "q2@example.se"
    assert answer.context["answer"] == "Ja, det finns gott om parkering."
    assert answer.context["question"] == "Finns det parkering vid lokalen i Falun?"
    assert results[0].ok and results[0].closes_reviews == [2]
    assert decision.registrations == []


def test_answer_never_reaches_an_unauthorised_sender_or_a_missing_item(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "SVARA 3 Vem är du?\nSVARA 9 Hej\nSVARA x")
    assert [r.ok for r in results] == [False, False, False]
    assert [m.template for m in decision.mails] == ["organiser_reply"]


def test_list_help_unknown_and_bad_refs(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "LISTA\nHej Johanna här\nGODKÄNN ZZZZ99\nGODKÄNN")
    assert [r.ok for r in results] == [True, False, False, False]
    assert "ZZZZ99" in results[2].message_sv
    (reply,) = decision.mails
    assert reply.context["show_help"] is True
    lists = {m["number"]: m for m in reply.context["lists"]}
    assert [p["ref"] for p in lists[1]["waitlisted"]] == ["AAAA04"]
    assert [p["ref"] for p in lists[1]["pending"]] == ["CCCC01"]
    assert len(lists[1]["confirmed"]) == 5


def test_empty_reply_gets_the_help(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "")
    assert results == [] and decision.mails[0].context["show_help"] is True


def test_later_lines_see_earlier_ones(event, state, open_reviews):
    decision, results = run(event, state, open_reviews, "GODKÄNN CCCC01\nAVANMÄL CCCC01")
    (changed,) = decision.registrations
    assert changed.status == "cancelled"
    assert [r.ok for r in results] == [True, True]


def test_uncapped_organisation_is_confirmed(event, state, open_reviews):
    agency = Organisation(kind="agency", name="Tillväxtverket")
    state.registrations.append(reg("TTTT01", "Tove Ek", agency, status="pending_approval", requested=[1]))
    decision, _ = run(event, state, open_reviews, "APPROVE TTTT01")
    assert decision.registrations[0].seat_status(1) == "confirmed"


def test_lista_shows_the_waitlist_in_the_order_promotion_takes_it(event, state, open_reviews):
    """Two sign-ups that arrived in the same second: LISTA's first is the one a freed seat goes to."""
    tie = EARLY + timedelta(days=2)
    # Zara's registration was created first, though her reference sorts after Yngve's.
    for ref, name, created in [
        ("ZZZZ09", "Zara Öst", tie),
        ("YYYY09", "Yngve Ås", tie + timedelta(minutes=1)),
    ]:
        late = reg(ref, name, FALUN, waiting=[1], at=created)
        late.seats[1] = late.seats[1].model_copy(update={"since": tie})
        state.registrations.append(late)

    decision, _ = run(event, state, open_reviews, "LISTA")
    lists = {m["number"]: m for m in decision.mails[0].context["lists"]}
    shown = [p["ref"] for p in lists[1]["waitlisted"]]
    assert shown == ["AAAA04", "ZZZZ09", "YYYY09"]

    decision, _ = run(event, state, open_reviews, "AVANMÄL AAAA02\nAVANMÄL AAAA03")
    promoted = {r.ref for r in decision.registrations if r.seat_status(1) == "confirmed"}
    assert promoted == set(shown[:2])
