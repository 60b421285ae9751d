"""Swedish public organisations (290 municipalities, 21 regions, 21 county boards, agencies): lookup and text search.

Pure: the only input is the package data file ``parsers/data/gazetteer.json``, read once at import.
Everything is precompiled at import: ``find_in_text`` runs one prefix-tree regex over the text to visit
only words that can begin a name, then looks the following words up in a dict of folded token tuples.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from parsers.text import first_char_checked

__all__ = ["OrgEntry", "OrgMatch", "all_entries", "by_code", "by_domain", "find_in_text", "resolve"]


@dataclass(frozen=True)
class OrgEntry:
    kind: str  # "municipality" | "region" | "county_board" | "agency" | "other"
    code: str | None  # SCB kommunkod "2080", länskod "20", or None
    name: str  # canonical Swedish name
    aliases: tuple[str, ...]  # every written form accepted (short, genitive, abbreviations, "X stad")
    domains: tuple[str, ...]


@dataclass(frozen=True)
class OrgMatch:
    entry: OrgEntry
    start: int
    end: int  # span in the searched text
    matched: str  # the text as written
    score: float  # 100 exact (case and å/ä/ö aside); lower for fuzzy


# --------------------------------------------------------------------------- normalisation

# Folding for lookup: Swedish (and a few borrowed) letters to their bare forms, so "Rattvik" finds
# "Rättvik". Hyphens need nothing: words are runs of \w, so "Malung-Sälen" and "Malung Sälen" agree.
_FOLD = str.maketrans("åäöéèüæøáà", "aaoeeuaoaa")
_WORD = re.compile(r"\w+")
# E-mail and web addresses are no prose: "mikael.berg@hedemora.se" names a person and a domain, not
# organisations (domains are by_domain's business). Tested only for the few would-be matches, as a regex
# for addresses tried at every position of the text costs more than the whole search.
_CHUNK_END = re.compile(r"[^\s<>()\[\]\"']*")


def _in_address(low: str, s: int, e: int) -> bool:
    start = max(low.rfind(" ", 0, s), low.rfind("\n", 0, s), low.rfind("\t", 0, s), low.rfind("<", 0, s)) + 1
    end = _CHUNK_END.match(low, e).end()  # type: ignore[union-attr]  # * always matches
    chunk = low[start:end]
    return "@" in chunk or chunk.startswith(("www.", "http:", "https:"))


def _lower(text: str) -> str:
    """Lower-case without changing the length, so offsets in it are offsets in the text."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters (e.g. "İ") grow when lower-cased; keep those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _fold(text: str) -> str:
    """Lower-case and å/ä/ö → a/a/o."""
    return _lower(text).translate(_FOLD)


@lru_cache(maxsize=8192)
def _fold_word(word: str) -> str:
    """_fold for one already lower-cased word; most words are ASCII and cost one check."""
    return word if word.isascii() else word.translate(_FOLD)


def _key(text: str) -> tuple[str, ...]:
    """The token tuple a written name is looked up by."""
    return tuple(_WORD.findall(_fold(text)))


def _exact_form(text: str) -> str:
    """Case-insensitive but diacritic-sensitive form: tells "Håbo" from "Habo"."""
    return " ".join(_WORD.findall(_lower(text).replace("-", " ")))


# --------------------------------------------------------------------------- data


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A form with its cue word ("Falu kommun", "Region Dalarna") / a bare place name ("Falun") / an
# abbreviation that counts only as written ("SKR").
_STRONG, _BARE, _ABBR = 0, 1, 2

# Words that make a bare place name an organisation when they stand right before it ("från Falun",
# "kommunen i Leksand", "Kommun: Vara"). Folded forms.
_CUES = _wordset("fran i for kommun kommunen stad staden")
# Words right after a bare place name that make it something else ("Uppsala län", "Umeå universitet").
_BLOCK_AFTER = _wordset("lan lans universitet hogskola lasarett sjukhus energi hamn flygplats station")
# Capitalised words that are not first names, so a place name right after them still counts
# ("Anmälan Leksand", "Hälsningar Falun").
_NOT_NAMES = _wordset(
    "anmalan ang angaende avanmalan hej hejsan tack valkommen halsningar traff traffen re sv vb fw fwd "
    "dalalab och samt eller till med vi jag"
)
_KOMMUN_WORDS = ("kommun", "kommuns", "stad", "stads")
# Common words that stand before "kommun" and must never be read as a misspelt place name.
_FUZZY_STOP = _wordset(
    "var vara varje hela egen egna denna samma annan annat vilken vilka namnd aktuell aktuella berord "
    "berorda mindre storre svensk svenska varan varen deras hennes hans eran ingen nagon"
)


