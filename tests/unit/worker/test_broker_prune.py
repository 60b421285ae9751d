"""The embedded broker (kombu's SQLAlchemy transport) keeps every consumed message, invisible; the hourly
prune deletes those and leaves what still waits (issue 13)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy
from kombu import Connection

from worker import brokerfix, tasks
from worker.celery_app import app


def _count(path: Path) -> dict[bool, int]:
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT visible, count(*) FROM kombu_message GROUP BY visible")
            return {bool(visible): n for visible, n in rows}
    finally:
        engine.dispose()


def test_consumed_messages_are_deleted_and_waiting_ones_stay(tmp_path: Path) -> None:
    broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    with Connection(broker) as connection:
        queue = connection.SimpleQueue("celery")
        for n in range(5):
            queue.put({"n": n})
        for _ in range(3):
            queue.get(timeout=5).ack()
        assert _count(tmp_path / "broker.sqlite3") == {False: 3, True: 2}  # kombu keeps what it handed out

        assert brokerfix.prune_consumed(broker) == 3
        assert _count(tmp_path / "broker.sqlite3") == {True: 2}
        assert [queue.get(timeout=5).payload["n"] for _ in range(2)] == [3, 4]  # still there, in order
        queue.close()
    assert brokerfix.prune_consumed(broker) == 2
    assert brokerfix.prune_consumed(broker) == 0


def test_nothing_to_do_before_the_broker_exists_or_on_redis(tmp_path: Path) -> None:
    assert brokerfix.prune_consumed(f"sqla+sqlite:///{tmp_path / 'none.sqlite3'}") == 0
    assert brokerfix.prune_consumed("redis://127.0.0.1:1/0") == 0


def test_beat_prunes_every_hour() -> None:
    entry = app.conf.beat_schedule["prune-broker"]
    assert entry["task"] == "anmalan.prune_broker" and entry["schedule"] == 3600.0
    assert tasks.prune_broker.name == "anmalan.prune_broker"
