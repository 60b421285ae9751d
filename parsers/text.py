"""Small text helpers shared by the rule modules: folding, sentences, clauses, addresses, names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser as _re_parser  # type: ignore[attr-defined]
from typing import Any

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

# A word of a personal name: capitalised, Swedish letters, optionally double-barrelled ("Per-Olof").
NAME_WORD = r"[A-ZÅÄÖÉÈÜØÆ][a-zåäöéèüøæ']+(?:-[A-ZÅÄÖÉÈÜ][a-zåäöéèüøæ']+)?"
NAME_RE = re.compile(rf"(?<![\w@.-])({NAME_WORD}(?:\s+(?:af\s+|von\s+|de\s+)?{NAME_WORD}){{1,2}})(?![\w@-])")
FIRST_NAME_RE = re.compile(rf"(?<![\w@.-])({NAME_WORD})(?![\w@-])")

_NOT_AZ = re.compile(r"[^a-z]")
# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(value: str) -> str:
    """The text without control characters (tab and line breaks kept) or lone surrogates.

    A NUL cannot be stored in PostgreSQL text, and no control character belongs in a name, a subject or a
    mail we send, whatever a hostile header decodes to.
    """
    return _UNPRINTABLE.sub("", value)


# an emoji ends a sentence as a full stop does ("… i december också 🙂 Och en sak till")
_SENTENCE_END = re.compile(
    r"(?<=[.!?\u2600-\u27bf\U0001f300-\U0001faff])(?<!o\.m\.)\s+(?=[A-ZÅÄÖÉ0-9\"“”])|\n\s*\n|\n(?=\s*(?:[-•*]|\d+[.)])\s)"
)
_CAPITAL_START = re.compile(r"[.!?]\s+[A-ZÅÄÖÉ]")
_LOWER_START = re.compile(r"[a-zåäö]{4}[.!?]\s+[a-zåäö]")
_LOWER_END = re.compile(r"(?<=[a-zåäö]{4}[.!?])(?:[ \t]+|[ \t]*\n[ \t]*)(?=[a-zåäö])")
_CLAUSE_SPLIT = re.compile(
    r"\s[–—]\s|;|,\s*(?=(?:men|så|då|därför|eftersom|utom|but|so)\b)|\s(?=men\s)"
    # "…på tredje träffen, han är föräldraledig resten av året": a new subject gives its own reason
    r"|,\s*(?=(?:han|hon|hen|de|dom|he|she|they)\s+(?:är|har|is|has)\b)"
    # "…på träff 1 och 2, sedan får vi se hur det blir med december": what comes after is a clause of its own
    r"|,\s*(?=(?:sedan|sen|därefter|then)\s)",
    re.I,
)


class Cue:
    """A case-insensitive rule pattern behind a cheap literal gate.

    Python's ``re`` cannot skip ahead for a pattern compiled with IGNORECASE or one that opens with ``\\b``:
    it tries every branch at every position of the text. The gate is a set of lower-case literals, one of
    which every match of the pattern contains; looked for in the lower-cased text they are fast scans,
    and the full pattern runs only when one is there. The tests check that the gate never
    hides a match (``test_cue_gates_never_hide_a_match``).
    """

    __slots__ = ("needles", "pattern", "scan")

    def __init__(self, pattern: str, needles: str | Iterable[str], flags: int = re.I) -> None:
        """``needles``: the literal words, as an iterable or one string separated by ``|``."""
        self.pattern = re.compile(pattern, flags)
        if isinstance(needles, str):
            needles = needles.split("|")
        # Tested one by one with ``in`` rather than as one regex alternation: ``str.__contains__`` is a
        # fast substring search, while ``re`` tries every branch at every position (about 30 ns a
        # character); even a cue with dozens of words is cheaper as separate scans, and most texts hold
        # none of them, so every scan runs to the end either way.
        self.needles = tuple(sorted({n.lower() for n in needles if n}, key=lambda n: (-len(n), n)))
        self.scan = first_char_checked(self.pattern)

    def hit(self, text: str, low: str | None = None) -> bool:
        """Can the pattern match here? ``low`` is ``text.lower()`` when the caller already has it."""
        if low is None:
            low = _lower(text)
        for needle in self.needles:  # noqa: SIM110 - a plain loop: no generator to set up on each call
            if needle in low:
                return True
        return False

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        if not self.hit(text, low):
            return None
        return self.scan.search(text)

    def finditer(self, text: str, low: str | None = None) -> Iterator[re.Match[str]]:
        if not self.hit(text, low):
            return iter(())
        return self.scan.finditer(text)


# -- first-character check (speed only: the same matches, found sooner) --
# A case-insensitive pattern gets no prefix scan from ``re``: it enters the whole alternation at every
# position, about 400 ns a character for the biggest cues. ``(?=[...])`` in front, listing every
# character a match can open with, turns most positions away after one class test; the match found
# (span, groups) is the same, since a match must open with one of those characters. The set comes from
# ``re``'s own parse of the pattern; anything not understood leaves the pattern as it is.
_FIRST_CHARS_LIMIT = 40  # with more possible first characters the check turns too few positions away


def first_char_checked(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern behind a lookahead for the characters its matches open with (or itself): for a
    case-insensitive pattern searched or iterated over long texts. Its ``.pattern`` text differs."""
    try:
        found = _first_chars(_re_parser.parse(pattern.pattern, pattern.flags).data)
        if found is None or found[1] or len(found[0]) > _FIRST_CHARS_LIMIT:
            return pattern  # unknown, or the pattern can match the empty string
        return re.compile(f"(?=[{''.join(sorted(found[0]))}])(?:{pattern.pattern})", pattern.flags)
    except Exception:  # e.g. a global inline flag, which must open the pattern
        return pattern