def _load() -> dict:
    raw = resources.files("parsers").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
    return json.loads(raw)


_DATA = _load()
SOURCE: str = _DATA["source"]


def _build_entry(item: dict) -> OrgEntry:
    forms: list[str] = []
    for form in (
        item.get("genitive"),
        item.get("short"),
        *item.get("aliases", ()),
        *item.get("abbreviations", ()),
    ):
        if form and form != item["name"] and form not in forms:
            forms.append(form)
    return OrgEntry(
        kind=item["kind"],
        code=item.get("code"),
        name=item["name"],
        aliases=tuple(forms),
        domains=tuple(d.lower() for d in item.get("domains", ())),
    )


_ENTRIES: tuple[OrgEntry, ...] = tuple(_build_entry(item) for item in _DATA["entries"])
_BY_CODE: dict[tuple[str, str], OrgEntry] = {(e.kind, e.code): e for e in _ENTRIES if e.code is not None}

# --- domains: a domain claimed by several organisations says nothing about which one wrote
_SHARED_DOMAINS: set[str] = {d.lower() for d in _DATA.get("shared_domains", ())}
_DOMAIN_OWNERS: dict[str, list[OrgEntry]] = {}
for _e in _ENTRIES:
    for _d in _e.domains:
        _DOMAIN_OWNERS.setdefault(_d, []).append(_e)
_BY_DOMAIN: dict[str, OrgEntry] = {}
for _d, _owners in _DOMAIN_OWNERS.items():
    if _d in _SHARED_DOMAINS:
        continue
    if len(_owners) == 1:
        _BY_DOMAIN[_d] = _owners[0]
    else:
        # gotland.se: Region Gotland *is* Gotland's municipality, and seats are counted per municipality.
        munis = [o for o in _owners if o.kind == "municipality"]
        if len(munis) == 1:
            _BY_DOMAIN[_d] = munis[0]
        else:
            _SHARED_DOMAINS.add(_d)


# --- the phrase table: token tuple → candidates (entry, form class, diacritic-exact form)
_Cand = tuple[OrgEntry, int, str]
_PHRASES: dict[tuple[str, ...], list[_Cand]] = {}
# name words a municipality may be written as before "kommun" (short, genitive, "Faluns"), for fuzzy typos
_MUNI_STEMS: dict[str, set[OrgEntry]] = {}
# Sets of id(entry): hashing a frozen dataclass hashes all its alias tuples, on the hot path.
_CUE_REQUIRED: set[int] = set()
_CAPITALISED_ONLY: set[int] = set()


def _add(form: str, entry: OrgEntry, cls: int) -> None:
    key = _key(form)
    if not key:
        return
    exact = form if cls == _ABBR else _exact_form(form)
    bucket = _PHRASES.setdefault(key, [])
    for i, (e, c, x) in enumerate(bucket):
        if e is entry and x == exact:
            if cls < c:  # keep the strongest class for a form
                bucket[i] = (e, cls, x)
            return
    bucket.append((entry, cls, exact))


for _item, _e in zip(_DATA["entries"], _ENTRIES, strict=True):
    if _item.get("cue_required"):
        _CUE_REQUIRED.add(id(_e))
    if _item.get("capitalised_only"):
        _CAPITALISED_ONLY.add(id(_e))
    if _e.kind == "municipality":
        short, gen = _item["short"], _item["genitive"]
        stems = {short, gen}
        if not short.endswith(("s", "x", "z")):
            stems.add(short + "s")  # "Faluns kommun", "Rättviks kommun" written from the short name
        for stem in stems:
            _MUNI_STEMS.setdefault(" ".join(_key(stem)), set()).add(_e)
            for word in _KOMMUN_WORDS:
                _add(f"{stem} {word}", _e, _STRONG)
        _add(short, _e, _BARE)
        for alias in _item.get("aliases", ()):
            if alias not in (short, gen):
                _add(alias, _e, _STRONG)
        _add(_e.name, _e, _STRONG)
    else:
        bare_cls = _BARE if id(_e) in _CAPITALISED_ONLY else _STRONG
        _add(_e.name, _e, bare_cls)
        for alias in _item.get("aliases", ()):
            _add(alias, _e, bare_cls)
        for abbr in _item.get("abbreviations", ()):
            _add(abbr, _e, _ABBR)

