"""Evidence accounting, clause roles, per-person meetings, event-file references, typos and junk (issue 10)."""

from __future__ import annotations

from parserkit import MEETINGS, mail

from parsers import parse


def _parse(body: str, **kwargs: object):
    return parse(mail(body, **kwargs), MEETINGS)  # type: ignore[arg-type]


def _meetings(parsed) -> dict[str, list[int] | None]:
    return {p.name: p.meetings for p in parsed.people}


def test_prose_gives_each_person_their_own_meetings():
    parsed = _parse(
        "Hej!\n\nVi anmäler två från Ludvika: Per Holm, planerare, per.holm@ludvika.se och Eva Berg, "
        "strateg, eva.berg@ludvika.se.\nPer kommer på träff 1, Eva på träff 2.\n\nMvh Anna Andersson"
    )
    assert _meetings(parsed) == {"Per Holm": [1], "Eva Berg": [2]}
    assert not parsed.needs_review, parsed.review_reasons


def test_list_rows_carry_their_own_meetings():
    parsed = _parse(
        "Hej,\n\nVi vill vara med, men alla kan inte på alla träffar:\n\n"
        "1. Per Holm, planerare, per.holm@ludvika.se – träff 1 och 2\n"
        "2. Eva Berg, strateg, eva.berg@ludvika.se – bara den 23 oktober\n\nMvh Anna Andersson"
    )
    assert _meetings(parsed) == {"Per Holm": [1, 2], "Eva Berg": [2]}


def test_an_address_nobody_uses_flags_with_its_name():
    parsed = _parse("Hej!\n\nJag anmäler mig. Skicka gärna info även till kansliet@ludvika.se.\n\nMvh Anna")
    assert parsed.needs_review
    assert "adress som inte används: kansliet@ludvika.se" in parsed.review_reasons


def test_a_date_of_no_meeting_flags_with_the_date():
    parsed = _parse("Hej!\n\nJag anmäler mig till träffen den 5 november.\n\nMvh Anna")
    assert "datum som inte är en träff: 5 november" in parsed.review_reasons


def test_a_question_about_a_meeting_is_not_a_request_for_it():
    parsed = _parse("Hej!\n\nJag anmäler mig till lärprojektet.\nBlir det digitalt på träff 3?\n\nMvh Anna")
    assert parsed.intent == "signup"
    assert _meetings(parsed) == {"Anna Andersson": None}


def test_the_past_is_not_a_request():
    parsed = _parse(
        "Hej!\n\nVi missade första träffen, men jag vill gärna vara med från och med oktober.\n\nMvh Anna"
    )
    assert _meetings(parsed) == {"Anna Andersson": [2, 3, 4]}


def test_meetings_by_place_season_and_roman_numeral_come_from_the_event_file():
    assert _meetings(_parse("Hej!\n\nJag anmäler mig, men bara till Falu-träffarna.\n\nMvh Anna")) == {
        "Anna Andersson": [1, 2]
    }
    assert _meetings(_parse("Hej!\n\nJag anmäler mig till träff II och III.\n\nMvh Anna")) == {
        "Anna Andersson": [2, 3]
    }


def test_de_tre_ovriga_are_the_meetings_not_named_elsewhere():
    parsed = _parse(
        "Hej!\n\nSom du vet medverkar vi på träff 1. Själv vill jag gärna delta på de tre övriga träffarna.\n\nMvh Anna"
    )
    assert _meetings(parsed) == {"Anna Andersson": [2, 3, 4]}


def test_a_weekday_is_counted_from_the_date_header():
    raw = mail("Hej! Jag kan tyvärr inte komma på onsdag.\n\nMvh Anna", subject="Återbud")
    parsed = parse(raw.replace(b"Mon, 05 Aug 2024", b"Mon, 21 Oct 2024"), MEETINGS)
    assert parsed.intent == "cancel"
    assert _meetings(parsed) == {"Anna Andersson": [2]}


def test_a_typo_in_a_food_word_is_read():
    parsed = _parse("Hej!\n\nJag anmäler mig till lärprojektet.\nJag är vegitarian.\n\nMvh Anna")
    assert parsed.people[0].diet == ["vegetarian"]


