"""Whose words are these: each row, list item or prose segment carries its own meetings and diet.

"Anna kommer på träff 1, Per på träff 2" gives Anna meeting 1 and Per meeting 2; a list line
"Lina Waara, strateg, lina@x.se – bara den 23 oktober" gives Lina the 23 October meeting; what no
one is named in ("vi kommer på alla träffar") is said of the whole group.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from parsers.people import Mention
from parsers.text import fold

# A list line or form block begins a new row; a line that begins so ends the row before it.
_ROW_START = re.compile(r"^\s*(?:[-•*·]|\d{1,2}[.)]|namn\s*:|name\s*:)", re.I)
# A piece cut off a clause at its second verb phrase has no subject of its own
_VERB_FIRST = re.compile(
    r"^\s*(?:nu\s+)?(?:vill|ska|kommer|kan|tänker|anmäler|deltar|would|will|want)\b", re.I
)
_MEETING_NOUN = re.compile(r"träff|tillfälle|möte", re.I)
_BARE_NUMBERS = re.compile(
    r"\b(till|på|:)\s+(\d\b(?!\s*(?:/|\.\d|:\d|jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)))", re.I
)
_FIRST_PERSON = re.compile(r"\b(?:(?i:jag|mig|mej|själv|me|myself)|I)\b")


@dataclass
class Said:
    """Clauses of the text by whom they are about: the group, or one person (by index in people)."""

    group: list[str] = field(default_factory=list)
    own: dict[int, list[str]] = field(default_factory=dict)

    def add(self, index: int, text: str) -> None:
        self.own.setdefault(index, []).append(text)


def rows(body: str, people: list[Mention]) -> dict[int, str]:
    """The text of each list or form row (its line and the lines that continue it), by person index."""
    out: dict[int, str] = {}
    for index, person in enumerate(people):
        if person.source not in {"list", "form"} or person.start < 0:
            continue
        end = body.find("\n", person.start)
        end = len(body) if end < 0 else end
        # a wrapped item continues on lines that neither start a new row nor are blank
        while end < len(body):
            nxt = body.find("\n", end + 1)
            line = body[end + 1 : nxt if nxt >= 0 else len(body)]
            if not line.strip() or _ROW_START.match(line) or any(p.start == end + 1 for p in people):
                break
            if person.source == "list" and ":" not in line and len(line) > 80:
                break
            end = nxt if nxt >= 0 else len(body)
        out[index] = body[person.start : end]
    return out


def _positions(clause: str, people: list[Mention], sender_index: int | None) -> list[tuple[int, int]]:
    """Where each person is named in the clause (full name first, else first name; the sender also by
    "jag"), as (at, index)."""
    folded = fold(clause)
    found: list[tuple[int, int]] = []
    if sender_index is not None:
        me = _FIRST_PERSON.search(clause)
        if me:
            found.append((me.start(), sender_index))
    for index, person in enumerate(people):
        if not person.name:
            continue
        for needle in (fold(person.name), person.first):
            if not needle:
                continue
            at = _word_at(folded, needle)
            if at >= 0:
                found = [f for f in found if f[1] != index] + [(at, index)]
                break
    return sorted(found)


def _word_at(folded: str, needle: str) -> int:
    start = 0
    while True:
        at = folded.find(needle, start)
        if at < 0:
            return -1
        before = folded[at - 1] if at else " "
        after_at = at + len(needle)
        after = folded[after_at] if after_at < len(folded) else " "
        if not before.isalnum() and not (after.isalnum() and after != "s"):
            return at
        start = at + 1


_OWN_VERB = re.compile(
    r"\b(?:har|hade|är|var|blir|blev|ska|skall|kan|kommer|vill|får|fått|tål|äter|behöver|måste|has|had|is|was|will)\b",
    re.I,
)
# Where a sub-clause of a segment begins: "…, och de övriga två tar vår planerare Cecilia"
_SUB_CLAUSE = re.compile(r",\s+|\s[–—]\s|;\s*")


def _inverted(segments: list[tuple[int, str]], says: Callable[[str], bool]) -> list[tuple[int, str]]:
    """A person named last in their own sub-clause, after what they do ("Per går på den första, och de
    övriga två tar Anna"): the sub-clause before the name is that person's, not the previous one's."""
    out = list(segments)
    for k in range(1, len(out)):
        index, text = out[k]
        prev_index, prev = out[k - 1]
        if says(text):
            continue
        cuts = list(_SUB_CLAUSE.finditer(prev))
        if not cuts:
            continue
        head, tail = prev[: cuts[-1].start()], prev[cuts[-1].end() :]
        if says(head) and says(tail):
            out[k - 1] = (prev_index, head)
            out[k] = (index, tail + text)
    return out


def split(clauses: list[str], people: list[Mention], says: Callable[[str], bool]) -> Said:
    """Sort clauses by whom they speak of: a named person, the sender ("jag"), or the group.

    ``says`` tells whether a piece of text says something of the kind asked for (meetings, food); a
    person's segment that says nothing shares the next one ("Anna och Per kommer på träff 1").
    """
    said = Said()
    sender_index = next((i for i, p in enumerate(people) if p.is_sender), None)
    previous: int | None = None
    for clause in clauses:
        positions = _positions(clause, people, sender_index)
        if not positions and previous is not None and _VERB_FIRST.match(clause):
            said.add(previous, clause)  # "Maria är vegan och [Maria] kommer bara på höstens träffar"
            continue
        previous = positions[-1][1] if positions else None
        if len(positions) >= 2:
            # one clause, several people: each person's segment runs to the next name
            segments = [
                (index, clause[at : positions[k + 1][0] if k + 1 < len(positions) else len(clause)])
                for k, (at, index) in enumerate(positions)
            ]
            if _MEETING_NOUN.search(clause):
                # "jag till träff 1-2 och Per till 3-4": the later segment's bare numbers share the noun
                segments = [(index, _BARE_NUMBERS.sub(r"\1 träff \2", text)) for index, text in segments]
            segments = _inverted(segments, says)
            lead = clause[: positions[0][0]]
            if lead.strip():
                said.group.append(lead)
            shared = ""
            for index, text in reversed(segments):
                # "Johan har fått celiaki och Amira kommer bara på …": a segment with a verb of its own says
                # something else of its person, it does not share the next one
                if not says(text) and shared and not _OWN_VERB.search(text):
                    said.add(index, shared)
                else:
                    said.add(index, text)
                    shared = text
            continue
        if len(positions) == 1:
            said.add(positions[0][1], clause)
            continue
        said.group.append(clause)
    return said
