"""Every process keeps one clock, and a database that refuses connections is waited out."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from store.db import Database
from tests.servers import free_port
from worker.bootstrap import shared_clock
from worker.settings import Settings


def test_a_process_started_later_runs_on_the_same_clock(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'anmalan.sqlite3'}")
    db.create_schema()
    settings = Settings(now=datetime(2024, 8, 13, 10, 0, tzinfo=UTC), data_dir=tmp_path)
    first = shared_clock(db, settings)
    time.sleep(0.5)
    restarted = shared_clock(db, settings)  # e.g. a worker started again after a crash
    assert abs(first.now() - restarted.now()) < timedelta(milliseconds=100)
    assert restarted.now() >= datetime(2024, 8, 13, 10, 0, 0, 500_000, tzinfo=UTC)
    # A new ANMALAN_NOW starts the clock afresh from there.
    moved = shared_clock(db, Settings(now=datetime(2024, 9, 1, 8, 0, tzinfo=UTC), data_dir=tmp_path))
    assert moved.now() - datetime(2024, 9, 1, 8, 0, tzinfo=UTC) < timedelta(seconds=1)


class GaveUp(Exception):
    pass


def test_a_database_that_refuses_connections_is_waited_out_with_backoff(caplog) -> None:
    db = Database(f"postgresql://anmalan@127.0.0.1:{free_port()}/anmalan")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 6:
            raise GaveUp  # the test stops waiting; the service never would

    with caplog.at_level(logging.WARNING), pytest.raises(GaveUp):
        db.wait_until_reachable(sleep=sleep)
    assert waits == sorted(waits) and waits[-1] > 4 * waits[0]  # backing off
    lines = [r.getMessage() for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(lines) == 6
    assert "trying again in" in lines[0] and "127.0.0.1" in lines[0]