def test_lists_for_sale_and_phishing_are_other():
    spam = _parse(
        "Hi,\nWould you be interested in acquiring the Attendees Data List?\nNo. of Contacts: 2,000",
        subject="Attendees list",
    )
    phishing = _parse("Din brevlåda är full. Klicka här för att verifiera ditt konto.", subject="Varning")
    assert (spam.intent, spam.needs_review) == ("other", False)
    assert (phishing.intent, phishing.needs_review) == ("other", False)


def test_a_forwarded_sign_up_is_its_authors_with_their_organisation():
    body = (
        "Hej!\n\nVidarebefordrar en anmälan som kom till min egen adress.\n\n/Johanna\n\n"
        "Från: Per Holm <per.holm@boden.se>\nSkickat: den 20 augusti 2024 10:12\n"
        "Till: Johanna Tångnäs <johanna.tangnas@regiondalarna.se>\nÄmne: Anmälan\n\n"
        "Hej Johanna!\n\nJag anmäler mig gärna till träff 2 och 3. Jag behöver laktosfri kost.\n\n"
        "Vänliga hälsningar\nPer Holm\nUtvecklingsstrateg\nBodens kommun\n"
    )
    parsed = _parse(body, sender="Johanna Tångnäs <johanna.tangnas@regiondalarna.se>", subject="VB: Anmälan")
    assert parsed.intent == "signup"
    assert parsed.organisation is not None and parsed.organisation.name == "Bodens kommun"
    person = parsed.people[0]
    assert (person.name, person.email, person.meetings, person.diet) == (
        "Per Holm",
        "per.holm@boden.se",
        [2, 3],
        ["lactose"],
    )
    assert not parsed.needs_review, parsed.review_reasons


def test_a_thank_you_note_is_other_without_a_flag():
    parsed = _parse("Hej!\n\nTack för en mycket givande dag i Falun. Vi ses!\n\nMvh Anna", subject="Tack")
    assert (parsed.intent, parsed.needs_review) == ("other", False)


def test_a_read_receipt_is_an_automatic_answer():
    raw = (
        b"From: Anna <anna.andersson@ludvika.se>\r\nTo: anmalan@regiondalarna.se\r\nSubject: Read: Anmalan\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=disposition-notification;"
        b' boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nYour message was read.\r\n'
        b"--b\r\nContent-Type: message/disposition-notification\r\n\r\n"
        b"Disposition: automatic-action/MDN-sent-automatically; displayed\r\n--b--\r\n"
    )
    assert parse(raw, MEETINGS).intent == "auto_reply"


def test_an_address_the_text_gives_for_the_writer_wins_over_from():
    parsed = _parse(
        "Hej!\n\nJag vill anmäla mig till lärprojektet. Använd gärna min jobbadress anna.andersson@ludvika.se "
        "för all kommunikation.\n\nMvh Anna Andersson",
        sender="Anna Andersson <anna.andersson77@hotmail.com>",
    )
    assert [p.email for p in parsed.people] == ["anna.andersson@ludvika.se"]
    assert not parsed.needs_review, parsed.review_reasons


def test_a_wrapped_list_item_keeps_its_food_needs():
    parsed = _parse(
        "Hej!\n\nJag anmäler två kollegor:\n\n- Per Holm, planerare, per.holm@ludvika.se\n(nötallergi)\n"
        "- Eva Berg, strateg, eva.berg@ludvika.se\n\nMvh Anna Andersson"
    )
    assert {p.name: p.diet for p in parsed.people} == {"Per Holm": ["nuts"], "Eva Berg": None}


def test_someone_named_only_in_the_past_is_not_signed_up_now():
    parsed = _parse(
        "Hej,\n\nMin kollega Per Holm (per.holm@ludvika.se) anmälde sig förra veckan. Nu vill även jag anmäla "
        "mig, men bara till träff 3.\n\nMvh Anna Andersson"
    )
    assert _meetings(parsed) == {"Anna Andersson": [3]}


def test_a_look_back_and_a_request_in_one_clause_are_read_apart():
    parsed = _parse(
        "Hej,\n\nJag deltog på första träffen och vill nu även anmäla mig till de återstående träffarna.\n\nMvh Anna"
    )
    assert _meetings(parsed) == {"Anna Andersson": [2, 3, 4]}


