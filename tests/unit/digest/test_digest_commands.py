"""Organiser commands in a reply: Swedish, English aliases, typos without å/ä/ö, unknown and quoted lines."""

from __future__ import annotations

import pytest

from parsers.commands import parse_commands


def one(text: str):
    (command,) = parse_commands(text)
    return command.name, command.args


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GODKÄNN K7M2QX", ("approve", ["K7M2QX"])),
        ("godkann k7m2qx", ("approve", ["K7M2QX"])),
        ("Godkänn: K7M2QX", ("approve", ["K7M2QX"])),
        ("APPROVE K7M2QX", ("approve", ["K7M2QX"])),
        ("- GODKÄNN [K7M2QX], P3R4TT", ("approve", ["K7M2QX", "P3R4TT"])),
        ("NEKA K7M2QX för sent, tyvärr", ("reject", ["K7M2QX", "för sent, tyvärr"])),
        ("reject K7M2QX", ("reject", ["K7M2QX"])),
        ("• AVANMÄL ref:K7M2QX", ("cancel", ["K7M2QX"])),
        ("avanmal K7M2QX", ("cancel", ["K7M2QX"])),
        ("CANCEL K7M2QX", ("cancel", ["K7M2QX"])),
        ("VÄNTELISTA K7M2QX", ("waitlist", ["K7M2QX"])),
        ("vantelista K7M2QX", ("waitlist", ["K7M2QX"])),
        ("WAITLIST K7M2QX", ("waitlist", ["K7M2QX"])),
        ("SVARA 3 Ja, det finns parkering.", ("answer", ["3", "Ja, det finns parkering."])),
        ("svara #3: Ja.", ("answer", ["3", "Ja."])),
        ("REPLY 4 Yes.", ("answer", ["4", "Yes."])),
        ("LISTA", ("list", [])),
        ("list", ("list", [])),
        ("HJÄLP", ("help", [])),
        ("hjalp:", ("help", [])),
        ("Help", ("help", [])),
        ("1. GODKÄNN K7M2QX", ("approve", ["K7M2QX"])),
        ("GODKÄNN", ("approve", [])),
    ],
)
def test_one_line(line, expected):
    assert one(line) == expected


def test_unknown_lines_are_kept_and_blank_lines_dropped():
    commands = parse_commands("Hej!\n\nGODKÄNN K7M2QX\nTack för hjälpen\n")
    assert [(c.name, c.line) for c in commands] == [
        ("unknown", "Hej!"),
        ("approve", "GODKÄNN K7M2QX"),
        ("unknown", "Tack för hjälpen"),
    ]


def test_quoted_lines_and_history_are_ignored():
    text = (
        "GODKÄNN K7M2QX\n"
        "> NEKA P3R4TT\n"
        ">> AVANMÄL AAAA01\n"
        "Den 26 aug. 2024 kl. 07:00 skrev Anmälan Dalalab <anmalan.dalalab@regiondalarna.se>:\n"
        "GODKÄNN CCCC01\n"
    )
    assert [(c.name, c.args) for c in parse_commands(text)] == [("approve", ["K7M2QX"])]


def test_outlook_history_header_stops_reading():
    text = "AVANMÄL K7M2QX\n\nFrån: Anmälan Dalalab <anmalan.dalalab@regiondalarna.se>\nSkickat: den 26 augusti\nGODKÄNN X"
    assert [c.name for c in parse_commands(text)] == ["cancel"]


def test_empty_text():
    assert parse_commands("") == []
    assert parse_commands("\n  \n> quoted\n") == []


@pytest.mark.parametrize(
    "signature",
    [
        "\n\nMed vänlig hälsning\nJohanna Tångnäs\nProcessledare\nRegion Dalarna\n",
        "\nMvh Johanna\nRegion Dalarna",
        "\n/Johanna\n\nSkickat från min iPhone",
        "\n\nBest regards\nJohanna",
    ],
)
def test_the_signature_after_the_commands_is_not_read_as_commands(signature: str) -> None:
    assert [c.name for c in parse_commands("AVANMÄL K7M2QX" + signature)] == ["cancel"]
