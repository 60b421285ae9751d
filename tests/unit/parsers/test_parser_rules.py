"""One test group per rule family: meetings, diet, roles, people, reply stripping, intent, automatic mail."""

from __future__ import annotations

import datetime as dt

import pytest
from parserkit import MEETINGS, mail

from parsers import parse
from parsers.authresults import trusted_verdict
from parsers.diet import diet_in
from parsers.intent import classify
from parsers.meetings import select
from parsers.reply import split
from parsers.roles import role_of
from parsers.text import clauses, sentences


def _meetings(text: str, intent: str = "signup", sent: dt.date | None = None):
    chosen = [c for s in sentences(text) for c in clauses(s)]
    return select(chosen, MEETINGS, sent, intent).meetings


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Jag kommer på träff 1 och 3.", [1, 3]),
        ("Jag kan komma 12/9.", [1]),
        ("Jag kommer den 3:e december.", [3]),
        ("Vi ses 23 okt.", [2]),
        ("Jag kommer på alla fyra.", [1, 2, 3, 4]),
        ("Jag deltar på samtliga.", [1, 2, 3, 4]),
        ("Anmäler mig till höstens träffar.", [1, 2, 3]),
        ("Anmäler mig till vårens träff.", [4]),
        ("Jag kommer på första och sista träffen.", [1, 4]),
        ("Jag anmäler mig till alla träffar utom den i februari.", [1, 2, 3]),
        (
            "Jag kan vara med på träff 1 och 3 – den 23 oktober krockar och i februari är jag bortrest.",
            [1, 3],
        ),
        ("Han har ett annat åtagande den 3 december, så han kommer på träff 1, 2 och 4.", [1, 2, 4]),
        ("Jag tar över från och med träff 2.", [2, 3, 4]),
        ("Jag anmäler mig till lärprojektet som drar igång i höst.", None),
        ("Jag vill anmäla mig.", None),
    ],
)
def test_meetings(text, want):
    assert _meetings(text) == want


def test_meetings_relative_to_the_message_date():
    assert _meetings("Kan inte komma på träffen imorgon.", "cancel", dt.date(2024, 10, 22)) == [2]


def test_cancel_names_the_meetings_left():
    text = "Jag kan tyvärr inte komma på träff 2. Vi ses i december!"
    assert _meetings(text, "cancel") == [2]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Inga allergier.", []),
        ("Jag äter allt.", []),
        ("Jag äter inte fisk.", ["fish"]),
        ("Jag är vegetarian och allergisk mot ägg.", ["vegetarian", "egg"]),
        ("Glutenfri kost tack, jag har celiaki.", ["gluten"]),
        ("Laktosintolerant", ["lactose"]),
        ("nötallergi – inte ens spår av nötter", ["nuts"]),
        ("Jag har skaldjursallergi.", ["shellfish"]),
        ("Han äter inte fläsk.", ["pork"]),
        ("I am vegan.", ["vegan"]),
        ("Jag är allergisk mot selleri.", ["other"]),
        ("Ser fram emot träffarna!", None),
        # everyday and form words for the same needs
        ("Kör vego om det går", ["vegetarian"]),
        ("Kost: veg", ["vegetarian"]),
        ("Allergisk mot paranötter och cashewnötter", ["nuts"]),
        ("Allergi mot citrusfrukter", ["other"]),
        ("Intolerans mot lök", ["other"]),
        ("Specialkost: Nej", []),
        ("Kost: normal", []),
        ("Kostnad: nej", None),
        # a food someone eats is no need to cater for
        ("Jag äter gärna fisk", None),
        ("Äter fisk men inte kött", None),
    ],
)
def test_diet(text, want):
    assert diet_in(text) == want


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("Samhällsbyggnadschef", "manager"),
        ("Kommundirektör", "manager"),
        ("Plan- och byggchef", "manager"),
        ("Översiktsplanerare", "officer"),
        ("projektledare exploatering", "officer"),
        ("Business Development Strategist", "officer"),
        ("Kommunstyrelsens ordförande och kommunalråd", "politician"),
        ("Telefon 023-123 45", None),
        # posts outside the planners' words are still someone's title
        ("Registrator", "officer"),
        ("Kommunbiolog", "officer"),
        ("Projektmedarbetare", "officer"),
        ("Kommunjurist", "officer"),
        ("Fritidspolitiker (C)", "politician"),
        ("Nämndledamot", "politician"),
        ("KS-ordförande", "politician"),
        ("Ersättare i kommunstyrelsen", "politician"),
        ("Landshövding", "manager"),
        ("Länsråd", "manager"),
        # a word that only says someone works somewhere, or stands in for someone, is no title
        ("medarbetare", None),
        ("min ersättare", None),
    ],
)
def test_roles(title, want):
    assert role_of(title) == want


