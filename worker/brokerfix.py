"""Keep a worker alive when Redis goes away while it holds unacknowledged tasks; quicken the embedded broker.

kombu's Redis transport (5.7.0, with Celery 5.7) crashes the worker with `AttributeError: 'NoneType'
object has no attribute 'hostname'` in `Channel._connparams`: after a lost connection Celery collects
the connection and then closes it, and closing the channel tries to restore the unacknowledged tasks
through a connection that has no client any more. It is the failure path of kombu issue #970 (a
regression of 4.2.2, fixed there and back now). No kombu release fixes it yet, so it is worked around
here rather than pinned away: with nobody to restore them through, the tasks are left to the broker's
visibility timeout. Nothing is lost by that: our tasks are doorbells; what is due is in the database.

The same dead channel is reached a second way: a task that was running while Redis went away finishes after
the worker reconnected, and its acknowledgement (or rejection) goes to the old channel, whose connection is
gone (`'NoneType' object has no attribute 'client'` in `_connparams`). That task is done; the broker gives
its copy back after the visibility timeout, and running a doorbell twice does nothing twice.
"""

from __future__ import annotations

import logging

from kombu.transport import redis as kombu_redis
from kombu.transport import sqlalchemy as kombu_sqla
from sqlalchemy import create_engine, event, inspect, text

log = logging.getLogger(__name__)

_restore_unacked = kombu_redis.QoS.restore_unacked
_ack = kombu_redis.QoS.ack
_reject = kombu_redis.QoS.reject


def _restore_unless_collected(self, client=None):
    if client is None and getattr(self.channel.connection, "client", None) is None:
        log.warning(
            "broker connection lost with %d unacknowledged task(s); the broker gives them back later",
            len(self._delivered),
        )
        self._delivered.clear()
        return None
    return _restore_unacked(self, client)


def _channel_closed(qos) -> bool:
    return getattr(qos.channel, "connection", None) is None


def _ack_unless_closed(self, delivery_tag):
    if _channel_closed(self):
        log.info("acknowledgement %s dropped: its broker connection is gone (the task is done)", delivery_tag)
        return None
    return _ack(self, delivery_tag)


def _reject_unless_closed(self, delivery_tag, requeue=False):
    if _channel_closed(self):
        log.info("rejection %s dropped: its broker connection is gone", delivery_tag)
        return None
    return _reject(self, delivery_tag, requeue=requeue)


# The embedded broker (kombu's SQLAlchemy transport) looks for tasks this often when its queue is empty:
# kombu's default of a second was most of an idle service's answer time. Options cannot set it: the
# transport hands them all to create_engine.
SQLA_POLLING_INTERVAL = 0.1
_sqla_engine = kombu_sqla.Channel._engine_from_config


def _quick_sqlite(dbapi_connection, _record) -> None:
    """WAL and NORMAL sync for the broker's SQLite file: each task costs a few commits there, and a full
    sync each was tens of milliseconds a task. A power cut may lose the last doorbells; the sweeper rings
    them again from what the database holds."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _engine_with_quick_sqlite(self):
    engine = _sqla_engine(self)
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _quick_sqlite):
        event.listen(engine, "connect", _quick_sqlite)
    return engine


def apply() -> None:
    kombu_sqla.Transport.polling_interval = SQLA_POLLING_INTERVAL
    kombu_sqla.Channel._engine_from_config = _engine_with_quick_sqlite  # type: ignore[method-assign]
    kombu_redis.QoS.restore_unacked = _restore_unless_collected  # type: ignore[method-assign]
    kombu_redis.QoS.ack = _ack_unless_closed  # type: ignore[method-assign]
    kombu_redis.QoS.reject = _reject_unless_closed  # type: ignore[method-assign]


# kombu's SQLAlchemy transport marks a message it hands to a worker invisible and never deletes it (only a
# purge does): on a long-running service the broker file grows by every task, the sweeper's every 3 s too.
def prune_consumed(broker: str) -> int:
    """Delete the embedded broker's consumed messages (kombu keeps them, invisible); how many. kombu never
    reads an invisible message again, and a task handed out but not finished is the database's to redo
    (our tasks are doorbells), so nothing waiting is touched. Other brokers: nothing to do."""
    if not broker.startswith("sqla+"):
        return 0
    engine = create_engine(broker.removeprefix("sqla+"), connect_args={"timeout": 30})
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table(_MESSAGES):
                return 0
            result = connection.execute(text(f"DELETE FROM {_MESSAGES} WHERE visible = :no"), {"no": False})
            return int(result.rowcount or 0)
    finally:
        engine.dispose()


_MESSAGES = "kombu_message"  # kombu's default; we set no message_tablename