# longest phrase per first token, so each text position tries only lengths that can exist
_MAX_LEN: dict[str, int] = {}
for _k in _PHRASES:
    _MAX_LEN[_k[0]] = max(_MAX_LEN.get(_k[0], 0), len(_k))

_STEM_CHOICES: list[str] = sorted(_MUNI_STEMS)
_KOMMUN_TOKENS = frozenset({"kommun", "kommuns", "kommunen"})


def _trie_regex(words: set[str]) -> str:
    """One alternation shaped as a prefix tree: the regex engine rejects a word after a letter or two
    instead of trying ~800 names one by one."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return emit(trie)


# Only words that can begin a name (as written, with or without å/ä/ö) are visited in the text.
_FIRST_WORDS: set[str] = set(_MAX_LEN) | _KOMMUN_TOKENS
for _cands in _PHRASES.values():
    for _c in _cands:
        _FIRST_WORDS.update(_WORD.findall(_lower(_c[2]))[:1])
_CANDIDATE = re.compile(r"\b" + _trie_regex(_FIRST_WORDS) + r"\b")
_CANDIDATE = first_char_checked(_CANDIDATE)  # speed only: same matches
# The next word of a multi-word name: across spaces and hyphens, not across punctuation.
_FOLLOW = re.compile(r"[\s\-\u2010\u2011\u2013]+(\w+)")


def _needs_capital(cand: _Cand) -> bool:
    entry, cls, _ = cand
    return cls == _ABBR or id(entry) in _CUE_REQUIRED or id(entry) in _CAPITALISED_ONLY


# First words that begin nothing but names that must be capitalised ("vara", "mark", "lund", "rise"):
# in lower case they are ordinary words and are passed over at once.
_CAPITAL_FIRST: set[str] = {first for first in _MAX_LEN}
for _k, _cands in _PHRASES.items():
    if not all(_needs_capital(_c) for _c in _cands):
        _CAPITAL_FIRST.discard(_k[0])


def _known(word: str) -> bool:
    """A capitalised word that is no first name or surname: a cue, a greeting, a name we know."""
    w = _fold_word(word)
    return w in _CUES or w in _NOT_NAMES or w in _MAX_LEN or w in _KOMMUN_TOKENS


def _prev_word(low: str, pos: int) -> tuple[int, int] | None:
    """Span of the word before `pos`, if one is within a short gap."""
    i = pos
    while i > 0 and pos - i < 40 and not (low[i - 1].isalnum() or low[i - 1] == "_"):
        i -= 1
    if i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_"):
        return None
    j = i
    while j > 0 and (low[j - 1].isalnum() or low[j - 1] == "_"):
        j -= 1
    return j, i


def _bare_ok(text: str, low: str, s: int, e: int, entry: OrgEntry) -> bool:
    """A place name without "kommun" counts only in the company of a cue, or capitalised and alone."""
    nxt = _WORD.search(low, e)
    next_gap = low[e : nxt.start()] if nxt is not None else ""
    if nxt is not None and not next_gap.strip() and _fold_word(nxt.group()) in _BLOCK_AFTER:
        return False  # "Uppsala län", "Umeå universitet"
    prev = _prev_word(low, s)
    prev_gap = low[prev[1] : s] if prev is not None else ""
    cue = prev is not None and _fold_word(low[prev[0] : prev[1]]) in _CUES and prev_gap.strip() in ("", ":")
    capitalised = text[s].isupper()
    if id(entry) in _CUE_REQUIRED:
        # "Ale", "Vara", "Berg", "Lund": also words or surnames; only "från Lund", "i Vara"
        return cue and capitalised
    if not capitalised:
        return cue and id(entry) not in _CAPITALISED_ONLY
    if cue:
        return True
    # Not part of a person's name: "Anna Falkenberg", and "Falkenberg Anna" as Outlook shows senders.
    if (
        prev is not None
        and text[prev[0]].isupper()
        and prev_gap in (" ", "\t")
        and not _known(low[prev[0] : prev[1]])
    ):
        return False
    return not (
        nxt is not None
        and text[nxt.start()].isupper()
        and next_gap in (" ", "\t")
        and not _known(nxt.group())
    )


# --- resolve(): every accepted written form, folded and joined, for exact and fuzzy lookup
_RESOLVE: dict[str, list[_Cand]] = {}
for _k, _cands in _PHRASES.items():
    _RESOLVE.setdefault(" ".join(_k), []).extend(_cands)
for _item, _e in zip(_DATA["entries"], _ENTRIES, strict=True):
    if _e.kind == "municipality" and _item["genitive"] != _item["short"]:
        # "Falu", "Leksands": accepted as a whole written name, never alone in running text
        _RESOLVE.setdefault(" ".join(_key(_item["genitive"])), []).append(
            (_e, _STRONG, _exact_form(_item["genitive"]))
        )
_RESOLVE_CHOICES: list[str] = sorted(_RESOLVE)

del _item, _e, _k, _cands, _c, _d, _owners


# --------------------------------------------------------------------------- public API


def all_entries() -> tuple[OrgEntry, ...]:
    """Every organisation known, municipalities first (in SCB code order)."""
    return _ENTRIES


def by_code(kind: str, code: str) -> OrgEntry | None:
    """The organisation of this kind with this SCB code ("municipality", "2080"; "region", "20")."""
    return _BY_CODE.get((kind, code))


def by_domain(domain_or_address: str) -> OrgEntry | None:
    """The organisation owning a mail domain or address; None for shared domains and unknown ones."""
    text = domain_or_address.strip().strip("<>").strip()
    domain = text.rpartition("@")[2].strip().strip(">").rstrip(".").lower()
    labels = [label for label in domain.split(".") if label]
    # Walk up from subdomains ("mail.falun.se" → "falun.se") but never to a bare TLD.
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in _SHARED_DOMAINS:
            return None
        entry = _BY_DOMAIN.get(candidate)
        if entry is not None:
            return entry
    return None


def _pick(cands: list[_Cand], written: str) -> _Cand | None:
    """One candidate for a folded key, or None when å/ä/ö would be needed to choose and are missing."""
    if len(cands) == 1:
        return cands[0]
    if len({id(c[0]) for c in cands}) == 1:
        return min(cands, key=lambda c: c[1])
    exact = _exact_form(written)
    hits = [c for c in cands if c[1] != _ABBR and c[2] == exact]
    if len({id(c[0]) for c in hits}) == 1:
        return hits[0]
    return None


def resolve(name: str) -> OrgEntry | None:
    """The organisation one written name means ("Falu kommun", "falun", "Länsstyrelsen Dalarna", "SKR").

    Typos are forgiven ("Hedemroa kommun"), but when two organisations are about equally close the answer
    is None: a wrong municipality would take someone else's seat.
    """
    key = " ".join(_key(name))
    if not key:
        return None
    cands = _RESOLVE.get(key)
    if cands:
        picked = _pick(cands, name)
        return picked[0] if picked else None
    # A name with words around it: "kommunen i Leksand", "Kommun: Falun", "Falu kommun, Kultur".
    mentioned = {id(m.entry): m.entry for m in find_in_text(name)}
    if len(mentioned) == 1:
        return next(iter(mentioned.values()))
    if len(mentioned) > 1:
        return None
    if len(key.replace(" ", "")) < 4:
        return None  # too short to guess from
    hits = process.extract(key, _RESOLVE_CHOICES, scorer=fuzz.ratio, score_cutoff=80, limit=12)
    best: dict[int, tuple[float, OrgEntry]] = {}
    for choice, score, _ in hits:
        for entry, _cls, _x in _RESOLVE[choice]:
            if score > best.get(id(entry), (0.0, entry))[0]:
                best[id(entry)] = (score, entry)
    ranked = sorted(best.values(), key=lambda t: -t[0])
    if not ranked or ranked[0][0] < 85:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < 4:
        return None  # refuse to guess between two close candidates
    return ranked[0][1]


def _fuzzy_stem(word: str) -> tuple[OrgEntry, float] | None:
    """A municipality for a misspelt name word next to "kommun" ("Hedemroa"), if exactly one is close."""
    if len(word) < 5 or word in _FUZZY_STOP:
        return None
    limit = 1 if len(word) < 8 else 2
    hits = process.extract(word, _STEM_CHOICES, scorer=OSA.distance, score_cutoff=limit, limit=8)
    if not hits:
        return None
    best = min(h[1] for h in hits)
    entries = {e for h in hits if h[1] == best for e in _MUNI_STEMS[h[0]]}
    if len(entries) != 1:
        return None
    top = next(h[0] for h in hits if h[1] == best)
    return next(iter(entries)), round(fuzz.ratio(word, top), 1)


def find_in_text(text: str) -> list[OrgMatch]:
    """Every organisation mentioned in free text: in order, non-overlapping, longest match first."""
    low = _lower(text)
    addresses = "@" in low or "www." in low or "://" in low
    found: list[tuple[int, int, OrgEntry, float]] = []  # (start, end, entry, score)
    kommun_at: list[tuple[int, int, str]] = []

    for m in _CANDIDATE.finditer(low):
        s, e = m.span()
        first = m.group()
        if not first.isascii():
            first = _fold_word(first)
        if first in _KOMMUN_TOKENS:
            kommun_at.append((s, e, first))
            continue
        longest = _MAX_LEN.get(first, 0)
        if not longest or (first in _CAPITAL_FIRST and not text[s].isupper()):
            continue
        spans = [(s, e)]
        words = [first]
        pos = e
        while len(words) < longest:
            m2 = _FOLLOW.match(low, pos)
            if m2 is None:
                break
            pos = m2.end()
            spans.append((m2.start(1), pos))
            word = m2.group(1)
            words.append(word if word.isascii() else _fold_word(word))
        for length in range(len(words), 0, -1):
            cands = _PHRASES.get(tuple(words[:length]))
            if not cands:
                continue
            end = spans[length - 1][1]
            written = text[s:end]
            picked = _pick(cands, written)
            if picked is None:
                continue
            entry, cls, _ = picked
            if id(entry) in _CUE_REQUIRED and not text[s].isupper():
                continue  # "vara kommun" in "det ska vara kommun..." is no place
            if cls == _ABBR:
                # "SKR", "MSB" are organisations only in capitals; "rise", "hav" are words
                alts = [c[0] for c in cands if c[1] == _ABBR and c[2] == written]
                if not alts:
                    continue
                entry = alts[0]
            elif cls == _BARE and not _bare_ok(text, low, s, end, entry):
                continue
            if addresses and _in_address(low, s, end):
                break
            found.append((s, end, entry, 100.0))
            break

    # Typos next to "kommun": "Hedemroa kommun", "kommunen i Hedemroa", "Kommun: Smedjebaken".
    covered = bytearray(len(low))
    for a, b, _, _ in found:
        covered[a:b] = b"\x01" * (b - a)
    for s, e, word in kommun_at:
        if covered.find(1, s, e) != -1:
            continue
        spots: list[tuple[int, int, int, int]] = []  # (word start, word end, span start, span end)
        if word != "kommunen":
            prev = _prev_word(low, s)
            if prev is not None and not low[prev[1] : s].strip():
                spots.append((prev[0], prev[1], prev[0], e))
        nxt = _WORD.search(low, e)
        if nxt is not None and low[e : nxt.start()].strip() in ("", ":"):
            if word == "kommunen" and nxt.group() == "i":
                nxt = _WORD.search(low, nxt.end())
            if nxt is not None:
                spots.append((nxt.start(), nxt.end(), nxt.start(), nxt.end()))
        for ws, we, a, b in spots:
            if not text[ws].isupper() or covered.find(1, ws, we) != -1:
                continue
            hit = _fuzzy_stem(_fold_word(low[ws:we]))
            if hit is not None and not (addresses and _in_address(low, a, b)):
                found.append((a, b, hit[0], hit[1]))
                break

    # Longest first, then leftmost; drop anything overlapping a match already kept.
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    kept: list[tuple[int, int, OrgEntry, float]] = []
    taken = bytearray(len(low))
    for f in found:
        if taken.find(1, f[0], f[1]) == -1:
            taken[f[0] : f[1]] = b"\x01" * (f[1] - f[0])
            kept.append(f)
    kept.sort(key=lambda f: f[0])
    return [OrgMatch(entry=en, start=a, end=b, matched=text[a:b], score=sc) for a, b, en, sc in kept]
