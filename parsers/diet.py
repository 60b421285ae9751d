"""Food needs from Swedish and English wording, with negation ("inga allergier" → [], "äter inte fisk" → fish)."""

from __future__ import annotations

import re
from functools import lru_cache

from parsers.models import Diet
from parsers.text import Cue

# Order matters only for reading; each pattern adds its category independently. The words after each
# pattern are its gate: every match contains one of them (see text.Cue).
_PATTERNS: tuple[tuple[Diet, str, str], ...] = (
    ("vegan", r"\bvegan\w*|\bväxtbaserad\w*|\bplant[- ]based", "vegan|växtbaserad|plant"),
    (
        "vegetarian",
        r"\bveg[ei]tari\w*|\bvegetarisk\w*|\bveggie|\blakto-?ovo|\bköttfri\w*"
        r"|\b(?:äter|äta)\s+(?:inte|ej|inget)\s+kött|\bno meat\b|\bdon'?t eat meat",
        "vegetari|vegitari|veggie|lakto|kött|meat",
    ),
    ("gluten", r"\bgluten\w*|\bceliaki\w*|\bcoeliaki\w*|\bc[o]?eliac\w*", "gluten|eliaki|eliac"),
    (
        "lactose",
        r"\blaktos\w*|\blactose\w*|\bmjölkfri\w*|\bmjölkprotein\w*|\bmjölkallergi\w*|\bmjölkprodukt\w*|\bmjölk\b|\bdairy",
        "laktos|lactose|mjölk|dairy",
    ),
    (
        "nuts",
        r"\bnöt\w*|\bjordnöt\w*|\bnuts?\b|\bpeanuts?\b|\bmandl\w*|\bmandel\w*|\bhasselnöt\w*",
        "nöt|nut|mandl|mandel",
    ),
    (
        "shellfish",
        r"\bskaldjur\w*|\bshellfish|\bräkor\b|\bkräft\w*|\bmusslor\b|\bhummer\b|\bcrustacean",
        "skaldjur|shellfish|räkor|kräft|musslor|hummer|crustacean",
    ),
    ("fish", r"\bfisk(?!e)\w*|\bfish\b", "fisk|fish"),
    ("egg", r"\bägg\b|\bägget\b|\bäggfri\w*|\bäggallergi\w*|\beggs?\b", "ägg|egg"),
    ("pork", r"\bfläsk\w*|\bgris\w*|\bpork\b|\bbacon\b", "fläsk|gris|pork|bacon"),
    (
        "other",
        r"\bselleri\w*|\bcelery\b|\bsenap\w*|\bmustard\b|\bsesam\w*|\bsoja\w*|\bsoy\w*|\bhalal\b"
        r"|\bkosher\b|fodmap\b|\bdiabet\w*|\blupin\w*|\bsulfit\w*|\bfrukt\w*|\bbaljväxt\w*",
        "selleri|celery|senap|mustard|sesam|soja|soy|halal|kosher|fodmap|diabet|lupin|sulfit|frukt|baljväxt",
    ),
)
_CATEGORIES: tuple[tuple[Diet, Cue], ...] = tuple((d, Cue(p, words)) for d, p, words in _PATTERNS)
# Being vegetarian is negated by "inte"; a food after "inte" ("äter inte fisk") is what to avoid.
_NOT_DIET = Cue(
    r"\b(?:inte|ej|not|no longer)\s+(?:längre\s+)?(?:vegetarian|vegan|veg[ei]tarisk)",
    "vegetarian|vegan|vegetarisk|vegitarisk",
)
_ALLERGY = re.compile(
    r"\ballergi\w*|\ballergisk\w*|\bintoleran\w*|\bspecialkost\b|\btål inte\b|\ballergic", re.I
)
_NONE = Cue(
    r"\b(?:inga|inte\s+några|ingen|utan|inget|inte\s+någon)\s+(?:\w+\s+){0,4}?"
    r"(?:allergi\w*|specialkost\w*|kost\w*|matallergi\w*|matpreferens\w*|önskemål\w*|behov|födoämnes\w*|speciell\w*)"
    r"|\bäter\s+(?:jag\s+|vi\s+|hon\s+|han\s+)?allt\b|\bäter\s+vanlig\s+(?:mat|kost)\b|\bnormalkost\b|\bäter\s+det\s+mesta\b|\bno\s+(?:special\s+)?(?:dietary|diet|food|allergies)"
    r"|\bnot\s+any\s+allergies|\bno\s+allerg",
    "allerg|kost|matpreferens|önskemål|behov|födoämnes|speciell|äter|diet|food",
)
# Most clauses say nothing about food: one literal scan (every category, "inga", "äter", "no", "allerg")
# decides that before any pattern runs.
_ANY = Cue(
    "|".join(
        [p for _, p, _ in _PATTERNS] + [r"inga|inte\s+några|ingen|utan|inget|inte\s+någon|äter|\bno\b|allerg"]
    ),
    "|".join([words for _, _, words in _PATTERNS] + ["inga|inte|ingen|utan|inget|äter|no|allerg"]),
)
_UNKNOWN_ALLERGEN = Cue(
    r"\ballergisk\s+(?:mot|för)\s+(\w+)|\ballergic\s+to\s+(\w+)|\b\w{3,}allergi\b", "allergi"
)


# "inte X utan Y", a correction of which food need it is
_NOT_BUT = re.compile(r"\b(?:inte|ej)\b(.{1,60}?)\butan\b(.+)", re.I | re.S)


def _categories(text: str) -> bool:
    low = text.lower()
    return any(pattern.search(text, low) for _, pattern in _CATEGORIES)


def diet_in(text: str) -> list[Diet] | None:
    """Categories named in a clause; [] when it says there are none; None when it says nothing."""
    found = _diet_in(text)
    return None if found is None else list(found)


@lru_cache(maxsize=2048)
def _diet_in(text: str) -> tuple[Diet, ...] | None:
    # the food rules and the evidence accounting ask about the same clauses
    low = text.lower()
    if not _ANY.hit(text, low):
        return None  # most clauses say nothing about food: one literal scan instead of a dozen patterns
    found: list[Diet] = []
    if _NOT_DIET.hit(text, low):
        cleaned = _NOT_DIET.pattern.sub(" ", text)
        low = cleaned.lower()
    else:
        cleaned = text
    contrast = _NOT_BUT.search(cleaned) if " utan " in low else None
    if contrast and _categories(contrast.group(1)) and _categories(contrast.group(2)):
        # "det är inte laktos jag inte tål utan gluten": the need is the one after "utan"
        cleaned = contrast.group(2)
        low = cleaned.lower()
    for diet, pattern in _CATEGORIES:
        if pattern.search(cleaned, low):
            found.append(diet)
    if "vegan" in found and "vegetarian" in found:
        found.remove("vegetarian")
    if found:
        return tuple(found)
    if _NONE.search(text):
        return ()
    if _UNKNOWN_ALLERGEN.search(text):
        return ("other",)
    return None


def mentions_food(text: str) -> bool:
    """Does the clause talk about food needs at all (for attributing it to a person)?"""
    return diet_in(text) is not None or bool(_ALLERGY.search(text))
