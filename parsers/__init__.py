"""Raw message bytes in, a ParsedMessage out: pure, no IO, no clock."""

from parsers.models import MeetingDate, Organisation, ParsedMessage, Person

__all__ = ["MeetingDate", "Organisation", "ParsedMessage", "Person", "parse"]


def parse(raw: bytes, meetings: "list[MeetingDate] | tuple[MeetingDate, ...]" = ()) -> ParsedMessage:
    """Parse one whole RFC 5322 message; never raises on bad input (it flags instead)."""
    from parsers.message import parse_message

    return parse_message(raw, tuple(meetings))
