"""Random and mutilated messages never raise and always give a ParsedMessage (hypothesis).

The properties hold for the parser itself (`_parse`), not only for `parse`, whose catch-all would pass them
even for a parser that raised on every message.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parserkit import MEETINGS, SIGNUPS, mail

from parsers import ParsedMessage, parse
from parsers.message import _parse

CORPUS = (
    [p.read_bytes() for p in sorted(SIGNUPS.glob("*.eml"))]
    if SIGNUPS.is_dir()
    else [mail("Jag vill anmäla mig.")]
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ok(raw: bytes) -> None:
    parsed = _parse(raw, MEETINGS)
    assert isinstance(parsed, ParsedMessage)
    if parsed.intent == "other" and not parsed.people:
        return
    assert parsed.intent in {
        "signup",
        "cancel",
        "substitute",
        "update",
        "question",
        "auto_reply",
        "bounce",
        "other",
    }


@FAST
@given(st.binary(max_size=4000))
def test_random_bytes(raw):
    _ok(raw)


@FAST
@given(st.sampled_from(CORPUS), st.floats(min_value=0.0, max_value=1.0))
def test_truncated(raw, fraction):
    _ok(raw[: int(len(raw) * fraction)])


@FAST
@given(st.sampled_from(CORPUS), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=40))
def test_flipped_bytes(raw, flips):
    data = bytearray(raw)
    for at, value in flips:
        data[at % len(data)] = value
    _ok(bytes(data))


@FAST
@given(st.sampled_from(CORPUS), st.text(max_size=30))
def test_broken_boundaries(raw, junk):
    text = raw.decode("latin-1")
    broken = text.replace("boundary=", "boundary=" + junk, 1).replace("--_0", "--" + junk, 2)
    _ok(broken.encode("latin-1", "replace"))


@FAST
@given(st.sampled_from(["x-unknown", "utf-7", "", "iso-2022-jp", "utf-16", 'bogus"charset', "latin-99"]))
def test_bad_charsets(charset):
    raw = mail("Jag vill anmäla mig. Inga allergier.").replace(
        b'charset="utf-8"', f'charset="{charset}"'.encode()
    )
    raw = raw.replace(b"charset=utf-8", f"charset={charset}".encode())
    _ok(raw)


@FAST
@given(st.text(max_size=600))
def test_random_text_bodies(body):
    _ok(mail(body))


def test_empty_message_is_flagged():
    parsed = parse(b"", MEETINGS)
    assert parsed.needs_review and parsed.review_reasons
