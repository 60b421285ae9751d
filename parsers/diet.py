"""Food needs from Swedish and English wording, with negation ("inga allergier" → [], "äter inte fisk" → fish)."""

from __future__ import annotations

import re

from parsers.models import Diet

# Order matters only for reading; each pattern adds its category independently.
_PATTERNS: tuple[tuple[Diet, str], ...] = (
    ("vegan", r"\bvegan\w*|\bväxtbaserad\w*|\bplant[- ]based"),
    (
        "vegetarian",
        r"\bveg[ei]tari\w*|\bvegetarisk\w*|\bveggie|\blakto-?ovo|\bköttfri\w*"
        r"|\b(?:äter|äta)\s+(?:inte|ej|inget)\s+kött|\bno meat\b|\bdon'?t eat meat",
    ),
    ("gluten", r"\bgluten\w*|\bceliaki\w*|\bcoeliaki\w*|\bc[o]?eliac\w*"),
    ("lactose", r"\blaktos\w*|\blactose\w*|\bmjölkfri\w*|\bmjölkprotein\w*|\bmjölkallergi\w*|\bdairy"),
    ("nuts", r"\bnöt\w*|\bjordnöt\w*|\bnuts?\b|\bpeanuts?\b|\bmandl\w*|\bmandel\w*|\bhasselnöt\w*"),
    ("shellfish", r"\bskaldjur\w*|\bshellfish|\bräkor\b|\bkräft\w*|\bmusslor\b|\bhummer\b|\bcrustacean"),
    ("fish", r"\bfisk(?!e)\w*|\bfish\b"),
    ("egg", r"\bägg\b|\bägget\b|\bäggfri\w*|\bäggallergi\w*|\beggs?\b"),
    ("pork", r"\bfläsk\w*|\bgris\w*|\bpork\b|\bbacon\b"),
    (
        "other",
        r"\bselleri\w*|\bcelery\b|\bsenap\w*|\bmustard\b|\bsesam\w*|\bsoja\w*|\bsoy\w*|\bhalal\b"
        r"|\bkosher\b|\bfodmap\b|\bdiabet\w*|\blupin\w*|\bsulfit\w*|\bfrukt\w*|\bbaljväxt\w*",
    ),
)
_CATEGORIES: tuple[tuple[Diet, re.Pattern[str]], ...] = tuple((d, re.compile(p, re.I)) for d, p in _PATTERNS)
# Being vegetarian is negated by "inte"; a food after "inte" ("äter inte fisk") is what to avoid.
_NOT_DIET = re.compile(
    r"\b(?:inte|ej|not|no longer)\s+(?:längre\s+)?(?:vegetarian|vegan|veg[ei]tarisk)", re.I
)
_ALLERGY = re.compile(
    r"\ballergi\w*|\ballergisk\w*|\bintoleran\w*|\bspecialkost\b|\btål inte\b|\ballergic", re.I
)
_NONE = re.compile(
    r"\b(?:inga|inte\s+några|ingen|utan|inget|inte\s+någon)\s+(?:\w+\s+){0,4}?"
    r"(?:allergi\w*|specialkost\w*|kost\w*|matallergi\w*|matpreferens\w*|önskemål\w*|behov|födoämnes\w*|speciell\w*)"
    r"|\bäter\s+allt\b|\bäter\s+det\s+mesta\b|\bno\s+(?:special\s+)?(?:dietary|diet|food|allergies)"
    r"|\bnot\s+any\s+allergies|\bno\s+allerg",
    re.I,
)
_ANY = re.compile(
    "|".join(
        [p for _, p in _PATTERNS] + [r"inga|inte\s+några|ingen|utan|inget|inte\s+någon|äter|\bno\b|allerg"]
    ),
    re.I,
)
_UNKNOWN_ALLERGEN = re.compile(r"\ballergisk\s+(?:mot|för)\s+(\w+)|\ballergic\s+to\s+(\w+)", re.I)


def diet_in(text: str) -> list[Diet] | None:
    """Categories named in a clause; [] when it says there are none; None when it says nothing."""
    if not _ANY.search(text):
        return None  # most clauses say nothing about food: one search instead of a dozen
    found: list[Diet] = []
    cleaned = _NOT_DIET.sub(" ", text)
    for diet, pattern in _CATEGORIES:
        if pattern.search(cleaned):
            found.append(diet)
    if "vegan" in found and "vegetarian" in found:
        found.remove("vegetarian")
    if found:
        return found
    if _NONE.search(text):
        return []
    if _UNKNOWN_ALLERGEN.search(text) or re.search(r"\b\w{3,}allergi\b", text, re.I):
        return ["other"]
    return None


def mentions_food(text: str) -> bool:
    """Does the clause talk about food needs at all (for attributing it to a person)?"""
    return diet_in(text) is not None or bool(_ALLERGY.search(text))