# \d and \s (not \w: nearly every position is a word character) are kept as classes of their own
_CATEGORIES = {_c.CATEGORY_DIGIT: "\\d", _c.CATEGORY_SPACE: "\\s"}


def _first_chars(items: list[tuple[Any, Any]]) -> tuple[set[str], bool] | None:
    """What a match of this sequence can open with (escaped characters and \\d, \\s, as the text of a
    character class), and whether it can match empty; None when some construct is not understood (then
    no check is made)."""
    chars: set[str] = set()
    for op, av in items:
        sub: tuple[set[str], bool] | None
        if op is _c.LITERAL:
            sub = ({re.escape(chr(av))}, False)
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width: the next item opens the match
        elif op is _c.SUBPATTERN:
            if av[1] or av[2]:
                return None  # local flags such as (?-i:...)
            sub = _first_chars(av[3].data)
        elif op is _c.BRANCH:
            branches = [_first_chars(b.data) for b in av[1]]
            if any(b is None for b in branches):
                return None
            sub = (set().union(*(b[0] for b in branches if b)), any(b[1] for b in branches if b))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            sub = _first_chars(av[2].data)
            if sub is not None and av[0] == 0:
                sub = (sub[0], True)
        elif op is _c.IN:
            sub = (set(), False)
            for kind, value in av:
                if kind is _c.LITERAL:
                    sub[0].add(re.escape(chr(value)))
                elif kind is _c.RANGE and value[1] - value[0] < 64:
                    sub[0].update(re.escape(chr(c)) for c in range(value[0], value[1] + 1))
                elif kind is _c.CATEGORY and value in _CATEGORIES:
                    sub[0].add(_CATEGORIES[value])
                else:
                    return None  # a negated set, \w, or a wide range
        else:
            return None
        if sub is None:
            return None
        chars |= sub[0]
        if not sub[1]:
            return chars, False
    return chars, True


# The rules ask several cues in turn about the same sentence or clause; lower-casing Swedish text (not
# ASCII) is dearer than looking it up.
_lower = lru_cache(maxsize=256)(str.lower)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case without diacritics and collapsed spaces, for comparing names and addresses."""
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def sentences(text: str) -> list[str]:
    """Sentences of a body, with list items and lines kept apart and wrapped lines joined."""
    return list(_sentences(text))


@lru_cache(maxsize=8)
def _sentences(text: str) -> tuple[str, ...]:
    # the diet, meeting and cancellation rules each walk the same body's sentences
    out: list[str] = []
    if _LOWER_START.search(text) and not _CAPITAL_START.search(text):
        # a writer who never capitalises ("… alla träffarna. petra har allergi …"): a full stop after a word
        # (not an abbreviation: those are short) ends the sentence all the same
        text = _LOWER_END.sub("\n\n", text)
    for block in _SENTENCE_END.split(text):
        block = " ".join(block.split())
        if block:
            out.append(block)
    return tuple(out)


def clauses(sentence: str) -> list[str]:
    """A sentence cut where its polarity may turn ("– den 23 oktober krockar", ", men", ", så")."""
    return [c.strip() for c in _CLAUSE_SPLIT.split(sentence) if c and c.strip()]


def proper_name(name: str) -> str:
    """Normal capitalisation of a name written in lower or upper case ("fredrik sundin")."""
    words = []
    for word in name.split():
        if word.islower() or word.isupper():
            word = "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
        words.append(word)
    return " ".join(words)


def local_part_tokens(address: str) -> list[str]:
    """The name-like pieces of an address's local part: "per-olof.haggstrom" -> ["per-olof", "haggstrom"]."""
    local = address.split("@", 1)[0].lower()
    return [t for t in re.split(r"[._]", local) if t]


def name_matches_address(name: str, address: str) -> bool:
    """Does the address look like it belongs to this name (first.last, f.last, last.first, ...)?"""
    tokens = [fold(t) for t in name.split()]
    local = fold(address.split("@", 1)[0])
    squashed = _NOT_AZ.sub("", local)
    if len(tokens) < 2:
        return bool(tokens) and squashed.startswith(_NOT_AZ.sub("", tokens[0])) and len(tokens[0]) > 2
    first = _NOT_AZ.sub("", tokens[0])
    last = _NOT_AZ.sub("", tokens[-1])
    if not first or not last:
        return False
    candidates = {first + last, last + first, first[0] + last, first + last[0], last + first[0]}
    if "-" in tokens[0]:
        # "Karl-Johan Mattsson" as kj.mattsson: a double first name by its initials
        initials = "".join(part[0] for part in _NOT_AZ.sub(" ", tokens[0]).split())
        candidates |= {initials + last, last + initials}
    if squashed in candidates:
        return True
    # tolerate a typo in the address ("ulrika.bergren" for Berggren)
    from rapidfuzz import fuzz

    return fuzz.ratio(squashed, first + last) >= 88


# the sentence and clause cuts split every body; they open with a space or a punctuation mark
_SENTENCE_END = first_char_checked(_SENTENCE_END)
_CLAUSE_SPLIT = first_char_checked(_CLAUSE_SPLIT)