def test_a_title_left_unused_flags():
    parsed = _parse(
        "Hej!\n\nJag anmäler Per Holm, per.holm@ludvika.se. Per är en mycket erfaren trafikstrategernas "
        "samordnarchef.\n\nMvh Anna Andersson"
    )
    assert parsed.needs_review


def test_part_of_the_group_not_coming_is_not_a_cancellation():
    parsed = _parse(
        "Hej!\n\nVi anmäler oss, men alla kan inte vara med hela tiden: Per Holm, planerare, per.holm@ludvika.se "
        "kommer bara på träff 1.\n\nMvh Anna Andersson"
    )
    assert parsed.intent == "signup"
    assert "Meddelandet innehåller både anmälan och avanmälan" not in parsed.review_reasons


def test_a_colleague_in_cc_completes_a_first_name():
    parsed = _parse(
        "Hej!\n\nJag anmäler mig och min kollega Maria till lärprojektet.\n\nMvh Anna Andersson",
        headers={"Cc": "Maria Lind <maria.lind@ludvika.se>"},
    )
    assert [(p.name, p.email) for p in parsed.people] == [
        ("Anna Andersson", "anna.andersson@ludvika.se"),
        ("Maria Lind", "maria.lind@ludvika.se"),
    ]


def test_a_forwarded_invitation_to_another_event_is_other():
    parsed = _parse(
        "Hej!\n\nSkickar vidare en inbjudan som kanske intresserar er.\n\n"
        "---------- Vidarebefordrat meddelande ---------\nFrån: Konferens AB <info@konferens.example>\n"
        "Datum: 1 sep 2024\nÄmne: Inbjudan: Framtidens städer\n\n"
        "Välkommen till konferensen Framtidens städer den 14 november! Anmäl dig senast 1 november.\n",
        subject="VB: Inbjudan: Framtidens städer",
    )
    assert (parsed.intent, parsed.people) == ("other", [])


def test_winter_meetings_come_from_the_event_dates():
    parsed = _parse("Hej!\n\nJag vill anmäla mig till vinterträffarna.\n\nMvh Anna")
    assert _meetings(parsed) == {"Anna Andersson": [3, 4]}


def test_joining_and_one_person_not_coming_to_a_named_meeting_is_which_meetings_they_take():
    # the person signed up who cannot come on one named day takes the other meetings: no cancellation
    parsed = _parse(
        "Hej!\n\nVi är två som vill vara med: jag och Per Holm, per.holm@ludvika.se. Per kan inte komma på "
        "träff 2.\n\nMvh Anna Andersson"
    )
    assert parsed.intent == "signup"
    assert not parsed.needs_review
    assert _meetings(parsed) == {"Anna Andersson": None, "Per Holm": [1, 3, 4]}


def test_joining_and_someone_not_coming_at_all_is_flagged_not_a_cancellation():
    parsed = _parse(
        "Hej!\n\nVi är två som vill vara med: jag och Per Holm, per.holm@ludvika.se. Lisa Berg kan inte komma."
        "\n\nMvh Anna Andersson"
    )
    assert parsed.intent == "signup"
    assert parsed.needs_review


def test_each_person_in_one_clause_keeps_their_own_food_and_meetings():
    parsed = _parse(
        "Hej,\n\nJag och Karin Berg (karin.berg@ludvika.se) anmäler oss. Karin är vegetarian och jag äter "
        "glutenfritt. Karin kommer på alla utom den sista.\n\nMvh Anna Andersson"
    )
    assert {p.name: (p.meetings, p.diet) for p in parsed.people} == {
        "Anna Andersson": (None, ["gluten"]),
        "Karin Berg": ([1, 2, 3], ["vegetarian"]),
    }


def test_a_form_food_field_left_as_a_dash_says_none():
    parsed = _parse(
        "Hej!\n\nHärmed anmäls:\n\nNamn: Per Holm\nTitel: Planeringschef\nE-post: per.holm@ludvika.se\n"
        "Specialkost: -\n\nMvh Anna Andersson"
    )
    assert [(p.name, p.diet) for p in parsed.people] == [("Per Holm", [])]
