"""Cancel, substitute and update, and who may ask for them."""

from __future__ import annotations

from rulekit import FALUN, Desk, msg, person, seats

from parsers.models import Organisation, ParsedMessage


def _anna(desk: Desk, **kw):
    return desk.send(
        msg(
            sender="anna@ludvika.se",
            people=[person("Anna Andersson", "anna@ludvika.se", diet=["vegetarian"], **kw)],
        )
    ).registrations[0]


def test_cancel_some_meetings_keeps_the_rest(desk):
    anna = _anna(desk)
    d = desk.send(
        msg(
            "cancel",
            sender="anna@ludvika.se",
            people=[person("Anna Andersson", "anna@ludvika.se", meetings=[2, 3])],
        )
    )
    (reg,) = d.registrations
    assert reg.status == "active" and seats(reg) == {
        1: "confirmed",
        2: "cancelled",
        3: "cancelled",
        4: "confirmed",
    }
    (mail,) = d.mails
    assert mail.template == "cancellation_receipt" and mail.registration_ref == anna.ref
    assert mail.context["cancelled"] == [2, 3] and mail.context["whole"] is False


def test_cancel_without_naming_anyone_cancels_the_senders_own_registration(desk):
    _anna(desk)
    d = desk.send(msg("cancel", sender="anna@ludvika.se"))
    assert d.registrations[0].status == "cancelled" and d.mails[0].context["whole"] is True


def test_cancel_of_a_meeting_not_held_changes_nothing_and_shows_the_registration(desk):
    _anna(desk, meetings=[1])
    d = desk.send(msg("cancel", sender="anna@ludvika.se", people=[person("Anna Andersson", meetings=[3])]))
    assert d.registrations == [] and d.mails[0].template == "duplicate_notice"


def test_the_registering_address_may_cancel_and_both_are_told(desk):
    desk.send(msg(sender="chef@ludvika.se", people=[person("Per Persson", "per@ludvika.se")]))
    d = desk.send(msg("cancel", sender="chef@ludvika.se", people=[person("Per Persson")]))
    assert d.registrations[0].status == "cancelled"
    assert sorted(m.to for m in d.mails) == ["chef@ludvika.se", "per@ludvika.se"]


def test_a_stranger_may_not_cancel_the_registered_person_is_told(desk):
    anna = _anna(desk)
    d = desk.send(
        msg("cancel", sender="someone@ludvika.se", people=[person("Anna Andersson", "anna@ludvika.se")])
    )
    assert d.registrations == []
    assert [r.kind for r in d.reviews] == ["unauthorised"] and d.reviews[0].registration_ref == anna.ref
    assert d.reviews[0].sender == "someone@ludvika.se"
    assert [(m.template, m.to) for m in d.mails] == [
        ("change_request_refused", "anna@ludvika.se"),
        ("question_ack", "someone@ludvika.se"),
    ]
    assert desk.state.by_ref(anna.ref).status == "active"


def test_a_forged_from_never_cancels(desk):
    anna = _anna(desk)
    forged = msg(
        "cancel",
        sender="anna@ludvika.se",
        reply_to="attacker@example.com",
        people=[person("Anna Andersson", "anna@ludvika.se")],
    )
    d = desk.send(forged)
    assert d.registrations == [] and [r.kind for r in d.reviews] == ["unauthorised"]
    refused = d.mails[0]
    assert refused.template == "change_request_refused" and refused.to == "anna@ludvika.se"
    assert refused.context["reply_to"] == "attacker@example.com"
    assert "attacker@example.com" not in [m.to for m in d.mails]
    assert desk.state.by_ref(anna.ref).status == "active"


def test_a_from_that_failed_dmarc_never_cancels_even_with_the_registered_address(desk):
    anna = _anna(desk)
    spoofed = msg(
        "cancel",
        sender="anna@ludvika.se",
        sender_verified=False,
        people=[person("Anna Andersson", "anna@ludvika.se")],
    )
    d = desk.send(spoofed)
    assert d.registrations == [] and [r.kind for r in d.reviews] == ["unauthorised"]
    assert [m.template for m in d.mails] == ["change_request_refused"]
    assert desk.state.by_ref(anna.ref).status == "active"
    # The same mail with a passing DMARC verdict is Anna herself.
    verified = spoofed.model_copy(update={"sender_verified": True, "message_id": None})
    desk.send(verified)
    assert desk.state.by_ref(anna.ref).status == "cancelled"


def test_a_reply_carrying_the_ref_may_change_from_another_address(desk):
    anna = _anna(desk)
    d = desk.send(
        msg(
            "cancel",
            sender="anna.privat@gmail.com",
            org=None,
            subject=f"Sv: Anmälan bekräftad [Ref {anna.ref}]",
        )
    )
    assert d.registrations[0].status == "cancelled"
    assert {m.to for m in d.mails} == {"anna@ludvika.se", "anna.privat@gmail.com"}


