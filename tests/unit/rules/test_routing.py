"""Which event a message in a shared folder is about: the first rule that points at exactly one decides."""

from __future__ import annotations

from rules.routing import Clues, names_in, route

BOTH = ["dalalab-2024", "vindkraft-2024"]


def test_a_folder_of_one_event_needs_no_clue() -> None:
    assert route(["dalalab-2024"], Clues()).event == "dalalab-2024"


def test_the_rules_are_tried_in_order_and_the_first_that_points_at_one_decides() -> None:
    # A reference of A wins over a thread of B (the participant answered B's mail about A's registration).
    clues = Clues(reference={"dalalab-2024"}, thread={"vindkraft-2024"}, name={"vindkraft-2024"})
    assert (route(BOTH, clues).event, route(BOTH, clues).rule) == ("dalalab-2024", "reference")
    # A rule that points at both says nothing; the next one decides.
    clues = Clues(reference=set(BOTH), thread={"vindkraft-2024"})
    assert (route(BOTH, clues).event, route(BOTH, clues).rule) == ("vindkraft-2024", "thread")
    assert route(BOTH, Clues(address={"vindkraft-2024"})).rule == "address"
    assert route(BOTH, Clues(name={"dalalab-2024"})).rule == "name"


def test_clues_outside_the_folders_events_count_for_nothing() -> None:
    assert route(BOTH, Clues(reference={"other-2023"})).event is None


def test_no_clue_or_only_ambiguous_ones_wait_for_an_organiser_with_the_reason_in_swedish() -> None:
    none = route(BOTH, Clues())
    assert none.event is None
    assert "varken referens, svar på vårt mejl, adress eller namn pekar ut något" in none.reason
    both = route(BOTH, Clues(name=set(BOTH)))
    assert both.event is None
    assert (
        "evenemangets namn i ämnesraden eller texten pekar på flera (dalalab-2024, vindkraft-2024)"
        in both.reason
    )


def test_a_name_is_found_whatever_its_case_and_spacing() -> None:
    names = {"dalalab-2024": ["Hållbara samhällen", "Dalalab 2024"], "vindkraft-2024": ["Vindkraft"]}
    assert names_in("Anmälan till DALALAB\n 2024", names) == {"dalalab-2024"}
    assert names_in("om vindkraft och hållbara  samhällen", names) == set(names)
    assert names_in("Anmälan", names) == set()
