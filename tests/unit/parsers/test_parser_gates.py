"""The cheap gates in front of the rule patterns (text.Cue) never hide a match the pattern would find."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parsers
from parsers.text import Cue, first_char_checked


def _cues() -> list[tuple[str, Cue]]:
    found: dict[int, tuple[str, Cue]] = {}
    for info in pkgutil.iter_modules(parsers.__path__):
        module = importlib.import_module(f"parsers.{info.name}")
        for name, value in vars(module).items():
            items = [(name, value)]
            if isinstance(value, tuple):
                items = [(f"{name}[{i}]", v[-1] if isinstance(v, tuple) else v) for i, v in enumerate(value)]
            for label, item in items:
                if isinstance(item, Cue):
                    found.setdefault(id(item), (f"{info.name}.{label}", item))
    return sorted(found.values(), key=lambda t: t[0])


CUES = _cues()


def test_there_are_gated_patterns():
    assert len(CUES) >= 15


@pytest.mark.parametrize(("name", "cue"), CUES, ids=[n for n, _ in CUES])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(data=st.data())
def test_cue_gates_never_hide_a_match(name, cue, data):
    text = data.draw(st.from_regex(cue.pattern))
    if cue.pattern.search(text):  # from_regex can miss lookbehinds; only real matches count
        assert cue.hit(text), f"{name}: gate misses {text!r}"
        assert cue.search(text) is not None


@pytest.mark.parametrize(("name", "cue"), CUES, ids=[n for n, _ in CUES])
def test_cue_search_is_the_pattern_search(name, cue):
    for text in ("", "Jag anmäler mig till träff 1 och 3.", "Inga allergier, men Per är VEGAN.", "FRÅGA?"):
        want = cue.pattern.search(text)
        got = cue.search(text)
        assert (got and got.span()) == (want and want.span())


@pytest.mark.parametrize(("name", "cue"), CUES, ids=[n for n, _ in CUES])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(data=st.data())
def test_first_char_check_finds_the_same_match(name, cue, data):
    """``Cue.scan`` (the pattern behind a first-character lookahead) finds what the pattern finds."""
    text = (
        data.draw(st.text(max_size=20))
        + data.draw(st.from_regex(cue.pattern))
        + data.draw(st.text(max_size=20))
    )
    want = [(m.span(), m.groups()) for m in cue.pattern.finditer(text)]
    assert [(m.span(), m.groups()) for m in cue.scan.finditer(text)] == want


def test_first_char_check_only_where_it_is_sure():
    assert Cue(r"\bkan (inte|ej)\b", "kan").scan.pattern.startswith("(?=[k])")
    assert Cue(r"(?:^|[.!]\s+)order", "order").scan.pattern.startswith(r"(?=[!\.o])")
    # one that can match empty, a category, a negated set, local and global inline flags
    for pattern in (r"a?", r"\w+ kan", r"[^x]y", r"(?-i:Kan)", r"(?i)kan"):
        cue = Cue(pattern, "a")
        assert cue.scan is cue.pattern


def _checked_module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Module patterns wrapped in ``text.first_char_checked`` (their text opens with the lookahead)."""
    found = []
    for info in pkgutil.iter_modules(parsers.__path__):
        module = importlib.import_module(f"parsers.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and str(value.pattern).startswith("(?=["):
                found.append((f"{info.name}.{name}", value))
    return sorted(found, key=lambda t: t[0])


CHECKED = _checked_module_patterns()


@pytest.mark.parametrize(("name", "checked"), CHECKED, ids=[n for n, _ in CHECKED])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_first_char_checked_module_patterns_find_the_same(name, checked, data):
    original = re.compile(checked.pattern[checked.pattern.index("])(?:") + 5 : -1], checked.flags)
    assert first_char_checked(original).pattern == checked.pattern
    text = (
        data.draw(st.text(max_size=20)) + data.draw(st.from_regex(original)) + data.draw(st.text(max_size=20))
    )
    want = [(m.span(), m.groups()) for m in original.finditer(text)]
    assert [(m.span(), m.groups()) for m in checked.finditer(text)] == want