def test_a_reply_in_our_thread_counts_only_from_the_address_we_wrote_to(desk):
    """A thread forwarded to, or started by, someone else carries no authority (issue 8, item 1)."""
    anna = _anna(desk)
    thread = [f"<{desk.last_mid(anna.ref)}>"]
    d = desk.send(ParsedMessage(intent="cancel", sender="anna.privat@gmail.com", in_reply_to=thread))
    assert d.registrations == []
    # Nothing points at Anna any more: an organiser looks at it, the sender hears only that.
    assert [(m.template, m.to) for m in d.mails] == [("question_ack", "anna.privat@gmail.com")]
    d = desk.send(ParsedMessage(intent="cancel", sender="anna@ludvika.se", in_reply_to=thread))
    assert d.registrations[0].status == "cancelled"


def test_a_made_up_ref_gives_no_authority(desk):
    _anna(desk)
    d = desk.send(
        msg(
            "cancel",
            sender="x@example.com",
            org=None,
            subject="[Ref ZZZZZZ]",
            people=[person("Anna Andersson", "anna@ludvika.se")],
        )
    )
    assert d.registrations == [] and d.reviews[0].kind == "unauthorised"


def test_cancel_for_someone_unknown_goes_to_review(desk):
    d = desk.send(msg("cancel", sender="vem@ludvika.se", people=[person("Okänd Person")]))
    assert d.registrations == [] and d.reviews[0].kind == "unclear"
    assert [m.template for m in d.mails] == ["question_ack"]


def test_substitute_both_are_told_and_the_newcomer_gets_calendars(desk):
    anna = _anna(desk)
    d = desk.send(
        msg(
            "substitute",
            sender="anna@ludvika.se",
            people=[person("Karin Ek", "karin@ludvika.se", meetings=[2], replaces="Anna Andersson")],
        )
    )
    by_name = {r.name: r for r in d.registrations}
    karin = by_name["Karin Ek"]
    assert (
        karin.replaces == anna.ref
        and seats(karin) == {2: "confirmed"}
        and karin.registered_by == "anna@ludvika.se"
    )
    assert seats(by_name["Anna Andersson"])[2] == "cancelled" and by_name["Anna Andersson"].status == "active"
    assert [(m.template, m.to, m.calendar_meetings) for m in d.mails] == [
        ("substitution_receipt_new", "karin@ludvika.se", [2]),
        ("substitution_receipt_replaced", "anna@ludvika.se", []),
    ]
    assert d.mails[0].context["replaced_name"] == "Anna Andersson"


def test_substitute_from_a_stranger_is_refused(desk):
    _anna(desk)
    d = desk.send(
        msg(
            "substitute",
            sender="x@ludvika.se",
            people=[person("Karin Ek", "karin@ludvika.se", replaces="anna@ludvika.se")],
        )
    )
    assert d.registrations == [] and d.reviews[0].kind == "unauthorised"


def test_update_diet_role_and_address(desk):
    anna = _anna(desk)
    d = desk.send(
        msg(
            "update",
            sender="anna@ludvika.se",
            people=[person("Anna Andersson", "anna.a@ludvika.se", diet=["vegan"], role="manager")],
        )
    )
    (reg,) = d.registrations
    assert (
        reg.ref == anna.ref
        and reg.diet == ["vegan"]
        and reg.role == "manager"
        and reg.email == "anna.a@ludvika.se"
    )
    fields = [c["field"] for c in d.mails[0].context["changes"]]
    assert fields == ["diet", "role", "email"]
    # The new address gets the receipt, and the old one hears of the change too.
    assert [m.to for m in d.mails] == ["anna.a@ludvika.se", "anna@ludvika.se"]


def test_update_with_nothing_new_still_answers(desk):
    _anna(desk)
    d = desk.send(
        msg("update", sender="anna@ludvika.se", people=[person("Anna Andersson", diet=["vegetarian"])])
    )
    assert d.mails[0].template == "update_receipt" and d.mails[0].context["changes"] == []


def test_update_naming_a_meeting_that_does_not_exist_changes_no_meetings(desk):
    anna = _anna(desk)
    d = desk.send(msg("update", sender="anna@ludvika.se", people=[person("Anna Andersson", meetings=[5])]))
    assert seats(d.registrations[0]) == seats(anna) and d.reviews[0].kind == "unclear"


def test_organiser_may_change_a_registration_but_is_not_mailed(desk):
    anna = _anna(desk)
    d = desk.send(
        msg(
            "cancel",
            sender="johanna.tangnas@regiondalarna.se",
            org=FALUN,
            people=[person("Anna Andersson", "anna@ludvika.se")],
        )
    )
    assert d.registrations[0].status == "cancelled"
    assert [m.to for m in d.mails] == ["anna@ludvika.se"] and d.mails[0].registration_ref == anna.ref
    assert any(a.rule == "own_address" for a in d.audit)


ORSA = Organisation(kind="municipality", code="2034", name="Orsa kommun")


def _per(desk: Desk):
    return desk.send(
        msg(sender="per.ols@orsa.se", org=ORSA, people=[person("Per Ols", "per.ols@orsa.se")])
    ).registrations[0]


def _impostor(intent: str, **kw) -> ParsedMessage:
    return msg(
        intent,
        sender="per.ols.1970@gmail.com",
        sender_name="Per Ols",
        org=ORSA,
        people=[person("Per Ols", "per.ols.1970@gmail.com", **kw)],
    )


