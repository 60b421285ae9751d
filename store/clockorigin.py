"""The one clock origin every process shares when ANMALAN_NOW shifts the clock (a single row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.tables import ClockOrigin


def shared_origin(session: Session, shifted_start: datetime, real_now: datetime) -> datetime:
    """The real instant at which the shifted clock read `shifted_start`, as the first process to start
    with this ANMALAN_NOW stored it; a new ANMALAN_NOW starts the clock afresh from now."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    fresh = insert(ClockOrigin).values(id=1, real_start=real_now, shifted_start=shifted_start)
    session.execute(fresh.on_conflict_do_nothing(index_elements=["id"]))
    row = session.get(ClockOrigin, 1, with_for_update=True)
    assert row is not None  # inserted just above, or there before
    if row.shifted_start != shifted_start:
        row.real_start, row.shifted_start = real_now, shifted_start
    return row.real_start
