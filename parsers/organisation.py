"""Which organisation the people represent, weighing a stated field, the text, the signature and the domain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from parsers.models import Organisation

_FIELD = re.compile(
    r"^\s*(organisation|organization|kommun|myndighet|arbetsgivare|municipality|employer)\s*:\s*(.+)$",
    re.I | re.M,
)
_FULL_FORM = re.compile(r"kommun|region|länsstyrelse|stad\b|verket|myndighet", re.I)
_STRONG_BEFORE = re.compile(
    r"\b(från|på|hos|vi i|vi på|för|at|from|of|representerar|jobbar i|arbetar i)\s*$", re.I
)
_PLACE_BEFORE = re.compile(r"\b(i|till|in|to|runt|utanför|nära|mot|near|around|outside)\s*$", re.I)
# A web address starts where a word starts: trying it inside every word costs more than the search.
_URL = re.compile(r"(?<![a-z0-9\-])(?:https?://)?(?:www\.)?([a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,})", re.I)


# A signature line naming a company: "Sweco Sverige AB", "Dalakraft Aktiebolag", "Exempel AB (publ)"
_COMPANY_LINE = re.compile(r"^\s*([A-ZÅÄÖ0-9][\w&.,' -]{1,60}?\s(?:AB|Aktiebolag)(?:\s*\(publ\))?)\s*$")


def _domain_is(address: str, company: str) -> bool:
    """Is the address's mail domain the company's name ("siljanfiberenergi.se" for "Siljan Fiber & Energi AB")?"""
    domain = address.rsplit("@", 1)[-1].split(".")
    words = re.sub(r"\b(?:AB|Aktiebolag)\b|\(publ\)", " ", company)
    letters = re.sub(r"[^a-z0-9]", "", words.lower().translate(_PLAIN))
    return len(domain) >= 2 and len(letters) >= 3 and re.sub(r"[^a-z0-9]", "", domain[-2]) == letters


_PLAIN = str.maketrans("åäöéü", "aaoeu")


def _own_unknown(signature: list[str], sender: str, gaz: Any) -> bool:
    """Does a signature line name an organisation the gazetteer does not know, whose name the domain is?"""
    if "@" not in sender or gaz.by_domain(sender) is not None:
        return False
    for block in signature:
        for line in block.splitlines():
            if "@" not in line and len(line) < 60 and _domain_is(sender, line) and gaz.resolve(line) is None:
                return True
    return False


def _company(signature: list[str]) -> str | None:
    """The company a signature names on a line of its own, when no known organisation was found."""
    for block in signature:
        for line in block.splitlines():
            match = _COMPANY_LINE.match(line)
            if match:
                return " ".join(match.group(1).split())
    return None


@dataclass
class OrgDecision:
    organisation: Organisation | None = None
    uncertain: bool = False
    scores: dict[str, float] = field(default_factory=dict)


def _gazetteer() -> Any:
    try:
        from parsers import gazetteer
    except ImportError:
        return None
    return gazetteer


@lru_cache(maxsize=64)
def _find(text: str) -> tuple[Any, ...]:
    # the body is searched for both the organisation and the spans to keep out of person names
    gaz = _gazetteer()
    if gaz is None or not text:
        return ()
    return tuple(gaz.find_in_text(text))


def text_spans(text: str) -> list[tuple[int, int]]:
    """Where organisations are named, so names of places are not read as people."""
    try:
        return [(m.start, m.end) for m in _find(text)]
    except Exception:
        return []


def decide(
    body: str, signature: list[str], sender: str | None, participants: tuple[str, ...] = ()
) -> OrgDecision:
    """Score every organisation the evidence names; refuse to choose between close candidates.

    ``participants``: the addresses of the people signed up other than the writer. Whom they work for
    weighs as the writer's own domain does, once per organisation: a consultant's sign-up of a
    municipality's staff is the municipality's.
    """
    gaz = _gazetteer()
    out = OrgDecision()
    if gaz is None:
        return out
    entries: dict[str, Any] = {}
    scores: dict[str, float] = {}
    solid: set[str] = set()  # named by a field, a full signature line or a mail domain, not only in passing

    def add(entry: Any, weight: float) -> None:
        if entry is None:
            return
        key = f"{entry.kind}:{entry.code or entry.name}"
        entries[key] = entry
        scores[key] = scores.get(key, 0.0) + weight
        if weight >= 3.0:
            solid.add(key)

    try:
        for match in _FIELD.finditer(body):
            add(gaz.resolve(match.group(2).strip(" .")), 5.0)
        for m in _find(body):
            before = body[max(0, m.start - 25) : m.start]
            if _FULL_FORM.search(m.matched) or _STRONG_BEFORE.search(before):
                add(m.entry, 2.0)
            elif _PLACE_BEFORE.search(before):
                add(m.entry, 0.5)
            else:
                add(m.entry, 1.0)
        sig_text = "\n".join(signature)
        sig_matches = _find(sig_text) if sig_text else []
        full = [m for m in sig_matches if _FULL_FORM.search(m.matched)]
        if full:
            add(full[0].entry, 3.0)
        elif sig_matches:
            add(sig_matches[0].entry, 1.0)
        web = " ".join(line for line in signature if "@" not in line)
        for url in _URL.findall(web) if "." in web else ():
            add(gaz.by_domain(url), 1.0)
        if sender:
            add(gaz.by_domain(sender), 3.0)
        own = gaz.by_domain(sender) if sender else None
        company = _company(signature)
        if company and scores and not participants:
            # the writer's own company, on a signature line of its own, weighs as a signature's organisation
            # does, and as the writer's domain when that is the company's name: a municipality the text
            # names ("inbjudan vidarebefordrad från X kommun") must outweigh it to be chosen; a company that
            # signs up others' staff is the messenger, their employers weigh below
            entry = Organisation(kind="company", code=None, name=company)
            add(entry, 3.0)
            if own is None and sender and _domain_is(sender, company):
                add(entry, 3.0)
        theirs = {
            id(e): e for e in (gaz.by_domain(a) for a in participants) if e is not None and e is not own
        }
        for entry in theirs.values():
            add(entry, 3.0)
    except Exception:
        out.uncertain = True
        return out
    if not scores:
        company = _company(signature)
        if company:
            out.organisation = Organisation(kind="company", code=None, name=company)
        return out
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best_key, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    out.scores = dict(ranked)
    if best < 2.0:
        # a place named in passing ("tips från näringslivskontoret i Ludvika") does not outweigh the
        # company the writer's own signature names
        company = _company(signature)
        if company:
            out.organisation = Organisation(kind="company", code=None, name=company)
            return out
        out.uncertain = True
        return out
    if second >= best - 1.0:
        out.uncertain = True
    if best_key not in solid and sender and not participants and _own_unknown(signature, sender, gaz):
        # the signature names the writer's own organisation, the one the mail domain is named after, and the
        # gazetteer does not know it: the organisation only named in the text may not be the writer's
        out.uncertain = True
    entry = entries[best_key]
    out.organisation = Organisation(kind=entry.kind, code=entry.code, name=entry.name)
    return out


def employers(addresses: list[str]) -> list[Organisation]:
    """The organisations whose mail domains the addresses are at, each once, in order."""
    out: list[Organisation] = []
    for address in addresses:
        found = of_address(address)
        if found is not None and found not in out:
            out.append(found)
    return out


def of_address(address: str | None) -> Organisation | None:
    """The organisation owning an address's mail domain (gazetteer), or None for webmail and unknown ones."""
    gaz = _gazetteer()
    entry = gaz.by_domain(address) if gaz is not None and address else None
    return Organisation(kind=entry.kind, code=entry.code, name=entry.name) if entry else None
