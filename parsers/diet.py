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
        r"\bveg[ei]tari\w*|\bvegetarisk\w*|\bveggie|\bvego\b|\blakto-?ovo|\bköttfri\w*"
        # "veg" alone is a form's short answer: "Kost: veg"
        r"|\bkost\w*\s*:\s*veg\b"
        r"|\b(?:äter|äta)\s+(?:inte|ej|inget)\s+kött|\bno meat\b|\bdon'?t eat meat",
        "vegetari|vegitari|veggie|vego|veg|lakto|kött|meat",
    ),
    ("gluten", r"\bgluten\w*|\bceliaki\w*|\bcoeliaki\w*|\bc[o]?eliac\w*", "gluten|eliaki|eliac"),
    (
        "lactose",
        r"\blaktos\w*|\blactose\w*|\bmjölkfri\w*|\bmjölkprotein\w*|\bmjölkallergi\w*|\bmjölkprodukt\w*|\bmjölk\b|\bdairy",
        "laktos|lactose|mjölk|dairy",
    ),
    (
        "nuts",
        r"\bnöt(?!kött|färs|stek|fär|köttsfärs|biff)\w*|\bjordnöt\w*|\bnuts?\b|\bpeanuts?\b|\bmandl\w*|\bmandel\w*|\bhasselnöt\w*"
        # any nut by its kind: "paranötter", "cashewnötter", "valnötsallergi"
        r"|\b\w+nötter\w*|\b\w+nöts?allergi\w*",
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
    r"(?:allergi\w*|specialkost\w*|kost\w*|matallergi\w*|matpreferens\w*|önskemål\w*|behov|födoämnes\w*|speciell\w*"
    # the family of "restrictions" and "intolerances", alone or compounded: "inga matrestriktioner",
    # "inga kostbegränsningar", "inga födoämnesintoleranser"
    r"|(?:mat|kost|special)(?:restriktion\w*|begränsning\w*)|(?:mat|kost|födoämnes)?(?:intoleran\w*|överkänslighet\w*))"
    r"|\bäter\s+(?:jag\s+|vi\s+|hon\s+|han\s+)?(?:(?:nästan|precis)\s+)?(?:allt|det\s+mesta)\b"
    r"|\beats?\s+(?:almost\s+|pretty\s+much\s+)?(?:anything|everything|most\s+things)\b|\bäter\s+vanlig\s+(?:mat|kost)\b|\bnormalkost\b|\bäter\s+det\s+mesta\b|\bno\s+(?:special\s+)?(?:dietary|diet|food|allergies|intolerances)"
    r"|\bnot\s+any\s+allergies|\bno\s+allerg"
    # a field left with a plain no: "Specialkost: ingen", "Allergier: nej"
    r"|\b(?:special)?kost(?:en|behov|önskemål|preferens\w*|avvikelse\w*|restriktion\w*|allergi\w*)?\s*:\s*"
    r"(?:ingen|inga|inget|nej|no|none|normal|vanlig)\b"
    r"|\ballergi\w*\s*:\s*(?:ingen|inga|inget|nej|no|none)\b",
    "allerg|kost|matpreferens|önskemål|behov|födoämnes|speciell|äter|diet|food|eat|restrikt|begränsning|intoleran"
    "|överkänslighet",
)
# Most clauses say nothing about food: one literal scan (every category, "inga", "äter", "no", "allerg")
# decides that before any pattern runs.
_ANY = Cue(
    "|".join(
        [p for _, p, _ in _PATTERNS]
        + [
            r"inga|inte\s+några|ingen|utan|inget|inte\s+någon|äter|\bno\b|allerg|tål|eat|intoleran|överkänslig"
            r"|kost\w*\s*:"
        ]
    ),
    "|".join(
        [words for _, _, words in _PATTERNS]
        + ["inga|inte|ingen|utan|inget|äter|no|allerg|tål|eat|intoleran|överkänslig|kost"]
    ),
)
_UNKNOWN_ALLERGEN = Cue(
    r"\ballergi(?:sk)?\s+(?:mot|för)\s+(\w+)|\ballergic\s+to\s+(\w+)|\b\w{3,}allergi\b", "allergi"
)
# A food to avoid, however it is named: "tål inte svamp", "äter inte lök eller paprika", "allergisk mot kiwi",
# "can't eat mushrooms". What follows is read part by part; a part no category names is `other`.
_AVOIDS = Cue(
    r"\b(?:tål|tåler|äter|dricker)\s+(?:jag\s+|vi\s+|hon\s+|han\s+)?(?:inte|ej|aldrig)\s+(?P<sv>[^.;:!?()\n]+)"
    r"|\b(?:kan|får|can)\s+(?:jag\s+|vi\s+|hon\s+|han\s+)?(?:tyvärr\s+)?(?:inte|ej)\s+äta\s+(?P<sv3>[^.;:!?()\n]+)"
    r"|\b(?:allergi|allergisk\w*|överkänslig\w*|intolerant|intolerans)\s+(?:mot|för)\s+(?P<sv2>[^.;:!?()\n]+)"
    r"|\b(?:can'?t|cannot|don'?t|do\s+not)\s+eat\s+(?P<en>[^.;:!?()\n]+)|\ballergic\s+to\s+(?P<en2>[^.;:!?()\n]+)"
    # the food put first: "Nötkött och svamp äter jag inte", "lök tål hon inte"
    r"|(?:^|[,:]\s*)(?P<sv4>[^.;:!?()\n,]+(?:,[^.;:!?()\n,]+)*?)\s+(?:tål|tåler|äter|dricker)\s+(?:jag|vi|hon|han)\s+"
    r"(?:inte|ej|aldrig)\b"
    # a subordinate clause puts the negation first: "förutom att jag inte äter svamp"
    r"|\b(?:jag|vi|hon|han)\s+(?:inte|ej|aldrig)\s+(?:tål|tåler|äter|dricker)\s+(?P<sv5>[^.;:!?()\n]+)",
    "tål|äter|äta|dricker|allergi|överkänslig|intoleran|eat|allergic",
)
_FOOD_PARTS = re.compile(r"\s*(?:,|\boch\b|\beller\b|\bsamt\b|\bor\b|\band\b|\bnor\b|&|/)\s*", re.I)
# Words that open no food name: what follows the negation is not a food ("äter inte så mycket", "tål inte
# heller", "äter inte kött längre" is read by the categories), or a new clause begins ("och jag ...")
_NOT_FOOD_WORDS = (
    "jag vi han hon de den det man mig oss dem är har kan vill ska blir heller längre alls så mycket riktigt"
    " gärna bara något några någon allt alla mer mat maten heller ens spår lunch middag frukost kaffe"
    " i it any anything much i'm we he she they is are have the a an at all men utan så eftersom för om när då"
    " but so since because if when kommer deltar vill ska har blir går tar äter tål dricker behöver önskar"
    " come will would på med hos där tillsammans efter innan före under with on after before som du ni dock"
    " tyvärr which as you annars förutom utöver otherwise else apart except"
)
_NOT_FOOD = frozenset(_NOT_FOOD_WORDS.split())
# What one may be allergic to that is not served: "allergisk mot pollen", "tål inte parfym"
_NON_FOOD = re.compile(
    r"(?:pollen|pälsdjur|katt|hund|häst|kvalster|damm|parfym|doft|björk|gräs|penicillin|latex|geting|bi(?:n|stick)?$)"
)
# A compound allergy that is no food ("pollenallergi", "pälsdjursallergi") says nothing about the meal
_NON_FOOD_ALLERGY = re.compile(
    r"\b(?:pollen|pälsdjur|katt|hund|häst|kvalster|damm|parfym|doft|björk|gräs)\w*allergi", re.I
)

