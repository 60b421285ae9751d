"""Words as people type them: lexicon words with one typo ("alergier", "vegitarian", "anmläan") made whole.

The rules downstream match exact word forms; this runs once over the new text and rewrites a word
that is one edit (Damerau/OSA: a swap counts as one) from a lexicon word and is not itself a word
of the lexicon. Names and other capitalised words inside a sentence are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Food and request words whose misspelling changes what is read; each in the forms people write.
_WORDS = [
    "allergi",
    "allergier",
    "allergisk",
    "allergiker",
    "allergiska",
    "intolerant",
    "laktosintolerant",
    "specialkost",
    "kostönskemål",
    "vegetarian",
    "vegetarisk",
    "vegetariskt",
    "vegetarianer",
    "vegansk",
    "veganskt",
    "glutenfri",
    "glutenfritt",
    "glutenfria",
    "laktosfri",
    "laktosfritt",
    "laktosfria",
    "nötallergi",
    "skaldjur",
    "skaldjursallergi",
    "celiaki",
    "fläskkött",
    "griskött",
    "anmäla",
    "anmäler",
    "anmälan",
    "anmält",
    "anmälde",
    "avanmäla",
    "avanmäler",
    "avanmälan",
    "återbud",
    "ersättare",
    "efterträdare",
    "deltaga",
    "deltar",
    "delta",
]
_LEXICON = frozenset(_WORDS)
_WORD = re.compile(r"(?<![\w@.-])([a-zåäöéA-ZÅÄÖÉ][a-zåäöé]{5,})(?![\w@-]|\.\w)")
# Correct words whose first letter a lexicon word shares; others cannot be one edit away often enough.
_INITIALS = frozenset(w[0] for w in _WORDS)


@lru_cache(maxsize=4096)
def _correction(word: str) -> str | None:
    low = word.lower()
    if low in _LEXICON or low[0] not in _INITIALS:
        return None
    best = process.extractOne(low, _WORDS, scorer=OSA.distance, score_cutoff=1)
    if best is None:
        return None
    fixed = best[0]
    # another ending of a lexicon word ("allergiska", "anmäld") is an inflection, not a typo
    shared = next(
        (i for i, (a, b) in enumerate(zip(low, fixed, strict=False)) if a != b), min(len(low), len(fixed))
    )
    if shared >= min(len(low), len(fixed)) - 1:
        return None
    return fixed.capitalize() if word[0].isupper() else fixed


# Spoken Swedish as some write it ("ja å Per kömmer", "ja ä planerare", "hinner int me", "he passar bra"): the
# written form of each word. Read only in a text that shows two different spoken forms no written Swedish or
# English has ("int", "å" and "ä" as words, "ja" before a verb, "ät", "kömmer"), so "ja" as yes, "me" or "he"
# in an English mail and a single slip stay as they are.
_SPOKEN = {
    "int": "inte",
    "å": "och",
    "ä": "är",
    "e": "är",
    "ja": "jag",
    "me": "med",
    "he": "det",
    "dom": "de",
    "mej": "mig",
    "dej": "dig",
    "sej": "sig",
    "nån": "någon",
    "nåt": "något",
    "ät": "äter",
    "kömmer": "kommer",
    "mycke": "mycket",
}
_SPOKEN_WORD = re.compile(
    r"(?<![\w@.-])(int|å|ä|e|me|he|dom|mej|dej|sej|nån|nåt|ät|kömmer|mycke|ja(?=\s+[a-zåäö]))(?![\w@-])", re.I
)
_SPOKEN_ONLY = frozenset({"int", "å", "ä", "ja", "ät", "kömmer"})
_SPOKEN_GATE = (" int ", " å ", " ä ", "ja ", " ät ", "kömmer")


def spoken(text: str) -> str:
    """Spoken Swedish forms written out when the text is written so; otherwise the text unchanged."""
    low = text.lower()
    if sum(marker in low for marker in _SPOKEN_GATE) < 2:
        return text
    if len({m.lower() for m in _SPOKEN_WORD.findall(text)} & _SPOKEN_ONLY) < 2:
        return text

    def written(match: re.Match[str]) -> str:
        word = match.group(1)
        out = _SPOKEN[word.lower()]
        return out.capitalize() if word[0].isupper() else out

    return _SPOKEN_WORD.sub(written, text)


def correct(text: str) -> str:
    """The text with one-typo lexicon words spelt right; everything else unchanged, same line structure."""
    text = spoken(text)

    # most texts have no typo in a lexicon word: look at each distinct word once before rewriting anything
    if not any(_correction(word) for word in set(_WORD.findall(text))):
        return text

    def fix(match: re.Match[str]) -> str:
        word = match.group(1)
        fixed = _correction(word)
        return fixed if fixed is not None else word

    return _WORD.sub(fix, text)
