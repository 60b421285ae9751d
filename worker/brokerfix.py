"""Keep a worker alive when Redis goes away while it holds unacknowledged tasks.

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


def apply() -> None:
    kombu_redis.QoS.restore_unacked = _restore_unless_collected  # type: ignore[method-assign]
    kombu_redis.QoS.ack = _ack_unless_closed  # type: ignore[method-assign]
    kombu_redis.QoS.reject = _reject_unless_closed  # type: ignore[method-assign]
