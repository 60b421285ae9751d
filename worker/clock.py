"""The service's clock: real time, or real time shifted so that it starts at ANMALAN_NOW."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """`now()` runs on from `start` at the real rate; with no start it is the real clock.

    Instants before the shift began (a message that sat in the mailbox before the service started)
    keep their real time; later ones are shifted, so a live demo of a 2024 event sees 2024 arrivals.
    """

    def __init__(
        self,
        start: datetime | None = None,
        *,
        real_now=lambda: datetime.now(UTC),
        real_start: datetime | None = None,
    ) -> None:
        """`real_start` is when the shifted clock read `start`: now, unless the processes of one
        service share an origin (a restarted process then runs on the same time as the others)."""
        self._real_now = real_now
        self._real_start = real_start or real_now()
        self._offset = (start - self._real_start) if start else timedelta(0)

    def now(self) -> datetime:
        return self._real_now() + self._offset

    def arrival(self, real_instant: datetime) -> datetime:
        """When a message arrived, on this clock."""
        if self._offset and real_instant >= self._real_start - timedelta(minutes=5):
            return real_instant + self._offset
        return real_instant
