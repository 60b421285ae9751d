"""Amazon SES notifications: bounces, complaints and deliveries sent as JSON, often inside an SNS envelope.

SES reports by JSON, not by RFC 3464, when a sender subscribes an e-mail address to its SNS topic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from parsers.report import ReportKind


@dataclass
class SesReport:
    kind: ReportKind
    permanent: list[str] = field(default_factory=list)
    temporary: list[str] = field(default_factory=list)


def _document(text: str) -> dict | None:
    start = text.find("{")
    if start < 0:
        return None
    try:
        # mail systems wrap long lines, which leaves line breaks inside JSON strings
        document, _ = json.JSONDecoder(strict=False).raw_decode(text[start:])
    except ValueError:
        return None
    if isinstance(document, dict) and isinstance(document.get("Message"), str):  # the SNS envelope
        return _document(document["Message"])
    return document if isinstance(document, dict) else None


def read_ses(text: str) -> SesReport | None:
    """The notification in a body, or None when the body is not one."""
    if "notificationType" not in text and "eventType" not in text:
        return None
    document = _document(text)
    if document is None:
        return None
    kind = str(document.get("notificationType") or document.get("eventType") or "").lower()
    if kind == "complaint":
        return SesReport("feedback")
    if kind == "delivery":
        return SesReport("delivered")
    if kind != "bounce" or not isinstance(document.get("bounce"), dict):
        return None
    bounce = document["bounce"]
    recipients = [
        str(r.get("emailAddress", ""))
        for r in bounce.get("bouncedRecipients") or []
        if isinstance(r, dict) and r.get("emailAddress")
    ]
    if str(bounce.get("bounceType", "")).lower() == "transient":
        return SesReport("delay", temporary=recipients)
    return SesReport("failure", permanent=recipients)