def test_reply_strips_outlook_history_and_keeps_signature():
    text = (
        "Hej,\n\nJag kan inte komma.\n\nVänliga hälsningar\nÅsa Grönlund\nKommundirektör\n\n"
        "Från: Anmälan <anmalan@x.se>\nSkickat: den 7 augusti 2024 09:14\nTill: Åsa\nÄmne: Bekräftelse\n\n"
        "Namn: Per Persson"
    )
    parts = split(text)
    assert "Per Persson" not in parts.body
    assert parts.signature[:3] == ["Vänliga hälsningar", "Åsa Grönlund", "Kommundirektör"]
    assert parts.quoted[0].sender == "anmalan@x.se"


@pytest.mark.parametrize(
    "header",
    [
        "Den tis 20 aug. 2024 kl 15:31 skrev Anmälan Dalalab <anmalan@x.se>:",
        "13 aug. 2024 kl. 09:12 skrev Anmälan Dalalab <anmalan@x.se>:",
        "On Tue, Aug 20, 2024 at 3:31 PM Anmälan Dalalab <anmalan@x.se> wrote:",
        "-----Ursprungligt meddelande-----",
    ],
)
def test_reply_headers(header):
    parts = split(f"Jag kan inte komma.\n\n{header}\n> Namn: Per Persson\n> Träffar: 1, 2")
    assert parts.body == "Jag kan inte komma."


def test_disclaimer_is_not_new_text():
    parts = split(
        "Jag vill anmäla mig.\n\nMvh\nAnna\n\nDetta e-postmeddelande kan innehålla konfidentiell information."
    )
    assert "konfidentiell" not in parts.new_text


@pytest.mark.parametrize(
    ("body", "want"),
    [
        ("Jag vill anmäla mig till lärprojektet.", "signup"),
        ("Tyvärr måste jag avanmäla mig.", "cancel"),
        ("Min kollega Per Berg kommer istället för mig.", "substitute"),
        ("Kan ni ändra min e-postadress?", "update"),
        ("Finns det parkering vid lokalen?", "question"),
        ("Jag anmäler mig. Ingår lunch?", "signup"),
    ],
)
def test_intent(body, want):
    assert classify(body, "").intent == want


def test_people_list_with_inline_diet():
    parsed = parse(
        mail(
            "Hej!\n\nVi anmäler:\n\n1. Anna Andersson, planeringschef, anna.andersson@ludvika.se\n"
            "2. Per Berg, översiktsplanerare, per.berg@ludvika.se – vegan\n\nVi andra har inga allergier.\n\n"
            "Mvh\nAnna Andersson\nPlaneringschef\nLudvika kommun"
        ),
        MEETINGS,
    )
    people = {p.email: p for p in parsed.people}
    assert set(people) == {"anna.andersson@ludvika.se", "per.berg@ludvika.se"}
    assert people["per.berg@ludvika.se"].diet == ["vegan"]
    assert people["per.berg@ludvika.se"].role == "officer"
    assert people["anna.andersson@ludvika.se"].diet == []
    assert parsed.organisation and parsed.organisation.code == "2085"


def test_prose_colleague_and_self():
    parsed = parse(
        mail(
            "Hej!\n\nJag och min kollega Per Berg, per.berg@ludvika.se, vill gärna delta.\n\n"
            "Mvh\nAnna Andersson\nNäringslivschef\nLudvika kommun"
        ),
        MEETINGS,
    )
    assert [p.email for p in parsed.people] == ["anna.andersson@ludvika.se", "per.berg@ludvika.se"]
    assert parsed.people[0].role == "manager"


def test_person_only_in_quoted_history_is_not_counted():
    parsed = parse(
        mail(
            "Jag vill anmäla mig.\n\nMvh\nAnna Andersson\n\n"
            "Den mån 5 aug. 2024 kl 10:00 skrev Per Berg <per.berg@ludvika.se>:\n> Per Berg, chef, per.berg@ludvika.se"
        ),
        MEETINGS,
    )
    assert [p.email for p in parsed.people] == ["anna.andersson@ludvika.se"]


def test_envelope_fields():
    parsed = parse(
        mail(
            "Hi, I would like to register for the project. Kind regards, Anna",
            subject="=?utf-8?q?Anm=C3=A4lan?=",
            headers={"In-Reply-To": "<abc@x.se>", "References": "<root@x.se> <abc@x.se>"},
        ),
        MEETINGS,
    )
    assert parsed.sender == "anna.andersson@ludvika.se"
    assert parsed.message_id == "test-1@ludvika.se"
    assert parsed.in_reply_to == ["abc@x.se", "root@x.se"]
    assert parsed.language == "en"


