"""What the parser tests share: where ../shared sits, the event's meetings, building small messages."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from email.message import EmailMessage
from pathlib import Path
from types import ModuleType

from parsers.models import MeetingDate

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"  # the shared folder sits beside the checkout, also in CI
SIGNUPS = SHARED / "corpus" / "signups"
EXTERNAL = SHARED / "corpus" / "external"

MEETINGS = (
    MeetingDate(number=1, date=dt.date(2024, 9, 12), place="Falun"),
    MeetingDate(number=2, date=dt.date(2024, 10, 23), place="Falun"),
    MeetingDate(number=3, date=dt.date(2024, 12, 3)),
    MeetingDate(number=4, date=dt.date(2025, 2, 4)),
)


def scorer() -> ModuleType:
    """The corpus scorer, imported from its file so the tests normalise exactly as it does."""
    spec = importlib.util.spec_from_file_location("score_parser", SHARED / "eval" / "score_parser.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_no_silent_error(eml: Path) -> None:
    """A labelled case passes if it is flagged with a reason, or if every field is right (as the scorer
    compares them): what a participant would be confirmed is never silently wrong."""
    from parsers import ParsedMessage, parse

    expected = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
    parsed = parse(eml.read_bytes(), MEETINGS)
    assert isinstance(parsed, ParsedMessage)
    if parsed.needs_review:
        assert parsed.review_reasons, "a flag must say why"
        return
    diffs = scorer().compare(expected, parsed.record())
    assert diffs == [], f"silent error in {eml.name}: {diffs}"


def mail(
    body: str,
    *,
    sender: str = "Anna Andersson <anna.andersson@ludvika.se>",
    subject: str = "Anmälan",
    headers: dict[str, str] | None = None,
    html: bool = False,
) -> bytes:
    """A small well-formed message for rule tests."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "anmalan.dalalab@regiondalarna.se"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 05 Aug 2024 08:47:13 +0200"
    msg["Message-ID"] = "<test-1@ludvika.se>"
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(body, subtype="html" if html else "plain")
    return msg.as_bytes()
