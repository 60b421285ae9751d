"""Text fit to store: no NUL, no other control characters, no lone surrogates, on every text column.

PostgreSQL text cannot hold NUL and UTF-8 cannot hold a lone surrogate, so one hostile header would make
every write of the message fail (issue 8, item 2). The column types below clean at the store boundary, so
no writer has to remember to.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.types import TypeDecorator

from parsers.text import printable


def clean_text(value: str) -> str:
    """The text without the characters no text column may hold."""
    return printable(value)


def clean_json(value: Any) -> Any:
    """clean_text over every string (keys too) of a JSON-shaped value."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_json(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    return value


class CleanString(TypeDecorator):
    """String(n) that stores only clean text, cut to n characters (PostgreSQL refuses a longer value)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if not isinstance(value, str):
            return value
        length = self.impl.length
        return clean_text(value)[:length] if length else clean_text(value)


class CleanText(TypeDecorator):
    """Text that stores only clean text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return clean_text(value) if isinstance(value, str) else value


class CleanJSON(TypeDecorator):
    """JSON whose strings are clean text (PostgreSQL's json rejects an escaped NUL)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return clean_json(value)