def test_html_only_mail():
    parsed = parse(
        mail(
            "<p class=MsoNormal>Jag vill anmäla mig.&nbsp;Inga allergier.</p><p>Mvh<br>Anna Andersson</p>",
            html=True,
        ),
        MEETINGS,
    )
    assert parsed.intent == "signup" and parsed.people[0].diet == []


def test_auto_reply_by_header_and_by_subject():
    by_header = parse(mail("Jag är på semester.", headers={"Auto-Submitted": "auto-replied"}), MEETINGS)
    by_subject = parse(mail("Jag är ledig till 18 augusti.", subject="Frånvaro: Anmälan"), MEETINGS)
    assert by_header.intent == by_subject.intent == "auto_reply"
    assert by_header.people == []


def test_newsletter_is_other():
    parsed = parse(mail("Anmäl dig till vårt webbinarium!", headers={"Precedence": "bulk"}), MEETINGS)
    assert parsed.intent == "other"


def test_unknown_organisation_is_flagged():
    parsed = parse(
        mail("Jag vill anmäla mig.\n\nMvh\nKim Nilsson", sender="Kim Nilsson <kim@gmail.com>"), MEETINGS
    )
    assert parsed.organisation is None
    assert parsed.needs_review
    assert any("organisation" in r for r in parsed.review_reasons)


EXCHANGE = (
    "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=ludvika.se; dkim=pass (signature was verified) "
    "header.d=ludvika.se;dmarc=pass action=none header.from=ludvika.se;compauth=pass reason=100"
)
OUR_RECEIVED = (
    "Received: from mail.ludvika.se by mx.regiondalarna.se with ESMTPS; Tue, 13 Aug 2024 08:00 +0200"
)


@pytest.mark.parametrize(
    ("headers", "verdict"),
    [
        (
            [
                "mx.regiondalarna.se; dkim=pass header.d=ludvika.se; spf=pass; dmarc=pass header.from=ludvika.se"
            ],
            True,
        ),
        (["mx.regiondalarna.se; spf=fail smtp.mailfrom=ludvika.se; dkim=none; dmarc=fail (p=reject)"], False),
        (["mx.regiondalarna.se; spf=softfail smtp.mailfrom=ludvika.se"], False),
        (["mx.regiondalarna.se; spf=softfail smtp.mailfrom=ludvika.se; dkim=pass header.d=ludvika.se"], None),
        ([], None),
        # "dmarc=pass" inside a property value is no verdict; the real one failed.
        (["mx.regiondalarna.se; smtp.mailfrom=dmarc=pass@evil.example; dmarc=fail"], None),
        (['mx.regiondalarna.se; spf=pass smtp.mailfrom="dmarc=pass"@evil.example; dmarc=fail'], False),
        # Another server's header, however it reads, says nothing to us.
        (["mx.evil.example; dmarc=pass header.from=ludvika.se"], None),
        # Ours first (topmost) decides, not a forged one of ours further down.
        (
            ["mx.regiondalarna.se; dmarc=fail header.from=ludvika.se", "mx.regiondalarna.se; dmarc=pass"],
            False,
        ),
        # Exchange Online's form: believed above our server's Received, not without it.
        ([EXCHANGE, OUR_RECEIVED], True),
        ([EXCHANGE], None),
    ],
)
def test_only_our_receiving_servers_authentication_results_count(
    headers: list[str], verdict: bool | None
) -> None:
    block = "".join(
        h + "\r\n" if h.startswith("Received:") else f"Authentication-Results: {h}\r\n" for h in headers
    )
    raw = (
        block
        + "From: Anna <anna@ludvika.se>\r\nTo: anmalan.dalalab@regiondalarna.se, Per <per@ludvika.se>\r\n"
        "Cc: johanna.tangnas@regiondalarna.se\r\nSubject: Avanmälan\r\n\r\nJag avanmäler mig.\r\n"
    ).encode()
    parsed = parse(raw, ())
    assert trusted_verdict(parsed.auth_results, ["mx.regiondalarna.se"]) is verdict
    assert trusted_verdict(parsed.auth_results, []) is None  # nothing configured: nothing believed
    assert parsed.recipients == [
        "anmalan.dalalab@regiondalarna.se",
        "per@ludvika.se",
        "johanna.tangnas@regiondalarna.se",
    ]
