"""Which event a message in a folder that several events share is about, or why that cannot be told.

Pure: the caller finds the clues (references, threads, addresses, names) in the message and the store.
The rules are tried in order, and the first that points at exactly one event decides; one that points
at several says nothing and the next is tried. When none decides, the message waits for an organiser:
a wrong event would answer a participant about a project they never signed up for.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

RouteRule = Literal["only", "reference", "thread", "address", "name"]

# What each rule looks at, in the order they are tried (the reason an organiser reads names them).
RULES: tuple[tuple[RouteRule, str], ...] = (
    ("reference", "en anmälningsreferens i ett svar"),
    ("thread", "In-Reply-To/References till ett mejl vi skickat"),
    ("address", "adressen det skickades till"),
    ("name", "evenemangets namn i ämnesraden eller texten"),
)


@dataclass
class Clues:
    """The events each kind of clue points at (slugs)."""

    reference: set[str] = field(default_factory=set)
    thread: set[str] = field(default_factory=set)
    address: set[str] = field(default_factory=set)
    name: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Route:
    event: str | None  # None: an organiser decides
    rule: RouteRule | None
    reason: str  # Swedish, for the review list when event is None


def route(candidates: Sequence[str], clues: Clues) -> Route:
    """The event among `candidates` (those reading the message's folder) that the clues point at."""
    if len(candidates) == 1:
        return Route(candidates[0], "only", "")
    among = set(candidates)
    several: list[str] = []
    for rule, looked_at in RULES:
        found = getattr(clues, rule) & among
        if len(found) == 1:
            return Route(found.pop(), rule, "")
        if found:
            several.append(f"{looked_at} pekar på flera ({', '.join(sorted(found))})")
    why = (
        "; ".join(several)
        if several
        else "varken referens, svar på vårt mejl, adress eller namn pekar ut något"
    )
    return Route(
        None,
        None,
        f"kunde inte knytas till ett evenemang ({', '.join(sorted(among))}): {why}",
    )


def names_in(text: str, names_by_event: dict[str, Collection[str]]) -> set[str]:
    """The events whose name (or short name) the text holds, case and spacing aside."""
    flat = " ".join(text.casefold().split())
    return {
        slug
        for slug, names in names_by_event.items()
        if any(" ".join(n.casefold().split()) in flat for n in names if n.strip())
    }
