"""Registration references: unguessable, unambiguous, easy to read aloud and to find in a subject."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

# Crockford base32: no I, L, O, U, so a reference survives being typed from a printout.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 13 characters of 5 bits: 65 bits, so a reference cannot be guessed, only received (issue 8, item 4).
LENGTH = 13
# Read aloud and retyped in groups: "K7M2-QX4P-9TRZ8".
GROUPS = (4, 4, 5)

# "[Ref K7M2-QX4P-9TRZ8]", "Ref: k7m2qx4p9trz8", "ref K7M2 QX4P 9TRZ8" — people retype subjects. The six
# characters of references made before are still read.
_REF_IN_TEXT = re.compile(
    r"\bref\.?[:\s]*([0-9a-z]{4}[-\s]?[0-9a-z]{4}[-\s]?[0-9a-z]{5}|[0-9a-z]{6})\b", re.IGNORECASE
)
# Crockford's decoding: letters people write for digits they meant.
_NORMALISE = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def seed(secret: str, position: str) -> str:
    """The message key references are made from: the stored message's position, keyed with the secret.

    Unkeyed, anyone who knows one reference and the mailbox could compute everyone else's.
    """
    return hmac.new(secret.encode(), position.encode(), hashlib.sha256).hexdigest()


def make_ref(message_key: str, index: int) -> str:
    """The reference of the index-th registration made from one stored message; the same inputs, the same ref."""
    digest = hashlib.sha256(f"{message_key}:{index}".encode()).digest()
    number = int.from_bytes(digest[:9], "big")
    chars = []
    for _ in range(LENGTH):
        number, rest = divmod(number, 32)
        chars.append(ALPHABET[rest])
    return _grouped("".join(chars))


def fresh_ref(message_key: str, index: int, taken: Iterable[str]) -> str:
    """make_ref, stepping aside (still deterministically) in the rare case the ref is already in use."""
    used = set(taken)
    ref = make_ref(message_key, index)
    attempt = 0
    while ref in used:
        attempt += 1
        ref = make_ref(f"{message_key}#{attempt}", index)
    return ref


def _grouped(chars: str) -> str:
    if len(chars) != LENGTH:
        return chars
    out, start = [], 0
    for size in GROUPS:
        out.append(chars[start : start + size])
        start += size
    return "-".join(out)


def normalise(candidate: str) -> str:
    """A reference as written ("k7m2 qx4p 9trz8", "K7M2QX4P9TRZ8") in its one stored form."""
    return _grouped(candidate.upper().translate(_NORMALISE))


def first_ref(text: str) -> str | None:
    """The first reference-looking token of a subject, normalised: the one a subject may carry."""
    match = _REF_IN_TEXT.search(text or "")
    return normalise(match.group(1)) if match else None


def refs_in_text(text: str) -> list[str]:
    """Every reference-looking token in a subject line, normalised, in order of appearance."""
    return [normalise(m.group(1)) for m in _REF_IN_TEXT.finditer(text or "")]
