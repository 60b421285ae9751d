"""How a message's food needs combine with what is registered: adding keeps, only a correction replaces."""

from __future__ import annotations

from parsers.models import Diet, Person


def merged_diet(registered: list[Diet] | None, person: Person) -> list[Diet] | None:
    """The diet after a message: "även/också/dessutom" adds to what is registered, so an allergy is not
    lost to a preference named later; otherwise the message's diet replaces it; None when it says nothing."""
    if person.diet is None:
        return None
    if person.diet_adds and registered:
        return [*registered, *(d for d in person.diet if d not in registered)]
    return list(person.diet)
