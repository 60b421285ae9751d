"""Short registration references: deterministic, unambiguous, easy to read aloud and to find in a subject."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

# Crockford base32: no I, L, O, U, so a reference survives being typed from a printout.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6

# "[Ref K7M2QX]", "Ref: k7m2qx", "ref K7M2QX" — people retype subjects.
_REF_IN_TEXT = re.compile(r"\bref\.?[:\s]*([0-9a-z]{6})\b", re.IGNORECASE)
# Crockford's decoding: letters people write for digits they meant.
_NORMALISE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def make_ref(message_key: str, index: int) -> str:
    """The reference of the index-th registration made from one stored message; the same inputs, the same ref."""
    digest = hashlib.sha256(f"{message_key}:{index}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(LENGTH):
        number, rest = divmod(number, 32)
        chars.append(ALPHABET[rest])
    return "".join(chars)


def fresh_ref(message_key: str, index: int, taken: Iterable[str]) -> str:
    """make_ref, stepping aside (still deterministically) in the rare case the ref is already in use."""
    used = set(taken)
    ref = make_ref(message_key, index)
    attempt = 0
    while ref in used:
        attempt += 1
        ref = make_ref(f"{message_key}#{attempt}", index)
    return ref


def normalise(candidate: str) -> str:
    return candidate.upper().translate(_NORMALISE)


def refs_in_text(text: str) -> list[str]:
    """Every reference-looking token in a subject line, normalised, in order of appearance."""
    return [normalise(m.group(1)) for m in _REF_IN_TEXT.finditer(text or "")]
