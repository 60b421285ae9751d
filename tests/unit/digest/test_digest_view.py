"""The digest for a fixed state: counts, x/3, municipalities with nobody, changes, needs, catering."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rules.digest import build_digest
from tests.unit.digest.conftest import NOW, SINCE


@pytest.fixture
def view(event, registrations, changes, reviews, failing, dalarna):
    return build_digest(
        event, registrations, changes, reviews, failing, now=NOW, since=SINCE, municipalities=dalarna
    )


def test_headline_counts_per_meeting(view):
    by_number = {m.number: m for m in view.meetings}
    # Träff 1: Falun 3 + Borlänge + Region; Leksand cancelled; Mariestad only träff 2.
    assert (by_number[1].registered, by_number[1].waitlisted, by_number[1].pending) == (5, 1, 1)
    assert (by_number[2].registered, by_number[2].waitlisted, by_number[2].pending) == (5, 1, 1)
    assert (by_number[3].registered, by_number[3].waitlisted, by_number[3].pending) == (2, 0, 0)
    assert view.people_active == 7
    assert view.people_pending == 1


def test_each_municipality_as_x_of_cap(view):
    rows = {r.name: [c.text for c in r.cells] for r in view.organisations}
    assert rows["Falu kommun"] == ["3/3", "3/3", "1/3", "1/3"]
    assert rows["Borlänge kommun"] == ["1/3", "1/3", "1/3", "1/3"]
    assert rows["Mariestads kommun"] == ["0/3", "1/3", "0/3", "0/3"]
    # A pending municipality is present (with nothing confirmed), a cancelled one is not.
    assert rows["Mora kommun"] == ["0/3"] * 4
    assert "Leksands kommun" not in rows
    falun = next(r for r in view.organisations if r.name == "Falu kommun")
    assert falun.full and falun.cells[0].waitlisted == 1
    # Swedish order: B, F, Ma, Mo.
    assert [r.name for r in view.organisations] == [
        "Borlänge kommun", "Falu kommun", "Mariestads kommun", "Mora kommun"
    ]  # fmt: skip
    assert [(r.name, [c.text for c in r.cells]) for r in view.other_organisations] == [
        ("Region Dalarna", ["1", "0", "0", "0"])
    ]


def test_county_municipalities_that_signed_up_nobody(view):
    names = [m.name for m in view.municipalities_without]
    assert "Falu kommun" not in names and "Mora kommun" not in names
    assert "Leksands kommun" in names  # the only one cancelled
    assert len(names) == 15 - 3
    assert names[-1] == "Älvdalens kommun"  # å/ä/ö sort after z


def test_changes_since_last_digest_with_refs(view):
    assert [(c.kind, c.ref) for c in view.changes] == [("new", "CCCC01"), ("cancelled", "EEEE01")]
    assert view.changes[0].name == "Fredrik Holm"
    assert view.changes[0].organisation == "Mora kommun"
    assert view.changes[0].when == "2024-08-26 02:00"


def test_needs_numbered_with_quotes(view):
    assert [n.number for n in view.needs] == [1, 2, 3]
    late, question, forged = view.needs
    assert late.kind == "late" and late.ref == "CCCC01" and late.is_new
    assert late.quote_lines == [
        "Hej!",
        "Jag vill anmäla mig till träff 1 och 2.",
        "Fredrik Holm, Mora kommun",
    ]
    assert question.quote_lines == ["Finns det parkering vid lokalen i Falun?"]
    assert question.name == "Eva Gran"
    assert not forged.is_new
    # The pending registration already has a need (nr 1), so it is not listed twice.
    assert view.pending == []
    assert [(f.email, f.refs) for f in view.failing] == [("bo@example.se", ["AAAA02"])]


def test_catering_headcount_diets_and_names_only_for_allergies(view):
    first = view.catering[0]
    assert first.headcount == 5
    diets = {d.diet: d for d in first.diets}
    assert diets["gluten"].count == 1 and diets["gluten"].names == ["Cecilia Dahl (Falu kommun)"]
    assert diets["lactose"].count == 2
    assert diets["lactose"].names == ["Cecilia Dahl (Falu kommun)", "Greta Ivarsson (Region Dalarna)"]
    assert diets["nuts"].names == ["Eva Gran (Borlänge kommun)"]
    assert diets["vegetarian"].count == 1 and diets["vegetarian"].names == []
    assert diets["vegan"].count == 1 and diets["vegan"].names == []
    assert "pork" not in diets  # Mariestad comes to träff 2 only
    second = {d.diet: d for d in view.catering[1].diets}
    assert second["pork"].count == 1 and second["pork"].names == []
    # Allergies come before preferences.
    assert [d.diet for d in first.diets] == ["gluten", "nuts", "lactose", "vegetarian", "vegan"]


def test_empty_when_nothing_new(event, registrations, changes, reviews, failing, dalarna):
    later = NOW + timedelta(days=1)
    quiet = build_digest(
        event, registrations, changes, reviews, failing, now=later, since=NOW, municipalities=dalarna
    )
    assert quiet.is_empty and quiet.has_open_items
    assert quiet.changes == []
    busy = build_digest(event, registrations, changes, [], [], now=NOW, since=SINCE, municipalities=dalarna)
    assert not busy.is_empty


def test_first_digest_reports_everything(event, registrations, changes, dalarna):
    view = build_digest(event, registrations, changes, [], [], now=NOW, since=None, municipalities=dalarna)
    assert len(view.changes) == 3 and view.since is None
    # Without a review, the late sign-up is listed as waiting for a decision.
    assert [p.ref for p in view.pending] == ["CCCC01"]


def test_municipalities_from_the_gazetteer(event, registrations):
    pytest.importorskip("parsers.gazetteer")
    view = build_digest(event, registrations, [], [], [], now=NOW, since=None)
    codes = {m.code for m in view.municipalities_without}
    assert len(codes) == 15 - 3 and all(c.startswith("20") for c in codes)
