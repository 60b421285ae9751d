"""The organisation gazetteer: data counts and codes, lookups, and finding organisations in Swedish text."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from importlib import resources

import pytest

from parsers.gazetteer import OrgEntry, all_entries, by_code, by_domain, find_in_text, resolve

LAN_CODES = {"01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13"}
LAN_CODES |= {"14", "17", "18", "19", "20", "21", "22", "23", "24", "25"}

# The table in shared/event/dalalab-2024.md: what the organisers count seats by.
DALARNA = [
    ("Vansbro kommun", "2021", "vansbro.se"),
    ("Malung-Sälens kommun", "2023", "malung-salen.se"),
    ("Gagnefs kommun", "2026", "gagnef.se"),
    ("Leksands kommun", "2029", "leksand.se"),
    ("Rättviks kommun", "2031", "rattvik.se"),
    ("Orsa kommun", "2034", "orsa.se"),
    ("Älvdalens kommun", "2039", "alvdalen.se"),
    ("Smedjebackens kommun", "2061", "smedjebacken.se"),
    ("Mora kommun", "2062", "mora.se"),
    ("Falu kommun", "2080", "falun.se"),
    ("Borlänge kommun", "2081", "borlange.se"),
    ("Säters kommun", "2082", "sater.se"),
    ("Hedemora kommun", "2083", "hedemora.se"),
    ("Avesta kommun", "2084", "avesta.se"),
    ("Ludvika kommun", "2085", "ludvika.se"),
]
ELSEWHERE = [
    ("Mariestads kommun", "1493"),
    ("Skellefteå kommun", "2482"),
    ("Bodens kommun", "2582"),
    ("Luleå kommun", "2580"),
    ("Gällivare kommun", "2523"),
    ("Sandvikens kommun", "2181"),
]


def _municipalities() -> list[OrgEntry]:
    return [e for e in all_entries() if e.kind == "municipality"]


def _found(text: str) -> list[tuple[str, str | None]]:
    return [(m.matched, m.entry.code) for m in find_in_text(text)]


# --------------------------------------------------------------------------- data


def test_counts() -> None:
    kinds = Counter(e.kind for e in all_entries())
    assert kinds["municipality"] == 290
    assert kinds["region"] == 21
    assert kinds["county_board"] == 21
    assert kinds["agency"] >= 15


def test_codes_are_unique_and_well_formed() -> None:
    keys = [(e.kind, e.code) for e in all_entries() if e.code is not None]
    assert len(keys) == len(set(keys))
    for e in _municipalities():
        assert e.code is not None and len(e.code) == 4 and e.code.isdigit()
        assert e.code[:2] in LAN_CODES
    assert {e.code for e in all_entries() if e.kind == "region"} == LAN_CODES
    assert {e.code for e in all_entries() if e.kind == "county_board"} == LAN_CODES
    assert {e.code[:2] for e in _municipalities() if e.code} == LAN_CODES
    assert all(e.code is None for e in all_entries() if e.kind in ("agency", "other"))


def test_names_are_unique_and_canonical() -> None:
    names = [e.name for e in all_entries()]
    assert len(names) == len(set(names))
    assert all(e.name.endswith(" kommun") for e in _municipalities())
    assert all(e.name.startswith("Länsstyrelsen i ") for e in all_entries() if e.kind == "county_board")


@pytest.mark.parametrize(("name", "code", "domain"), DALARNA)
def test_dalarna_municipalities(name: str, code: str, domain: str) -> None:
    entry = by_code("municipality", code)
    assert entry is not None and entry.name == name
    assert domain in entry.domains
    assert resolve(name) is entry
    assert by_domain(domain) is entry


@pytest.mark.parametrize(("name", "code"), ELSEWHERE)
def test_municipalities_elsewhere(name: str, code: str) -> None:
    entry = resolve(name)
    assert entry is not None and entry.kind == "municipality" and entry.code == code and entry.name == name


def test_organisers() -> None:
    region = by_code("region", "20")
    board = by_code("county_board", "20")
    assert region is not None and region.name == "Region Dalarna" and "regiondalarna.se" in region.domains
    assert board is not None and board.name == "Länsstyrelsen i Dalarnas län"
    assert by_code("region", "14") is not None and by_code("region", "14").name == "Västra Götalandsregionen"  # type: ignore[union-attr]
    tvv = resolve("Tillväxtverket")
    assert (
        tvv is not None and tvv.kind == "agency" and tvv.code is None and "tillvaxtverket.se" in tvv.domains
    )


def test_every_municipality_resolves_by_name_short_name_and_domain() -> None:
    for e in _municipalities():
        assert resolve(e.name) is e, e.name
        for alias in e.aliases:
            assert resolve(alias) is e, alias
        for domain in e.domains:
            assert by_domain(domain) is e, domain


def test_every_region_and_county_board_resolves() -> None:
    for e in all_entries():
        if e.kind in ("region", "county_board", "agency", "other"):
            assert resolve(e.name) is e, e.name


def test_data_notes_its_source() -> None:
    from parsers import gazetteer

    assert "SCB" in gazetteer.SOURCE


# --------------------------------------------------------------------------- by_domain


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("falun.se", "2080"),
        ("karin.dahlgren@falun.se", "2080"),
        ("Karin Dahlgren <Karin.Dahlgren@FALUN.SE>", "2080"),
        ("mail.falun.se", "2080"),
        ("x@edu.stockholm.se", "0180"),
        ("maria.nystrom@malung-salen.se", "2023"),
        ("habo.se", "0305"),  # Håbo; Habo is habokommun.se
        ("habokommun.se", "0643"),
        ("gotland.se", "0980"),  # Region Gotland is the municipality too
        ("malin.forsberg@regiondalarna.se", "20"),
    ],
)
def test_by_domain(value: str, code: str) -> None:
    entry = by_domain(value)
    assert entry is not None and entry.code == code


@pytest.mark.parametrize(
    "value",
    [
        "lansstyrelsen.se",
        "Anders.Holm@lansstyrelsen.se",
        "x@dalarna.lansstyrelsen.se",
        "gmail.com",
        "se",
        "",
        "falun",
    ],
)
def test_by_domain_none(value: str) -> None:
    assert by_domain(value) is None


def test_agency_domains() -> None:
    assert by_domain("x@tillvaxtverket.se") is resolve("Tillväxtverket")
    assert by_domain("skr.se") is resolve("SKR")


# --------------------------------------------------------------------------- resolve


@pytest.mark.parametrize(
    ("written", "kind", "code"),
    [
        ("Falu kommun", "municipality", "2080"),
        ("falun", "municipality", "2080"),
        ("Faluns kommun", "municipality", "2080"),
        ("Falun kommun", "municipality", "2080"),
        ("FALU KOMMUN", "municipality", "2080"),
        ("Falu", "municipality", "2080"),
        ("Leksands", "municipality", "2029"),
        ("Rattviks kommun", "municipality", "2031"),
        ("Malung Sälen", "municipality", "2023"),
        ("malung-salens kommun", "municipality", "2023"),
        ("Stockholms stad", "municipality", "0180"),
        ("Göteborgs Stad", "municipality", "1480"),
        ("Malmö stad", "municipality", "1280"),
        ("Håbo kommun", "municipality", "0305"),
        ("Habo kommun", "municipality", "0643"),
        ("kommunen i Leksand", "municipality", "2029"),
        ("Region Dalarna", "region", "20"),
        ("Landstinget Dalarna", "region", "20"),
        ("Region Gotland", "region", "09"),
        ("VGR", "region", "14"),
        ("Länsstyrelsen Dalarna", "county_board", "20"),
        ("Länsstyrelsen i Dalarnas län", "county_board", "20"),
        ("Länsstyrelsen Skåne", "county_board", "12"),
        ("Länsstyrelsen i Stockholms län", "county_board", "01"),
    ],
)
def test_resolve(written: str, kind: str, code: str) -> None:
    entry = resolve(written)
    assert entry is not None and (entry.kind, entry.code) == (kind, code)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("SKR", "Sveriges Kommuner och Regioner"),
        ("Sveriges Kommuner och Landsting", "Sveriges Kommuner och Regioner"),
        ("MSB", "Myndigheten för samhällsskydd och beredskap"),
        ("tillvaxtverket", "Tillväxtverket"),
        ("Havs- och vattenmyndigheten", "Havs- och vattenmyndigheten"),
    ],
)
def test_resolve_agencies(written: str, name: str) -> None:
    entry = resolve(written)
    assert entry is not None and entry.name == name


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Hedemroa kommun", "2083"),
        ("Smedjebaken", "2061"),
        ("Smedjebakens kommun", "2061"),
        ("Borlänege kommun", "2081"),
        ("Älvdalns kommun", "2039"),
        ("Skelleftå", "2482"),
    ],
)
def test_resolve_forgives_typos(written: str, code: str) -> None:
    entry = resolve(written)
    assert entry is not None and entry.code == code


@pytest.mark.parametrize(
    "written",
    [
        "Dora kommun",  # one letter from both Mora and Nora
        "Falun och Mora",  # two organisations, not one
        "Xyzzy kommun",
        "Dalarna",  # a county, not an organisation
        "Länsstyrelsen",  # which one?
        "Region",
        "",
        "ab",
    ],
)
def test_resolve_refuses(written: str) -> None:
    assert resolve(written) is None


# --------------------------------------------------------------------------- find_in_text


@pytest.mark.parametrize(
    ("text", "matched", "kind", "code"),
    [
        ("Vi är två från Falu kommun.", "Falu kommun", "municipality", "2080"),
        ("Anmälan från Falun kommun", "Falun kommun", "municipality", "2080"),
        ("Hälsningar från Falun", "Falun", "municipality", "2080"),
        ("Vi blir tre personer från Ludvika kommun.", "Ludvika kommun", "municipality", "2085"),
        ("Jag arbetar på kommunen i Leksand.", "Leksand", "municipality", "2029"),
        ("Maria Nyström\nMalung-Sälens kommun", "Malung-Sälens kommun", "municipality", "2023"),
        ("Vi i Malung Sälen undrar", "Malung Sälen", "municipality", "2023"),
        ("Region Dalarna behandlar dina personuppgifter", "Region Dalarna", "region", "20"),
        ("Länsstyrelsen i Dalarnas län bjuder in", "Länsstyrelsen i Dalarnas län", "county_board", "20"),
        ("Holm Anders\nLänsstyrelsen Dalarna", "Länsstyrelsen Dalarna", "county_board", "20"),
        ("Tillväxtverket medverkar på träff 1.", "Tillväxtverket", "agency", None),
        ("Mariestads kommun berättar om sitt arbete.", "Mariestads kommun", "municipality", "1493"),
        ("Samordnare\nSkellefteå kommun", "Skellefteå kommun", "municipality", "2482"),
        ("Vi kommer från Rattvik.", "Rattvik", "municipality", "2031"),
        ("Anna Ek, Sater", "Sater", "municipality", "2082"),
        ("Hälsningar från Alvdalen", "Alvdalen", "municipality", "2039"),
        ("hedemora kommun", "hedemora kommun", "municipality", "2083"),
        ("Stockholms stad deltar", "Stockholms stad", "municipality", "0180"),
        ("Kommun: Vara", "Vara", "municipality", "1470"),
        ("från Lund", "Lund", "municipality", "1281"),
        ("Vi i Ale", "Ale", "municipality", "1440"),
        ("SKR har skrivit om det", "SKR", "other", None),
    ],
)
def test_find_in_text_finds(text: str, matched: str, kind: str, code: str | None) -> None:
    matches = find_in_text(text)
    assert [(m.matched, m.entry.kind, m.entry.code) for m in matches] == [(matched, kind, code)]
    m = matches[0]
    assert text[m.start : m.end] == m.matched
    assert m.score == 100


@pytest.mark.parametrize(
    ("text", "matched", "code"),
    [
        ("Hedemroa kommun anmäler två personer.", "Hedemroa kommun", "2083"),
        ("Kommun: Smedjebaken", "Smedjebaken", "2061"),
        ("Vi på kommunen i Hedemroa kommer", "Hedemroa", "2083"),
        ("Borlänege kommun", "Borlänege kommun", "2081"),
    ],
)
def test_find_in_text_forgives_typos_next_to_kommun(text: str, matched: str, code: str) -> None:
    matches = find_in_text(text)
    assert [(m.matched, m.entry.code) for m in matches] == [(matched, code)]
    assert 80 <= matches[0].score < 100


@pytest.mark.parametrize(
    "text",
    [
        "Det kan vara bra att veta.",
        "Ale är ett öl.",
        "Olof Falk och Karin Ström kommer.",
        "Mikael Berg kommer på träff 1.",
        "Berg Mikael <Mikael.Berg@hedemora.se>",
        "Per Lund och Eva Boden",
        "Vi ses på Eda, Tibro, Åre, Lund, Boden, Orust, Heby, Vara, Sala och Ljusdal?",
        "Bjurholm",
        "det ska vara kommun och region i samverkan",
        "Vår kommun och hela kommun växer, varje kommun",
        "samhället formas av oss",
        "rise and shine",
        "Anna Falkenberg kommer.",
        "Falkenberg Anna skriver.",
        "Dorotea Svensson hälsar",
        "Uppsala län",
        "Dalarna och Dalarnas län",
        "Länsstyrelsen har svarat",
        "skicka till karin.dahlgren@falun.se eller se www.mora.se",
        "Läs mer på www.lansstyrelsen.se/dalarna",
        "Hemorra kommun",  # two edits from Hedemora in a short word: too far to guess
    ],
)
def test_find_in_text_ignores(text: str) -> None:
    assert find_in_text(text) == []


def test_find_in_text_longest_match_first() -> None:
    assert _found("Region Gotland och Gotlands kommun") == [
        ("Region Gotland", "09"),
        ("Gotlands kommun", "0980"),
    ]
    assert _found("Region Stockholm, Länsstyrelsen i Stockholms län") == [
        ("Region Stockholm", "01"),
        ("Länsstyrelsen i Stockholms län", "01"),
    ]
    matches = find_in_text("Västra Götalandsregionen och Region Västra Götaland")
    assert [m.entry.code for m in matches] == ["14", "14"]


def test_find_in_text_diacritics_decide_between_habo_and_habo() -> None:
    assert _found("Håbo kommun och Habo kommun") == [("Håbo kommun", "0305"), ("Habo kommun", "0643")]


def test_find_in_text_multiword_and_hyphenated_names() -> None:
    text = "Dals-Ed kommun, Upplands Väsby, Lilla Edets kommun och Östra Göinge kommun"
    assert _found(text) == [
        ("Dals-Ed kommun", "1438"),
        ("Upplands Väsby", "0114"),
        ("Lilla Edets kommun", "1462"),
        ("Östra Göinge kommun", "1256"),
    ]


def test_find_in_text_abbreviations_are_case_sensitive() -> None:
    names = [m.entry.name for m in find_in_text("SKR, MSB och RISE; men inte skr eller msb.")]
    assert names == [
        "Sveriges Kommuner och Regioner",
        "Myndigheten för samhällsskydd och beredskap",
        "RISE Research Institutes of Sweden",
    ]


def test_find_in_text_realistic_signup() -> None:
    text = (
        "Hej!\n\nVi anmäler följande två personer från Säters kommun till Dalalab Hållbara samhällen:\n"
        "Anna Ek, näringslivschef, anna.ek@sater.se\n"
        "Fredrik Sundin, mark- och exploateringsingenjör, Fredrik.Sundin@sater.se\n\n"
        "Vi har pratat med Region Dalarna och Länsstyrelsen i Dalarnas län om träffen i Falun.\n"
        "Tillväxtverket deltar på träff 1 och Mariestads kommun på träff 2.\n\n"
        "Med vänliga hälsningar\nAnna Ek\nNäringslivschef\nSäters kommun\n783 27 Säter\n"
    )
    assert _found(text) == [
        ("Säters kommun", "2082"),
        ("Region Dalarna", "20"),
        ("Länsstyrelsen i Dalarnas län", "20"),
        ("Falun", "2080"),
        ("Tillväxtverket", None),
        ("Mariestads kommun", "1493"),
        ("Säters kommun", "2082"),
        ("Säter", "2082"),
    ]


def test_find_in_text_realistic_question_and_forward() -> None:
    text = (
        "Vi är intresserade av lärprojektet men har drygt 13 mil enkel väg till Falun. Om inte får vi se "
        "om vi kan samåka med någon från Vansbro.\n\nHälsningar\nNils Grip\nNäringslivschef\n"
        "Malung-Sälens kommun\n"
    )
    assert _found(text) == [("Falun", "2080"), ("Vansbro", "2021"), ("Malung-Sälens kommun", "2023")]
    text = (
        "Jag fick tips om ert lärprojekt från en kollega på Region Västerbotten. Vi i Skellefteå har "
        "erfarenheter av att växa snabbt.\nJesper Lindbäck\nSkellefteå kommun"
    )
    assert _found(text) == [
        ("Region Västerbotten", "24"),
        ("Skellefteå", "2482"),
        ("Skellefteå kommun", "2482"),
    ]


def test_find_in_text_matches_are_ordered_and_disjoint() -> None:
    text = " ".join(f"Hälsningar från {e.name}." for e in _municipalities())
    matches = find_in_text(text)
    assert [m.entry for m in matches] == _municipalities()
    for before, after in itertools.pairwise(matches):
        assert before.end <= after.start
    for m in matches:
        assert text[m.start : m.end] == m.matched


def test_find_in_text_every_short_name_after_a_cue() -> None:
    data = json.loads(resources.files("parsers").joinpath("data/gazetteer.json").read_text(encoding="utf-8"))
    shorts = {item["code"]: item["short"] for item in data["entries"] if item["kind"] == "municipality"}
    assert len(shorts) == 290
    for code, short in shorts.items():
        found = find_in_text(f"Hälsningar från {short}")
        assert [m.entry for m in found] == [by_code("municipality", code)], short