# A food said to be fine is no need: "Mjölk går bra", "fisk funkar fint", "nuts are fine", "ägg är inga problem";
# "laktosfritt går bra" is a need, not a food that is fine
_NOT_FREE = r"\b(?![\wåäö-]*(?:fri|fritt|fria|free)\s)[\wåäö-]+\s+"
_FOOD_FINE = Cue(
    rf"{_NOT_FREE}(?:går|funkar|fungerar)\s+(?!inte\b|ej\b)(?:\w+\s+)?(?:bra|fint)\b"
    rf"|{_NOT_FREE}(?:är|is|are)\s+(?:inga?|inget|no)\s+problem\w*"
    rf"|{_NOT_FREE}(?:is|are)\s+(?:fine|ok|okay)\b",
    "går|funkar|fungerar|problem|fine|ok",
)
# A food someone eats is no need: "äter fisk men inte kött" names no fish allergy (the evidence accounting
# flags the clause for a person to read instead)
_EATS = Cue(
    r"\b(?:äter|eats?)\s+(?:gärna\s+|bara\s+|endast\s+|också\s+|även\s+|only\s+)?"
    r"(?:fisk|skaldjur|ägg|fish|seafood|eggs?)\b",
    "äter|eat",
)
# What our record or confirmation says, quoted: "det står \"Specialkost: ingen\"", "it says 'vegetarian'"
_QUOTES_RECORD = Cue(
    r"\b(står|says|anges|angett|angivet|skrivet|listed)\s+(?:det\s+|jag\s+|att\s+)?"
    r"[\"“”«'‘’][^\"“”»'‘’]{1,60}[\"“”»'‘’]",
    "står|says|anges|angett|angivet|skrivet|listed",
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
    if _QUOTES_RECORD.hit(cleaned, low):
        # "det står \"Specialkost: ingen\" för mig": the old record quoted, no need stated
        cleaned = _QUOTES_RECORD.pattern.sub(r"\1", cleaned)
        low = cleaned.lower()
    if _EATS.hit(cleaned, low):
        cleaned = _EATS.pattern.sub(" ", cleaned)
        low = cleaned.lower()
    if _FOOD_FINE.hit(cleaned, low):
        cleaned = _FOOD_FINE.pattern.sub(" ", cleaned)
        low = cleaned.lower()
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
    if found and "other" not in found and _avoids_unknown_food(cleaned):
        found.append("other")  # "vegetarian och tål inte svamp": the mushrooms are a need of their own
    if found:
        return tuple(found)
    if _NONE.search(cleaned):
        # "Inga matrestriktioner förutom att jag inte äter svamp": the exception is a need
        return ("other",) if _avoids_unknown_food(cleaned) else ()
    allergen = _UNKNOWN_ALLERGEN.search(text)
    if (
        allergen
        and not _NON_FOOD_ALLERGY.search(text)
        and not _NON_FOOD.match((allergen.group(1) or allergen.group(2) or "").lower())
    ):
        return ("other",)
    if _avoids_unknown_food(text):
        return ("other",)
    return None


def _avoids_unknown_food(text: str) -> bool:
    """Does the clause name a food to avoid that no category covers ("tål inte svamp")?"""
    for match in _AVOIDS.finditer(text):
        said = next(g for g in match.groups() if g is not None)
        for k, part in enumerate(_FOOD_PARTS.split(said)[:4]):
            words = part.lower().split()
            if not words or words[0] in _NOT_FOOD or not words[0].isalpha() or _NON_FOOD.match(words[0]):
                break  # a new clause or no food: stop reading the list
            if _categories(part) or _categories(f"äter inte {part}"):
                continue  # a category ("äter inte kött" is vegetarian)
            if len(words) > (3 if k == 0 else 2):
                break  # a food is named in a word or two ("svamp", "rå lök"); more is a clause of its own
            return True
    return False


def mentions_food(text: str) -> bool:
    """Does the clause talk about food needs at all (for attributing it to a person)?"""
    return diet_in(text) is not None or bool(_ALLERGY.search(text))