def test_cancel_from_an_unknown_address_in_a_registered_persons_name_reaches_that_person(desk):
    per = _per(desk)
    d = desk.send(_impostor("cancel"))
    assert d.registrations == []
    assert [(r.kind, r.registration_ref) for r in d.reviews] == [("unauthorised", per.ref)]
    assert [(m.template, m.to, m.registration_ref) for m in d.mails] == [
        ("change_request_refused", "per.ols@orsa.se", per.ref),
        # The sender is told a person will look at it: no ref, and not the answer to a question.
        ("question_ack", "per.ols.1970@gmail.com", None),
    ]
    assert d.mails[0].context["requester"] == "per.ols.1970@gmail.com"
    assert d.mails[1].context == {"about": "change", "ref": None, "registration": None, "for_self": False}
    assert any(a.rule == "identity" and a.registration_ref == per.ref for a in d.audit)
    assert desk.state.by_ref(per.ref).status == "active"


def test_update_and_substitute_in_a_registered_persons_name_are_refused_and_the_person_told(desk):
    per = _per(desk)
    for parsed in (
        _impostor("update", diet=["vegan"]),
        msg(
            "substitute",
            sender="per.ols.1970@gmail.com",
            sender_name="Per Ols",
            org=ORSA,
            people=[person("Eva Berg", "eva.berg@gmail.com", replaces="per.ols.1970@gmail.com")],
        ),
    ):
        d = desk.send(parsed)
        assert d.registrations == [] and [r.kind for r in d.reviews] == ["unauthorised"]
        assert (d.mails[0].template, d.mails[0].to) == ("change_request_refused", "per.ols@orsa.se")
    assert desk.state.by_ref(per.ref).diet is None


def test_stryk_mig_naming_nobody_from_an_unknown_address_is_matched_by_the_senders_name(desk):
    per = _per(desk)
    d = desk.send(msg("cancel", sender="per.ols.1970@gmail.com", sender_name="Per Ols", org=ORSA))
    assert [(r.kind, r.registration_ref) for r in d.reviews] == [("unauthorised", per.ref)]
    assert d.mails[0].to == "per.ols@orsa.se"


def test_a_name_shared_by_two_registrations_targets_nobody(desk):
    _per(desk)
    desk.send(msg(sender="chef@orsa.se", org=ORSA, people=[person("Per Ols", "per.ols2@orsa.se")]))
    d = desk.send(_impostor("cancel"))
    assert [r.kind for r in d.reviews] == ["unclear"]
    assert [(m.template, m.to) for m in d.mails] == [("question_ack", "per.ols.1970@gmail.com")]


def test_the_same_name_in_another_organisation_is_another_person(desk):
    _per(desk)
    d = desk.send(
        msg(
            "cancel",
            sender="per.ols@gmail.com",
            org=FALUN,
            people=[person("Per Ols", "per.ols@gmail.com")],
        )
    )
    assert [r.kind for r in d.reviews] == ["unclear"] and d.registrations == []


def test_a_bare_from_asks_the_registered_address_to_confirm_and_the_confirmation_acts(desk):
    """Issue 8, item 5: without a DMARC pass the From alone changes nothing until the person confirms."""
    from rules.decide import decide

    anna = _anna(desk)
    bare = msg("cancel", sender="anna@ludvika.se", sender_verified=None)
    d = desk.send(bare)
    assert d.registrations == []
    assert [(m.template, m.to) for m in d.mails] == [("change_confirmation", "anna@ludvika.se")]
    # A new address is destructive too; a diet is not.
    moved = msg(
        "update",
        sender="anna@ludvika.se",
        sender_verified=None,
        people=[person("Anna Andersson", "anna@gmail.com")],
    )
    assert [m.template for m in desk.send(moved).mails] == ["change_confirmation"]
    diet = msg(
        "update",
        sender="anna@ludvika.se",
        sender_verified=None,
        people=[person("Anna Andersson", diet=["vegan"])],
    )
    assert desk.send(diet).registrations[0].diet == ["vegan"]
    confirmed = decide(
        desk.event,
        desk.state,
        bare,
        received_at=desk.clock,
        now=desk.clock,
        message_key="k",
        confirmed=anna.ref,
    )
    assert confirmed.registrations[0].status == "cancelled"


def test_someone_else_asking_hears_only_that_a_confirmation_was_sent(desk):
    maria = "maria@ludvika.se"
    desk.send(msg(sender=maria, people=[person("Per Persson", "per@ludvika.se")]))
    d = desk.send(
        msg("cancel", sender=maria, sender_verified=None, people=[person("Per Persson", "per@ludvika.se")])
    )
    assert d.registrations == []
    assert {(m.template, m.to) for m in d.mails} == {
        ("change_confirmation", "per@ludvika.se"),
        ("question_ack", maria),
    }
    [ack] = [m for m in d.mails if m.to == maria]
    assert (
        ack.registration_ref is None
        and ack.context["about"] == "confirm"
        and ack.context["registration"] is None
    )
